import { parseArgs } from 'node:util';
import { SERVICE_ROLES, type ServiceName } from '@flatrender/platform';
import { startPlatformProcess } from './platform-process';
import { AVAILABLE_SERVICES } from './service-registry';
import { startWebApp } from './web-app';

/**
 * `flatrender start`: every service of this build in one process. Adapters follow configuration:
 * with nothing set, PGlite, the in-process bus and local disk (the one-command mode).
 */
export async function runStart(argv: string[]): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true });
  const roles = process.env.FLATRENDER_ROLES?.trim();
  const serveWeb = !roles || roles === 'all' || roles.split(',').some((r) => r.trim() === 'web');
  // The web server calls the gateway for its visitors from loopback and names them in X-Forwarded-For,
  // which rate limits must believe (only from loopback: a remote client cannot claim another address).
  if (serveWeb && process.env.GATEWAY_TRUST_PROXY === undefined) process.env.GATEWAY_TRUST_PROXY = 'loopback';
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
  if (serveWeb && platform.url) {
    const { config } = platform;
    const web = await startWebApp({
      port: config.webPort,
      host: config.host,
      gatewayUrl: `http://127.0.0.1:${new URL(platform.url).port}`,
      gatewayPublicUrl: config.publicUrl,
      logger: platform.infra.logger,
    });
    platform.infra.lifecycle.onStop('web', () => web.stop());
  }
  return new Promise<number>(() => {});
}
