import { bindingsFor, dispatchQueuesFor, routeOwner } from '@flatrender/contracts';
import {
  createHttpServer,
  createLogger,
  createMetricsRegistry,
  type ServiceContext,
} from '@flatrender/platform';
import { describe, expect, it } from 'vitest';
import { generateVapidKeys } from '../channels/web-push.sender';
import { createNotificationService } from '../index';

/** The service's parts built without servers (keys configured, so no database is needed). */
async function setUp() {
  const vapid = generateVapidKeys();
  const service = createNotificationService({
    env: {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      NOTIFY_MAIL_DIR: '/nonexistent',
    },
  });
  const ctx = {
    db: {},
    logger: createLogger({ level: 'silent' }),
    metrics: createMetricsRegistry({ defaultMetrics: false }),
    secret: 'x'.repeat(32),
    config: {
      webOrigin: 'http://localhost:3000',
      publicUrl: 'http://localhost:8080',
      dataDir: '/nonexistent',
    },
  };
  return service.setup(ctx as unknown as ServiceContext);
}

describe('notification service', () => {
  it('consumes exactly the events and work queues the catalog gives it', async () => {
    const parts = await setUp();
    expect(Object.keys(parts.events ?? {}).sort()).toEqual([...bindingsFor('notification')].sort());
    expect((parts.workers ?? []).map((w) => w.queue).sort()).toEqual(
      [...dispatchQueuesFor('notification')].sort(),
    );
  });

  it('has routes only under the public prefixes ROUTE_OWNERS gives notification, each with a schema', async () => {
    const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
    const routes: { url: string; method: string; hasSchema: boolean }[] = [];
    app.addHook('onRoute', (route) => {
      if (route.method === 'HEAD') return;
      routes.push({ url: route.url, method: String(route.method), hasSchema: Boolean(route.schema) });
    });
    const parts = await setUp();
    await app.register(async (scope) => parts.routes?.(scope as typeof app));
    await app.ready();
    expect(routes.length).toBeGreaterThan(25);
    for (const route of routes) {
      expect(routeOwner(route.url), route.url).toBe('notification');
      expect(route.hasSchema, `${route.method} ${route.url}`).toBe(true);
    }
    expect(routes.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        '/v1/notifications',
        '/v1/notifications/preferences',
        '/v1/webhooks/:id/deliveries/:deliveryId/replay',
        '/v1/push-subscriptions',
        '/v1/telegram/webhook/:secret',
      ]),
    );
    await app.close();
  });
});
