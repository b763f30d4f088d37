import { type IsolationLevel, type Kysely, sql, type Transaction } from 'kysely';

/**
 * The role every service query runs as. It owns nothing and has no BYPASSRLS, so row-level security
 * applies to it even when the connection user owns the tables (or, on PGlite, is a superuser).
 * Created NOLOGIN by the platform base migration; the connection user must be a member of it.
 */
export const RUNTIME_ROLE = 'flatrender_runtime';

/** The schema of each service; a service never reads another's tables. */
export const SERVICE_SCHEMAS = [
  'identity',
  'content',
  'studio',
  'file_mgr',
  'render',
  'notification',
] as const;
export type ServiceSchema = (typeof SERVICE_SCHEMAS)[number];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name "${schema}": lower-case letters, digits and _ only, at most 63`);
  }
}

export type DatabaseKind = 'postgres' | 'pglite';

/** Tables of a schema not described by a type: any table and column name is accepted. */
// biome-ignore lint/suspicious/noExplicitAny: Kysely's own convention for an untyped database.
export type UntypedDb = any;

/** A transaction of a scoped handle: its search_path is the service schema, its role the runtime role. */
export type Tx<DB = UntypedDb> = Transaction<DB>;

export interface TransactionOptions {
  isolationLevel?: IsolationLevel;
}

export interface Listener {
  close(): Promise<void>;
}

/**
 * One PostgreSQL database, reached through `pg` or PGlite. Same SQL, same migrations on both.
 * Services do not query `kysely` directly: they take `scoped(schema)` and work inside
 * `withTenant` or `asSystem`, where row-level security applies.
 */
export interface Database {
  readonly kind: DatabaseKind;
  /**
   * Owner-level access: migrations, catalog checks, test setup. Queries here do NOT run as the
   * runtime role; with FORCE ROW LEVEL SECURITY they see no tenant rows unless they set a scope.
   */
  readonly kysely: Kysely<UntypedDb>;
  /** The handle a service works with: its schema, tenant-scoped or system-scoped transactions. */
  scoped<DB = UntypedDb>(schema: string): ScopedDatabase<DB>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (lower-case identifier), delivered after the
   * notifying transaction commits. On PostgreSQL a dedicated connection listens and reconnects;
   * notifications sent while it is down are lost, so listeners must also poll.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Listener>;
  /** Resolves when a round trip to the server succeeds. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ScopedDatabase<DB = UntypedDb> {
  readonly schema: string;
  readonly database: Database;
  /**
   * Runs `work` in one transaction as the runtime role with `app.tenant_id` set: tables whose policy
   * is `tenant_visible(tenant_id)` show and accept only this tenant's rows. Commits when `work`
   * resolves, rolls back when it throws.
   *
   * PGlite has a single connection: starting another transaction (on any scope) while awaiting inside
   * `work` waits forever. Use `tx` for everything inside.
   */
  withTenant<T>(tenantId: string, work: (tx: Tx<DB>) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Like `withTenant` but sees every tenant's rows: schedulers, reapers, relays, admin. */
  asSystem<T>(work: (tx: Tx<DB>) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

type Scope = { kind: 'tenant'; tenantId: string } | { kind: 'system' };

/** The scoped handle both adapters share: everything that differs between them lives in the Kysely dialect. */
export function scopeDatabase<DB>(database: Database, schema: string): ScopedDatabase<DB> {
  assertSchemaName(schema);
  const run = <T>(
    scope: Scope,
    work: (tx: Tx<DB>) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T> => {
    let builder = (database.kysely as Kysely<DB>).transaction();
    if (options?.isolationLevel) builder = builder.setIsolationLevel(options.isolationLevel);
    return builder.execute(async (tx) => {
      // All transaction-local (is_local = true): nothing leaks to the next user of a pooled connection.
      await sql`select
          set_config('role', ${RUNTIME_ROLE}, true),
          set_config('search_path', ${schema}, true),
          set_config('app.scope', ${scope.kind}, true),
          set_config('app.tenant_id', ${scope.kind === 'tenant' ? scope.tenantId : ''}, true)`.execute(tx);
      return work(tx);
    });
  };
  return {
    schema,
    database,
    withTenant(tenantId, work, options) {
      if (!UUID.test(tenantId)) {
        return Promise.reject(new Error(`withTenant: tenant id must be a UUID (got "${tenantId}")`));
      }
      return run({ kind: 'tenant', tenantId: tenantId.toLowerCase() }, work, options);
    },
    asSystem(work, options) {
      return run({ kind: 'system' }, work, options);
    },
  };
}
