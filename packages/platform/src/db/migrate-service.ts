import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  sql,
} from 'kysely';
import { assertSchemaName, type Database, RUNTIME_ROLE, type UntypedDb } from './database';
import { platformMigrations } from './platform.migrations';

/** `0001_create_projects.sql`: four digits, an underscore, a lower-case name. */
const MIGRATION_FILE = /^(\d{4}_[a-z0-9_]+)\.sql$/;

const PLATFORM_TABLES = {
  migrationTableName: 'platform_migration',
  migrationLockTableName: 'platform_migration_lock',
};
const SERVICE_TABLES = {
  migrationTableName: 'schema_migration',
  migrationLockTableName: 'schema_migration_lock',
};

export interface MigrateServiceOptions {
  /** Name used in errors and logs. */
  service: string;
  /** The service's own schema; created if missing. Its migration tables live in it too. */
  schema: string;
  /** Folder of `NNNN_name.sql` files, applied in name order; omitted: platform tables only. */
  dir?: string;
}

export interface MigrateServiceResult {
  /** Names applied by this call, platform ones prefixed `platform:`; empty when already up to date. */
  applied: string[];
}

export class MigrationError extends Error {
  readonly code = 'migration_failed';
}

/**
 * Brings a service schema up to date: the platform base (runtime role grants, `tenant_visible`,
 * outbox, inbox), then the service's SQL files. Idempotent; safe when several processes start at once
 * (Kysely's migrator holds a PostgreSQL advisory lock and applies pending migrations in one transaction).
 * Each file runs with `search_path` set to the schema, so it names its tables unqualified.
 * Files must not contain their own BEGIN/COMMIT, nor statements that cannot run in a transaction
 * (CREATE INDEX CONCURRENTLY).
 */
export async function migrateService(
  db: Database,
  options: MigrateServiceOptions,
): Promise<MigrateServiceResult> {
  assertSchemaName(options.schema);
  const platform = await run(db.kysely, options, 'platform', {
    getMigrations: async () => platformMigrations(options.schema),
  });
  const own = options.dir
    ? await run(db.kysely, options, 'service', new SqlFileMigrationProvider(options.dir, options.schema))
    : [];
  if (options.dir) await revokeMigrationTables(db, options.schema);
  return { applied: [...platform.map((name) => `platform:${name}`), ...own] };
}

/**
 * The service migrator's tables are created after the base migration's default privileges, so the
 * runtime role would get write access to them: services never touch migration state. Serialised per
 * schema, since concurrent GRANT/REVOKE on one table fails with "tuple concurrently updated".
 */
async function revokeMigrationTables(db: Database, schema: string): Promise<void> {
  const tables = [SERVICE_TABLES.migrationTableName, SERVICE_TABLES.migrationLockTableName].map(
    (t) => `${schema}.${t}`,
  );
  await db.kysely.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`flatrender.revoke.${schema}`}))`.execute(tx);
    const { rows } = await sql<{ granted: boolean }>`
      select bool_or(has_table_privilege(${RUNTIME_ROLE}, t, 'SELECT,INSERT,UPDATE,DELETE')) as granted
        from unnest(${tables}::text[]) as t`.execute(tx);
    if (rows[0]?.granted)
      await sql.raw(`REVOKE ALL ON ${tables.join(', ')} FROM ${RUNTIME_ROLE}`).execute(tx);
  });
}

async function run(
  kysely: Kysely<UntypedDb>,
  options: MigrateServiceOptions,
  which: 'platform' | 'service',
  provider: MigrationProvider,
): Promise<string[]> {
  const migrator = new Migrator({
    db: kysely,
    provider,
    migrationTableSchema: options.schema,
    ...(which === 'platform' ? PLATFORM_TABLES : SERVICE_TABLES),
  });
  const outcome: MigrationResultSet = await migrator.migrateToLatest();
  if (outcome.error) {
    const failed = outcome.results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    throw new MigrationError(
      `migrations of ${options.service} (schema ${options.schema}${failed ? `, ${which} migration ${failed}` : ''}) failed: ${cause}`,
      { cause: outcome.error },
    );
  }
  return (outcome.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Reads `NNNN_name.sql` files; each runs as one multi-statement script inside the migration transaction. */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(
    private readonly dir: string,
    private readonly schema: string,
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of (await readdir(this.dir)).sort()) {
      if (!file.endsWith('.sql')) continue;
      const name = MIGRATION_FILE.exec(file)?.[1];
      if (!name)
        throw new MigrationError(`migration file ${path.join(this.dir, file)} is not named NNNN_name.sql`);
      const text = await readFile(path.join(this.dir, file), 'utf8');
      migrations[name] = {
        up: async (db) => {
          await sql`select set_config('search_path', ${this.schema}, true)`.execute(db);
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}
