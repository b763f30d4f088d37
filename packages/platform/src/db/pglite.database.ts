import { mkdir } from 'node:fs/promises';
import { Mutex, PGlite, types } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { type Database, type Listener, type ScopedDatabase, scopeDatabase, type UntypedDb } from './database';
import { PGliteDialect } from './pglite.dialect';

export interface PGliteDatabaseOptions {
  /** Directory of the database files (created on first start, ~8 s); omitted: in memory (tests). */
  dataDir?: string;
}

/**
 * Values come back as `pg` returns them, so service code behaves the same on both adapters:
 * int8 as string (may exceed 2^53), date as 'YYYY-MM-DD' (no time-zone shift), bytea as Buffer.
 */
const PARSERS = {
  [types.INT8]: (value: string) => value,
  [types.DATE]: (value: string) => value,
  [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
};

/** PostgreSQL 18 compiled to WASM, in this process: the embedded mode's database. */
export class PGliteDatabase implements Database {
  readonly kind = 'pglite';
  readonly kysely: Kysely<UntypedDb>;
  readonly #mutex = new Mutex();

  private constructor(readonly pglite: PGlite) {
    this.kysely = new Kysely({ dialect: new PGliteDialect(pglite, this.#mutex) });
  }

  static async open(options: PGliteDatabaseOptions = {}): Promise<PGliteDatabase> {
    if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
    const pglite = new PGlite({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), parsers: PARSERS });
    await pglite.waitReady;
    return new PGliteDatabase(pglite);
  }

  scoped<DB = UntypedDb>(schema: string): ScopedDatabase<DB> {
    return scopeDatabase<DB>(this, schema);
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<Listener> {
    // LISTEN and UNLISTEN take the connection like any statement, so they never land inside
    // (and get rolled back with) someone else's open transaction.
    const unlisten = await this.#mutex.runExclusive(() => this.pglite.listen(channel, onNotify));
    let closed = false;
    return {
      close: async () => {
        if (closed || this.pglite.closed) return;
        closed = true;
        await this.#mutex.runExclusive(() => unlisten());
      },
    };
  }

  async ping(): Promise<void> {
    await this.#mutex.runExclusive(() => this.pglite.query('select 1'));
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
    // Kysely only destroys a driver it initialised, i.e. after a first query.
    if (!this.pglite.closed) await this.pglite.close();
  }
}
