import {
  ApiKeyExchanger,
  type AuthenticateOptions,
  connectRedis,
  DenyList,
  defineService,
  type HttpServer,
  type HttpServiceName,
  registerRateLimits,
  type ServiceDefinition,
  type ServiceParts,
  type Subscription,
} from '@flatrender/platform';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { edgeGuard } from './edge/edge-guard';
import { EventStreamHub } from './events/event-stream.hub';
import { subscribeGatewayEvents } from './events/gateway-events.consumer';
import { StreamTickets } from './events/stream-tickets';
import { readGatewayConfig } from './gateway.config';
import { registerServiceProxies } from './proxy/service-proxy';
import { OpenApiAggregator, registerDocsRoutes } from './routes/docs.routes';
import { registerEventRoutes } from './routes/events.routes';

export { type GatewayConfig, gatewayConfigShape, readGatewayConfig } from './gateway.config';

/** Credential endpoints of identity, limited harder (per IP and per email). */
export const CREDENTIAL_PATHS = [
  '/v1/auth/login',
  '/v1/auth/register',
  '/v1/auth/refresh',
  '/v1/auth/password-reset/request',
  '/v1/auth/password-reset/confirm',
  '/v1/auth/verify-email',
  '/v1/auth/resend-verification',
] as const;

const UNLIMITED = /^\/(healthz|readyz|metrics)$|^\/internal\/|^\/docs\/static\//;

/**
 * What the process composition installs on the root server when it runs the gateway (hooks apply to
 * every service mounted on it): in order, the guard, authentication with the deny list and API keys,
 * then rate limits; and once local services are mounted, the proxies to the others.
 */
export interface GatewayEdge {
  guard: (request: FastifyRequest) => Promise<void>;
  auth: Required<Pick<AuthenticateOptions, 'isRevoked' | 'exchangeApiKey'>>;
  registerRateLimits(app: HttpServer): Promise<void>;
  /** Proxies every public prefix whose owner is not among `local`; the docs merge those services. */
  mountRemote(app: HttpServer, local: readonly string[]): Promise<void>;
}

export interface GatewayParts extends ServiceParts {
  edge: GatewayEdge;
}

export interface GatewayServiceOptions {
  /** Where the `gateway` config section is read from (tests); the process environment otherwise. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The public HTTP edge. In the one-process mode every service's routes are mounted on the gateway's
 * server; distributed, the gateway proxies `/v1` to the services (same routes either way). It owns
 * API-key exchange, the deny list, rate limits, the event stream and the API description.
 */
export function createGatewayService(options: GatewayServiceOptions = {}): ServiceDefinition {
  return defineService({
    name: 'gateway',
    async setup(ctx): Promise<GatewayParts> {
      const config = readGatewayConfig(options.env ?? process.env);
      let redis: Redis | undefined;
      if (ctx.config.redisUrl) redis = await connectRedis(ctx.config.redisUrl);

      const denyList = new DenyList({ retentionMs: config.accessTokenMaxLifetime });
      const apiKeys = new ApiKeyExchanger({ internal: ctx.internal });
      const hub = new EventStreamHub({
        heartbeatMs: config.sseHeartbeat,
        maxStreamsPerTenant: config.sseMaxStreamsPerTenant,
      });
      const tickets = new StreamTickets(
        redis ? { redis, keyPrefix: `${config.redisPrefix}sse-ticket:` } : {},
      );
      let remote: readonly HttpServiceName[] = [];
      let subscription: Subscription | undefined;

      const edge: GatewayEdge = {
        guard: edgeGuard(ctx.secret),
        auth: { isRevoked: denyList.isRevoked, exchangeApiKey: apiKeys.exchange },
        registerRateLimits: (app) =>
          registerRateLimits(app, {
            ...(redis ? { redis, keyPrefix: `${config.redisPrefix}rl:` } : {}),
            anonymous: { max: config.anonymousMax, windowMs: config.window },
            authenticated: { max: config.authenticatedMax, windowMs: config.window },
            session: { max: config.sessionMax, windowMs: config.window },
            sensitive: {
              paths: CREDENTIAL_PATHS,
              perIp: { max: config.authIpMax, windowMs: config.authWindow },
              perEmail: { max: config.authEmailMax, windowMs: config.authWindow },
            },
            skip: (request) => UNLIMITED.test(request.url.split('?', 1)[0] ?? ''),
            metrics: ctx.metrics,
          }),
        async mountRemote(app, local) {
          remote = await registerServiceProxies(app, { config: ctx.config, local });
          if (remote.length > 0) ctx.logger.info({ remote }, 'proxying to services in other processes');
        },
      };

      return {
        edge,
        async routes(app) {
          app.get('/v1', { schema: { hide: true } }, async () => ({
            name: 'FlatRender',
            api: 'v1',
            docs: `${ctx.config.publicUrl}/docs`,
          }));
          registerEventRoutes(app, { hub, tickets, isRevoked: denyList.isRevoked });
          const docs = new OpenApiAggregator(app, {
            internal: ctx.internal,
            logger: ctx.logger,
            remote: () => remote,
          });
          await registerDocsRoutes(app, docs);
          // Open event streams would hold the server's close forever.
          app.addHook('preClose', async () => hub.closeAll());
        },
        readiness: redis ? { redis: async () => void (await (redis as Redis).ping()) } : {},
        async start() {
          subscription = await subscribeGatewayEvents(ctx.bus, { denyList, apiKeys, hub });
        },
        async stop() {
          hub.closeAll();
          await subscription?.cancel();
          redis?.disconnect();
        },
      };
    },
  });
}

export const gatewayService = createGatewayService();
