import { routeOwner } from '@flatrender/contracts';
import { createHttpServer, createLogger, type ServiceContext } from '@flatrender/platform';
import { describe, expect, it } from 'vitest';
import { identityService } from '../index';

describe('identity routes', () => {
  it('live only under the public prefixes ROUTE_OWNERS gives identity, or under /internal/', async () => {
    const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
    const urls: string[] = [];
    app.addHook('onRoute', (route) => {
      if (route.method !== 'HEAD') urls.push(route.url);
    });
    const ctx = {
      db: {},
      logger: createLogger({ level: 'silent' }),
      secret: 'x'.repeat(32),
      config: { webOrigin: 'http://localhost:3000' },
    };
    const parts = await identityService.setup(ctx as unknown as ServiceContext);
    await app.register(async (scope) => parts.routes?.(scope as typeof app));
    await app.ready();
    expect(urls.length).toBeGreaterThan(30);
    for (const url of urls) {
      if (url.startsWith('/internal/')) continue;
      expect(routeOwner(url), url).toBe('identity');
    }
    expect(urls).toEqual(
      expect.arrayContaining(['/.well-known/jwks.json', '/internal/jwks', '/internal/api-keys/exchange']),
    );
    await app.close();
  });
});
