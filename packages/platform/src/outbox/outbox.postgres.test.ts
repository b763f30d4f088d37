import type { Database } from '../db/database';
import { PostgresDatabase } from '../db/postgres.database';
import { createTestDatabase, describeWithServices } from '../testing';
import { outboxContract } from './outbox.contract';

await describeWithServices(['postgres'], 'outbox and inbox on PostgreSQL', () => {
  outboxContract(async () => {
    const testDb = await createTestDatabase();
    const opened: Database[] = [];
    const open = async () => {
      const db = new PostgresDatabase({ url: testDb.url });
      opened.push(db);
      return db;
    };
    return {
      db: await open(),
      openAnother: open,
      close: async () => {
        await Promise.all(opened.map((db) => db.close()));
        await testDb.drop();
      },
    };
  });
});
