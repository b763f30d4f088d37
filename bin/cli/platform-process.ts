import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  authenticate,
  blobDownloadRoute,
  ConfigError,
  createBlobStore,
  createBus,
  createDatabase,
  createHttpServer,
  createIdentityKeySet,
  createInternalClient,
  createLogger,
  createMetricsRegistry,
  type Database,
  type Infrastructure,
  Lifecycle,
  loadPlatformConfig,
  type PlatformConfig,
  type ReadinessCheck,
  registerHealthRoutes,
  registerOpenApi,
  SERVICE_PORTS,
  type ServiceDefinition,
  type ServiceName,
  type StartedService,
  startService,
} from '@flatrender/platform';
import { loadService } from './service-registry';

type GatewayModule = typeof import('@flatrender/gateway');
type GatewayParts = import('@flatrender/gateway').GatewayParts;

export interface PlatformProcessOptions {
  services: readonly ServiceName[];
  /** `distributed` insists on real servers (RabbitMQ, PostgreSQL) since other processes share them. */
  mode: 'embedded' | 'distributed';
  /** Serve HTTP (the gateway, or the one service's own routes). */
  http: boolean;
  /** Run every service's idempotent seed once the services are up (demo templates, fonts, plans). */
  seed?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The definitions of `services`, when not those of this build's registry (tests run the real
   * composition around a stand-in service).
   */
  definitions?: readonly ServiceDefinition[];
}

export interface RunningPlatform {
  config: PlatformConfig;
  infra: Infrastructure;
  /** The bound HTTP address, when serving HTTP. */
  url?: string;
  stop(): Promise<void>;
}

/**
 * Opens the adapters chosen by configuration, starts the given services on them, and serves HTTP.
 * The same code runs the one-process platform (`flatrender start`) and each distributed process
 * (`flatrender serve <service>`).
 */
export async function startPlatformProcess(options: PlatformProcessOptions): Promise<RunningPlatform> {
  const env = options.env ?? process.env;
  const config = loadPlatformConfig(env);
  const gateway: GatewayModule | undefined =
    options.http && options.services.includes('gateway') ? await import('@flatrender/gateway') : undefined;
  const gatewayConfig = gateway?.readGatewayConfig(env);
  const definitions =
    options.definitions ??
    (await Promise.all(
      options.services.map((name) =>
        // The gateway reads its own config section from the same environment as the rest.
        name === 'gateway' && gateway ? gateway.createGatewayService({ env }) : loadService(name),
      ),
    ));
  const needsDatabase = definitions.some((d) => d.schema);

  if (options.mode === 'distributed') {
    if (!config.amqpUrl)
      throw new ConfigError(
        'AMQP_URL',
        'is required to run a service on its own (the in-process bus reaches no other process)',
      );
    if (needsDatabase && !config.databaseUrl) {
      throw new ConfigError(
        'DATABASE_URL',
        'is required to run a service on its own (PGlite serves one process only)',
      );
    }
  }

  const logger = createLogger({ level: config.logLevel });
  const metrics = createMetricsRegistry();
  const lifecycle = new Lifecycle(logger, config.shutdownTimeoutMs);
  const secret = config.secret ?? (await embeddedSecret(config, options.mode));

  // Settled once the server has every route and listens (in-process internal calls wait for it).
  let markServing: (failure?: unknown) => void = () => {};
  const serving = new Promise<void>((resolve, reject) => {
    markServing = (failure) => (failure === undefined ? resolve() : reject(failure));
  });
  serving.catch(() => undefined);
  try {
    let database: Database | undefined;
    if (needsDatabase) {
      database = await createDatabase(config);
      const db = database;
      lifecycle.onStop('database', () => db.close());
    }
    const bus = await createBus({
      amqpUrl: config.amqpUrl,
      logger,
      registry: metrics,
      connectionName: `flatrender ${options.services.join(',')} pid ${process.pid}`,
    });
    lifecycle.onStop('bus', () => bus.close());
    const blobs = await createBlobStore(config, secret);

    const app = options.http
      ? createHttpServer({
          logger,
          metrics,
          corsOrigins: [config.webOrigin],
          // At the edge only the configured load balancers are believed; behind it, the gateway is.
          trustProxy: gatewayConfig ? gatewayConfig.trustProxy : options.mode === 'distributed',
        })
      : undefined;
    // Before any route: it collects them as they are added.
    if (app) await registerOpenApi(app, { secret });

    const internal = createInternalClient({
      secret,
      config,
      local: options.services,
      ...(app ? { app, serving } : {}),
    });
    const infra: Infrastructure = {
      config,
      logger,
      metrics,
      lifecycle,
      bus,
      blobs,
      internal,
      secret,
      ...(database ? { database } : {}),
    };

    const readiness: Record<string, ReadinessCheck> = {};
    if (database) readiness.database = () => (database as Database).ping();
    const started: StartedService[] = [];
    const start = async (definition: ServiceDefinition) => {
      const service = await startService(definition, infra, app);
      started.push(service);
      for (const [name, check] of Object.entries(service.readiness))
        readiness[`${definition.name}.${name}`] = check;
      return service;
    };

    // The gateway first: its edge hooks run on every route of this server, in this order — guard,
    // authentication (with its deny list and API-key exchange), rate limits.
    const gatewayDefinition = app ? definitions.find((d) => d.name === 'gateway') : undefined;
    const edge = gatewayDefinition
      ? ((await start(gatewayDefinition)).parts as GatewayParts).edge
      : undefined;
    if (app) {
      if (edge) app.addHook('onRequest', edge.guard);
      // Every process verifies access tokens itself against identity's published keys.
      const keys = createIdentityKeySet({ internal });
      app.addHook('onRequest', authenticate({ keys, ...(edge ? edge.auth : {}) }));
      if (edge) await edge.registerRateLimits(app);
    }
    for (const definition of definitions) if (definition !== gatewayDefinition) await start(definition);
    // Distributed, the services this process does not run are reached through the gateway's proxy.
    if (app && edge && options.mode === 'distributed') await edge.mountRemote(app, options.services);
    if (options.seed) {
      for (const service of started) {
        if (!service.parts.seed) continue;
        await service.parts.seed();
        logger.info({ service: service.definition.name }, 'seeded');
      }
    }

    let url: string | undefined;
    if (app) {
      registerHealthRoutes(app, { checks: readiness, metrics, isDraining: () => lifecycle.isDraining });
      // Signed downloads belong to the file service (`/v1/blobs`); elsewhere the gateway proxies them.
      if (blobs.kind === 'disk' && options.services.includes('file'))
        await app.register(blobDownloadRoute, { store: blobs, secret });
      url = await app.listen({ port: listenPort(options.services, config.port, env), host: config.host });
      markServing();
      lifecycle.onStop('http', () => app.close());
      logger.info({ url, services: options.services }, 'listening');
    }
    return { config, infra, ...(url ? { url } : {}), stop: () => lifecycle.stop() };
  } catch (error) {
    markServing(error ?? new Error('start-up failed'));
    await lifecycle.stop('start-up failed').catch(() => undefined);
    throw error;
  }
}

/**
 * Embedded mode keeps a generated secret in the data dir so signed links survive restarts; a
 * distributed deployment must configure the same secret on every process.
 */
async function embeddedSecret(config: PlatformConfig, mode: PlatformProcessOptions['mode']): Promise<string> {
  if (mode === 'distributed')
    throw new ConfigError(
      'FLATRENDER_SECRET',
      'is required to run a service on its own (every process must share it)',
    );
  const file = path.resolve(config.dataDir, 'secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * A process serving one service listens on that service's own port (the one the gateway and the
 * other services call it on by default) unless PORT says otherwise; anything else listens on PORT.
 */
export function listenPort(services: readonly string[], port: number, env: NodeJS.ProcessEnv): number {
  const only = services.length === 1 ? services[0] : undefined;
  if (env.PORT !== undefined || !only || !(only in SERVICE_PORTS)) return port;
  return SERVICE_PORTS[only as keyof typeof SERVICE_PORTS];
}
