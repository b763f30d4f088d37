import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Database, type Listener, type ScopedDatabase, scopeDatabase, type UntypedDb } from './database';

export interface PostgresDatabaseOptions {
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How long to wait for a connection before failing (default 10 s). */
  connectionTimeoutMs?: number;
  /** Errors of idle pooled connections and of listener connections (they are replaced, not fatal). */
  onError?: (error: Error) => void;
}

const DATE_OID = 1082;

/**
 * `pg` defaults except `date`, kept as 'YYYY-MM-DD' instead of a local-midnight Date that shifts
 * with the process time zone. PGlite is configured to return the same shapes.
 */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID && format !== 'binary'
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A PostgreSQL server (15 or newer) through a `pg` pool: the distributed mode's database. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  readonly kysely: Kysely<UntypedDb>;
  readonly #pool: pg.Pool;
  readonly #listeners = new Set<PgListener>();
  #closed = false;

  constructor(private readonly options: PostgresDatabaseOptions) {
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      types: TYPES,
    });
    // Without a handler an idle connection's error (server restart) would crash the process; the
    // pool drops that connection and opens a new one on demand.
    this.#pool.on('error', (error) => options.onError?.(error));
    this.kysely = new Kysely({ dialect: new PostgresDialect({ pool: this.#pool }) });
  }

  scoped<DB = UntypedDb>(schema: string): ScopedDatabase<DB> {
    return scopeDatabase<DB>(this, schema);
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<Listener> {
    const listener = new PgListener(this.options, channel, onNotify, () => this.#listeners.delete(listener));
    await listener.start();
    this.#listeners.add(listener);
    return listener;
  }

  async ping(): Promise<void> {
    await this.#pool.query('select 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#listeners].map((l) => l.close()));
    await this.kysely.destroy();
  }
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/** One dedicated connection that LISTENs and comes back after the server or network drops it. */
class PgListener implements Listener {
  #client: pg.Client | undefined;
  #closed = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #attempt = 0;

  constructor(
    private readonly options: PostgresDatabaseOptions,
    private readonly channel: string,
    private readonly onNotify: (payload: string) => void,
    private readonly onClosed: () => void,
  ) {}

  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.options.connectionTimeoutMs ?? 10_000,
    });
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onNotify(message.payload ?? '');
    });
    client.on('error', (error) => {
      this.options.onError?.(error);
      this.#lost(client);
    });
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#attempt = 0;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#retryTimer) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.#attempt++);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#connect().catch((error: Error) => {
        this.options.onError?.(error);
        this.#scheduleReconnect();
      });
    }, delay);
    this.#retryTimer.unref();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    this.onClosed();
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
