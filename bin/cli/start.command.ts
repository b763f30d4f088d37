import { parseArgs } from 'node:util';
import { SERVICE_ROLES, type ServiceName } from '@flatrender/platform';
import { startPlatformProcess } from './platform-process';
import { AVAILABLE_SERVICES } from './service-registry';

/**
 * `flatrender start`: every service of this build in one process. Adapters follow configuration:
 * with nothing set, PGlite, the in-process bus and local disk (the one-command mode).
 */
export async function runStart(argv: string[]): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true });
  const roles = process.env.FLATRENDER_ROLES?.trim();
  const services: ServiceName[] =
    !roles || roles === 'all'
      ? AVAILABLE_SERVICES
      : (roles
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== 'web' && (SERVICE_ROLES as readonly string[]).includes(r)) as ServiceName[]);
  const platform = await startPlatformProcess({ services, mode: 'embedded', http: true, seed: true });
  platform.infra.lifecycle.handleSignals();
  process.stdout.write(`FlatRender is running: ${platform.url} (health: ${platform.url}/healthz)\n`);
  return new Promise<number>(() => {});
}
