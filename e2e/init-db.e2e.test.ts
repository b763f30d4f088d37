import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { RUNTIME_ROLE, SERVICE_SCHEMAS } from '@flatrender/platform';
import { describeWithServices, TEST_DATABASE_URL } from '@flatrender/platform/testing';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const name = `fr_initdb_${randomBytes(5).toString('hex')}`;
const password = randomBytes(12).toString('hex');

function urlFor(database: string, user?: string, secret?: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  if (user) url.username = user;
  if (secret) url.password = secret;
  return url.toString();
}

const databaseUrl = urlFor(name, name, password);

async function initDb(): Promise<string> {
  const { stdout } = await run(path.join(ROOT, 'deploy', 'init-db'), [], {
    cwd: ROOT,
    env: {
      ...process.env,
      INIT_DB_ADMIN_URL: TEST_DATABASE_URL,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
    },
    timeout: 240_000,
  });
  return stdout;
}

async function query<T extends pg.QueryResultRow>(database: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Everything init-db may touch: the schema dump of the database (tables, functions, policies, grants,
 * default privileges, ownership), the migrations recorded, the two roles, their membership and the
 * database's own ACL. Role password hashes are salted: a rewritten password shows as a change.
 */
async function catalog(): Promise<string> {
  const url = new URL(urlFor(name));
  const { stdout: dump } = await run(
    'pg_dump',
    [
      '--schema-only',
      '--no-comments',
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      url.username || 'postgres',
      name,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  // pg_dump brackets its output with \restrict/\unrestrict lines carrying a random key per dump.
  const schema = dump
    .split('\n')
    .filter((line) => !/^\\(un)?restrict /.test(line))
    .join('\n');
  const migrations: unknown[] = [];
  for (const schema of SERVICE_SCHEMAS) {
    for (const table of ['platform_migration', 'schema_migration']) {
      const [present] = await query<{ ok: boolean }>(name, 'SELECT to_regclass($1) IS NOT NULL AS ok', [
        `${schema}.${table}`,
      ]);
      if (present?.ok)
        migrations.push(
          schema,
          table,
          await query(name, `SELECT name, timestamp FROM ${schema}.${table} ORDER BY name`),
        );
    }
  }
  const roles = await query(
    'postgres',
    `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls, rolpassword
       FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname`,
    [[name, RUNTIME_ROLE]],
  );
  const members = await query(
    'postgres',
    `SELECT r.rolname AS role, u.rolname AS member, m.admin_option FROM pg_auth_members m
       JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE u.rolname = $1 ORDER BY 1`,
    [name],
  );
  const database = await query(
    'postgres',
    'SELECT datname, pg_get_userbyid(datdba) AS owner, datacl::text FROM pg_database WHERE datname = $1',
    [name],
  );
  return JSON.stringify({ schema, migrations, roles, members, database }, null, 1);
}

await describeWithServices(['postgres'], 'deploy/init-db on a fresh PostgreSQL database', () => {
  afterAll(async () => {
    await query('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await query('postgres', `DROP ROLE IF EXISTS ${name}`);
  });

  let first = '';

  it('creates the database, the owner login, the runtime role, every service schema, then migrates', async () => {
    const out = await initDb();
    expect(out).toContain(`created database ${name}`);
    first = await catalog();

    const schemas = await query<{ nspname: string; owner: string }>(
      name,
      'SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1',
      [[...SERVICE_SCHEMAS]],
    );
    expect(schemas.map((s) => s.nspname).sort()).toEqual([...SERVICE_SCHEMAS].sort());
    expect(new Set(schemas.map((s) => s.owner))).toEqual(new Set([name]));

    const [owner] = await query<{
      rolcanlogin: boolean;
      rolsuper: boolean;
      rolbypassrls: boolean;
      member: boolean;
    }>(
      'postgres',
      `SELECT rolcanlogin, rolsuper, rolbypassrls, pg_has_role(rolname, $2, 'MEMBER') AS member
         FROM pg_roles WHERE rolname = $1`,
      [name, RUNTIME_ROLE],
    );
    expect(owner).toEqual({ rolcanlogin: true, rolsuper: false, rolbypassrls: false, member: true });
    const [runtime] = await query<{ rolcanlogin: boolean; rolbypassrls: boolean; owns: string }>(
      name,
      `SELECT rolcanlogin, rolbypassrls,
              (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)::text AS owns
         FROM pg_roles r WHERE rolname = $1`,
      [RUNTIME_ROLE],
    );
    expect(runtime).toEqual({ rolcanlogin: false, rolbypassrls: false, owns: '0' });

    // Migrations ran as the owner: the platform base (outbox) exists in every migrated schema and the
    // runtime role may write it, while migration state stays out of its reach.
    const outboxes = await query<{ schema: string; writable: boolean; migrations: boolean }>(
      name,
      `SELECT n.nspname AS schema,
              has_table_privilege($1, c.oid, 'INSERT') AS writable,
              has_table_privilege($1, n.nspname || '.platform_migration', 'SELECT') AS migrations
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = 'outbox' AND pg_get_userbyid(c.relowner) = $2`,
      [RUNTIME_ROLE, name],
    );
    expect(outboxes.length).toBeGreaterThanOrEqual(4);
    for (const outbox of outboxes)
      expect(outbox).toEqual({ schema: outbox.schema, writable: true, migrations: false });

    // Nobody but the owner (and superusers) may connect to the database.
    const [acl] = await query<{ public_connect: boolean; owner_connect: boolean }>(
      name,
      `SELECT has_database_privilege('public', $1, 'CONNECT') AS public_connect,
              has_database_privilege($2, $1, 'CONNECT') AS owner_connect`,
      [name, name],
    );
    expect(acl).toEqual({ public_connect: false, owner_connect: true });
  });

  it('changes nothing when run a second time', async () => {
    const out = await initDb();
    expect(out).not.toMatch(/created|granted|revoked|reset|applied/);
    expect(out).toMatch(/up to date/);
    expect(await catalog()).toBe(first);
  });
});
