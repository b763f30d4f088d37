import { mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadPlatformConfig } from '../config';
import { createTestDatabase, describeWithServices, type TestDatabase } from '../testing';
import { createDatabase } from './create-database';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createDatabase without DATABASE_URL', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fr-data-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('opens PGlite in <data dir>/db and keeps what was written across restarts', async () => {
    const first = await createDatabase(loadPlatformConfig({ FLATRENDER_DATA_DIR: dataDir }));
    expect(first.kind).toBe('pglite');
    await sql`create table kept (v text); insert into kept values ('survives')`.execute(first.kysely);
    await first.close();
    expect((await stat(path.join(dataDir, 'db', 'PG_VERSION'))).isFile()).toBe(true);

    const second = await createDatabase(loadPlatformConfig({ FLATRENDER_DATA_DIR: dataDir }));
    const { rows } = await sql<{ v: string }>`select v from kept`.execute(second.kysely);
    expect(rows).toEqual([{ v: 'survives' }]);
    await second.close();
  }, 120_000);
});

await describeWithServices(['postgres'], 'createDatabase with DATABASE_URL', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('connects to PostgreSQL', async () => {
    const db = await createDatabase(loadPlatformConfig({ DATABASE_URL: testDb.url }));
    expect(db.kind).toBe('postgres');
    await db.ping();
    await db.close();
  });

  it('stops start-up with one line naming DATABASE_URL when the server is unreachable', async () => {
    const url = `postgres://flatrender:s3cret@127.0.0.1:${await closedPort()}/flatrender`;
    const failure = createDatabase(loadPlatformConfig({ DATABASE_URL: url }));
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(/^configuration: DATABASE_URL is unreachable: .*ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  it('names DATABASE_URL when the database does not exist', async () => {
    const url = new URL(testDb.url);
    url.pathname = '/fr_no_such_database';
    await expect(createDatabase(loadPlatformConfig({ DATABASE_URL: url.toString() }))).rejects.toThrow(
      /^configuration: DATABASE_URL is unreachable: database "fr_no_such_database" does not exist$/,
    );
  });
});
