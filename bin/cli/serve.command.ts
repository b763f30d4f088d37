import { parseArgs } from 'node:util';
import type { ServiceName } from '@flatrender/platform';
import { startPlatformProcess } from './platform-process';
import { AVAILABLE_SERVICES } from './service-registry';

/** `flatrender serve <service>`: one service as its own process, on the distributed adapters. */
export async function runServe(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const [name] = positionals;
  if (!name || !(AVAILABLE_SERVICES as string[]).includes(name) || name === 'render-node') {
    process.stderr.write(
      `usage: flatrender serve <${AVAILABLE_SERVICES.filter((s) => s !== 'render-node').join('|')}>\n`,
    );
    return 1;
  }
  const platform = await startPlatformProcess({
    services: [name as ServiceName],
    mode: 'distributed',
    http: true,
  });
  platform.infra.lifecycle.handleSignals();
  return new Promise<number>(() => {});
}
