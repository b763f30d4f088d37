import { defineService } from '@flatrender/platform';

/**
 * The public HTTP edge. In the one-process mode every service's routes are mounted on the gateway's
 * server; distributed, the gateway proxies `/v1` to the services (same routes either way).
 */
export const gatewayService = defineService({
  name: 'gateway',
  setup: (ctx) => ({
    routes(app) {
      app.get('/v1', { schema: { hide: true } }, async () => ({
        name: 'FlatRender',
        api: 'v1',
        docs: `${ctx.config.publicUrl}/docs`,
      }));
    },
  }),
});
