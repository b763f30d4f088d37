import { createTestDatabase, describeWithServices } from '../testing';
import type { Database } from './database';
import { databaseContract } from './database.contract';
import { PostgresDatabase } from './postgres.database';

await describeWithServices(['postgres'], 'PostgreSQL database', () => {
  databaseContract(async () => {
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
