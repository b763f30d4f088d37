import { describe } from 'vitest';
import { PGliteDatabase } from '../db/pglite.database';
import { outboxContract } from './outbox.contract';

describe('outbox and inbox on PGlite (in memory)', () => {
  outboxContract(async () => {
    const db = await PGliteDatabase.open();
    return { db, close: () => db.close() };
  });
});
