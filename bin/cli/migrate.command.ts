import { parseArgs } from 'node:util';
import { createDatabase, loadPlatformConfig, migrateService } from '@flatrender/platform';
import { AVAILABLE_SERVICES, loadService } from './service-registry';

/** `flatrender migrate`: brings every service schema up to date, then exits. Idempotent. */
export async function runMigrate(argv: string[]): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true });
  const config = loadPlatformConfig();
  const database = await createDatabase(config);
  try {
    for (const name of AVAILABLE_SERVICES) {
      const definition = await loadService(name);
      if (!definition.schema) continue;
      const { applied } = await migrateService(database, {
        service: name,
        schema: definition.schema,
        ...(definition.migrationsDir ? { dir: definition.migrationsDir } : {}),
      });
      process.stdout.write(
        `${definition.schema}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`,
      );
    }
  } finally {
    await database.close();
  }
  return 0;
}
