import { describe } from 'vitest';
import { databaseContract } from './database.contract';
import { PGliteDatabase } from './pglite.database';

describe('PGlite database (in memory)', () => {
  databaseContract(async () => {
    const db = await PGliteDatabase.open();
    return { db, close: () => db.close() };
  });
});
