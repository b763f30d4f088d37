import path from 'node:path';
import { ConfigError, type PlatformConfig } from '../config';
import type { Database } from './database';
import { PGliteDatabase } from './pglite.database';
import { PostgresDatabase } from './postgres.database';

export interface CreateDatabaseOptions {
  poolSize?: number;
  onError?: (error: Error) => void;
}

/**
 * `DATABASE_URL` set: PostgreSQL, checked with a round trip now so a wrong URL stops start-up with one
 * line. Unset: PGlite in `$FLATRENDER_DATA_DIR/db` (its first start creates it and takes seconds).
 */
export async function createDatabase(
  config: Pick<PlatformConfig, 'databaseUrl' | 'dataDir'>,
  options: CreateDatabaseOptions = {},
): Promise<Database> {
  if (config.databaseUrl) {
    const db = new PostgresDatabase({
      url: config.databaseUrl,
      connectionTimeoutMs: 5_000,
      ...(options.poolSize ? { poolSize: options.poolSize } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    try {
      await db.ping();
    } catch (error) {
      await db.close().catch(() => undefined);
      throw new ConfigError('DATABASE_URL', `is unreachable: ${describe(error)}`);
    }
    return db;
  }
  const dataDir = path.resolve(config.dataDir, 'db');
  try {
    return await PGliteDatabase.open({ dataDir });
  } catch (error) {
    throw new ConfigError(
      'FLATRENDER_DATA_DIR',
      `holds no usable PGlite database in ${dataDir}: ${describe(error)}`,
    );
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
