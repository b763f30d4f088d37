import { parseArgs } from 'node:util';
import { startPlatformProcess } from './platform-process';
import { AVAILABLE_SERVICES } from './service-registry';

/** `flatrender seed`: runs every service's idempotent seed (demo templates, fonts, plans), then exits. */
export async function runSeed(argv: string[]): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true });
  const services = AVAILABLE_SERVICES.filter((s) => s !== 'render-node' && s !== 'gateway');
  const platform = await startPlatformProcess({ services, mode: 'embedded', http: false, seed: true });
  await platform.stop();
  return 0;
}
