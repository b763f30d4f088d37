import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { RUNTIME_ROLE } from '../db/database';
import { TEST_DATABASE_URL } from './real-services';

/**
 * The login that owns every test database: an ordinary user (not superuser, no BYPASSRLS), as the
 * production `flatrender` user is, so tests meet row-level security exactly as services do.
 */
export const TEST_OWNER_ROLE = 'flatrender_test_owner';

export interface TestDatabase {
  /** URL of the fresh database, connecting as the non-superuser owner. */
  url: string;
  /** The database name (random). */
  name: string;
  /** Drops the database (terminating its connections). */
  drop(): Promise<void>;
}

/**
 * Creates an empty database with a random name on the test server (TEST_DATABASE_URL, by default
 * postgres@127.0.0.1:5432), owned by `flatrender_test_owner`, a member of the runtime role.
 * Test files run in parallel: roles are cluster-wide, so their creation tolerates races.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `fr_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (admin) => {
    await ensure(admin, `SELECT 1 FROM pg_roles WHERE rolname = '${TEST_OWNER_ROLE}'`, [
      `CREATE ROLE ${TEST_OWNER_ROLE} LOGIN`,
    ]);
    await ensure(admin, `SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}'`, [
      `CREATE ROLE ${RUNTIME_ROLE} NOLOGIN`,
    ]);
    await ensure(
      admin,
      `SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
        WHERE r.rolname = '${RUNTIME_ROLE}' AND u.rolname = '${TEST_OWNER_ROLE}'`,
      [`GRANT ${RUNTIME_ROLE} TO ${TEST_OWNER_ROLE}`],
    );
    await admin.query(`CREATE DATABASE ${name} OWNER ${TEST_OWNER_ROLE}`);
  });
  const url = new URL(TEST_DATABASE_URL);
  url.username = TEST_OWNER_ROLE;
  url.password = '';
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined)),
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs `statements` unless `check` finds a row; a concurrent creator making one of them fail
 * (duplicate role, "tuple concurrently updated") is fine as long as the check then passes.
 */
async function ensure(client: pg.Client, check: string, statements: string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if ((await client.query(check)).rowCount) return;
    try {
      for (const statement of statements) await client.query(statement);
      return;
    } catch (error) {
      if ((await client.query(check)).rowCount) return;
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}
