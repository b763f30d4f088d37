import { spawn } from 'node:child_process';
import path from 'node:path';
import { RUNTIME_ROLE, SERVICE_SCHEMAS } from '@flatrender/platform';
import pg from 'pg';

/**
 * `deploy/init-db`: everything PostgreSQL needs before FlatRender starts, as an administrator, then
 * the migrations as the owner. Every step checks before it changes, so a second run changes nothing
 * (e2e/init-db.e2e.test.ts compares the catalog before and after).
 *
 *   INIT_DB_ADMIN_URL  a superuser (or CREATEDB + CREATEROLE) login, e.g. postgres://postgres:pw@db/postgres
 *   DATABASE_URL       what the services use: its user becomes the owner login, its database is created
 *
 * Roles: the owner login (from DATABASE_URL) owns the database and one schema per service and runs
 * migrations; `flatrender_runtime` (NOLOGIN, no BYPASSRLS, owns nothing) is the role every service
 * query runs as (`SET LOCAL ROLE`), so forced row-level security applies to it. The owner is made a
 * member of it; nobody else may connect to the database.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export interface InitDbOptions {
  adminUrl: string;
  databaseUrl: string;
  /** Run `flatrender migrate` at the end (default true). */
  migrate?: boolean;
  log?: (line: string) => void;
}

function identifier(value: string, what: string): string {
  if (!IDENTIFIER.test(value))
    throw new Error(`init-db: the ${what} "${value}" must be lower-case letters, digits and _ (at most 63)`);
  return value;
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  return client;
}

async function exists(client: pg.Client, query: string, values: unknown[] = []): Promise<boolean> {
  return ((await client.query(query, values)).rowCount ?? 0) > 0;
}

/** True when the owner can log in with the password of DATABASE_URL (false: create or reset it). */
async function ownerCanConnect(databaseUrl: string, adminUrl: string): Promise<boolean> {
  // The owner's database may not exist yet: try the admin's database with the owner's credentials.
  const probe = new URL(adminUrl);
  const target = new URL(databaseUrl);
  probe.username = target.username;
  probe.password = target.password;
  try {
    const client = await connect(probe.toString());
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function initDb(options: InitDbOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`init-db: ${line}\n`));
  const target = new URL(options.databaseUrl);
  const owner = identifier(decodeURIComponent(target.username), 'user of DATABASE_URL');
  const password = decodeURIComponent(target.password);
  const database = identifier(
    decodeURIComponent(target.pathname.replace(/^\//, '')),
    'database of DATABASE_URL',
  );

  const admin = await connect(options.adminUrl);
  try {
    if (!(await exists(admin, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [owner]))) {
      await admin.query(
        `CREATE ROLE ${owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS${password ? ` PASSWORD ${literal(password)}` : ''}`,
      );
      log(`created login ${owner}`);
    } else if (password && !(await ownerCanConnect(options.databaseUrl, options.adminUrl))) {
      // Only when the password no longer works: rewriting it would change the catalog every run.
      await admin.query(`ALTER ROLE ${owner} PASSWORD ${literal(password)}`);
      log(`reset the password of ${owner}`);
    }
    if (!(await exists(admin, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [RUNTIME_ROLE]))) {
      await admin.query(`CREATE ROLE ${RUNTIME_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
      log(`created role ${RUNTIME_ROLE}`);
    }
    if (!(await exists(admin, 'SELECT 1 WHERE pg_has_role($1, $2, $3)', [owner, RUNTIME_ROLE, 'MEMBER']))) {
      await admin.query(`GRANT ${RUNTIME_ROLE} TO ${owner}`);
      log(`granted ${RUNTIME_ROLE} to ${owner}`);
    }
    if (!(await exists(admin, 'SELECT 1 FROM pg_database WHERE datname = $1', [database]))) {
      await admin.query(`CREATE DATABASE ${database} OWNER ${owner} ENCODING 'UTF8' TEMPLATE template0`);
      log(`created database ${database}`);
    }
  } finally {
    await admin.end();
  }

  const adminOnTarget = new URL(options.adminUrl);
  adminOnTarget.pathname = `/${database}`;
  const db = await connect(adminOnTarget.toString());
  try {
    // Only the owner connects (the runtime role is entered with SET ROLE inside the owner's sessions).
    if (
      await exists(
        db,
        "SELECT 1 FROM pg_database WHERE datname = $1 AND (datacl IS NULL OR array_to_string(datacl, ',') ~ '(^|,)=')",
        [database],
      )
    ) {
      await db.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
      log(`revoked public access to ${database}`);
    }
    if (
      await exists(
        db,
        "SELECT 1 FROM pg_namespace WHERE nspname = 'public' AND has_schema_privilege('public', 'public', 'CREATE')",
      )
    ) {
      await db.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      log('revoked CREATE on schema public');
    }
    for (const schema of SERVICE_SCHEMAS) {
      if (!(await exists(db, 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]))) {
        await db.query(`CREATE SCHEMA ${identifier(schema, 'schema')} AUTHORIZATION ${owner}`);
        log(`created schema ${schema}`);
      }
    }
  } finally {
    await db.end();
  }

  if (options.migrate !== false) await migrate(options.databaseUrl, log);
}

/** `flatrender migrate` as the owner: the platform base (grants, outbox, inbox) and each service's files. */
function migrate(databaseUrl: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'flatrender'), 'migrate'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`migrate: ${line.trim()}`);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`flatrender migrate exited with ${code}`)),
    );
  });
}

async function main(): Promise<number> {
  const adminUrl = process.env.INIT_DB_ADMIN_URL;
  const databaseUrl = process.env.DATABASE_URL;
  if (!adminUrl || !databaseUrl) {
    process.stderr.write(
      'usage: INIT_DB_ADMIN_URL=postgres://postgres:...@host/postgres DATABASE_URL=postgres://flatrender:...@host/flatrender deploy/init-db\n',
    );
    return 2;
  }
  await initDb({ adminUrl, databaseUrl });
  process.stdout.write('init-db: done\n');
  return 0;
}

if (path.resolve(process.argv[1] ?? '') === path.join(ROOT, 'deploy', 'init-db')) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`init-db: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
