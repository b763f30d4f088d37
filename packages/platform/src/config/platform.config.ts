import { z } from 'zod';
import { ConfigError, defineConfig, env, readConfig } from './define-config';

export const SERVICE_ROLES = [
  'gateway',
  'identity',
  'content',
  'studio',
  'file',
  'render',
  'notification',
  'render-node',
  'web',
] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Where each service listens when it runs as its own process. The gateway proxies to these and
 * services call each other's internal routes through them; in one process they are not used.
 */
export const SERVICE_PORTS = {
  identity: 8081,
  content: 8082,
  studio: 8083,
  file: 8084,
  render: 8085,
  notification: 8086,
} as const;
export type HttpServiceName = keyof typeof SERVICE_PORTS;

function serviceUrlFields() {
  const fields = {} as Record<
    `${HttpServiceName}Url`,
    { env: string; doc: string; schema: z.ZodType<string>; defaultDoc: string }
  >;
  for (const [name, port] of Object.entries(SERVICE_PORTS) as [HttpServiceName, number][]) {
    fields[`${name}Url`] = {
      env: `${name.toUpperCase()}_URL`,
      doc: `Base URL of the ${name} service when it runs as its own process.`,
      schema: env.url(['http', 'https']).default(`http://127.0.0.1:${port}`),
      defaultDoc: `http://127.0.0.1:${port}`,
    };
  }
  return fields;
}

/** Configuration shared by every process. Each adapter is chosen by whether its variable is set. */
export const platformConfigShape = defineConfig('platform', {
  dataDir: {
    env: 'FLATRENDER_DATA_DIR',
    doc: 'Where the embedded mode keeps its PGlite database, blobs and generated secrets.',
    schema: z.string().default('./.flatrender'),
    defaultDoc: './.flatrender',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    doc: 'PostgreSQL connection URL; unset means embedded PGlite in $FLATRENDER_DATA_DIR/db.',
    schema: env.url(['postgres', 'postgresql']).optional(),
    secret: true,
  },
  amqpUrl: {
    env: 'AMQP_URL',
    doc: 'RabbitMQ URL; unset means the in-process bus (one process only).',
    schema: env.url(['amqp', 'amqps']).optional(),
    secret: true,
  },
  redisUrl: {
    env: 'REDIS_URL',
    doc: 'Redis URL for shared rate limits; unset means in-memory limits (one process only).',
    schema: env.url(['redis', 'rediss']).optional(),
    secret: true,
  },
  s3Endpoint: {
    env: 'S3_ENDPOINT',
    doc: 'S3-compatible endpoint URL; unset means local disk under $FLATRENDER_DATA_DIR/blobs.',
    schema: env.url(['http', 'https']).optional(),
  },
  s3Bucket: {
    env: 'S3_BUCKET',
    doc: 'Bucket for all blobs (required with S3_ENDPOINT).',
    schema: z.string().optional(),
  },
  s3AccessKeyId: {
    env: 'S3_ACCESS_KEY_ID',
    doc: 'S3 access key id.',
    schema: z.string().optional(),
    secret: true,
  },
  s3SecretAccessKey: {
    env: 'S3_SECRET_ACCESS_KEY',
    doc: 'S3 secret access key.',
    schema: z.string().optional(),
    secret: true,
  },
  s3Region: {
    env: 'S3_REGION',
    doc: 'S3 region.',
    schema: z.string().default('us-east-1'),
    defaultDoc: 'us-east-1',
  },
  s3ForcePathStyle: {
    env: 'S3_FORCE_PATH_STYLE',
    doc: 'Path-style bucket addressing (MinIO and most self-hosted stores need it).',
    schema: env.bool(true),
    defaultDoc: 'true',
  },
  port: {
    env: 'PORT',
    doc: "Port of the gateway and of `flatrender start`; a process serving one other service listens on that service's own port (identity 8081, content 8082, studio 8083, file 8084, render 8085, notification 8086) unless PORT is set.",
    schema: env.port(8080),
    defaultDoc: '8080',
  },
  host: {
    env: 'HOST',
    doc: 'Interface to listen on.',
    schema: z.string().default('0.0.0.0'),
    defaultDoc: '0.0.0.0',
  },
  webPort: { env: 'WEB_PORT', doc: 'Port of the web app.', schema: env.port(3000), defaultDoc: '3000' },
  roles: {
    env: 'FLATRENDER_ROLES',
    doc: 'Which services this process runs (comma list) or `all`.',
    schema: env.list([...SERVICE_ROLES, 'all'] as const, ['all']),
    defaultDoc: 'all',
  },
  publicUrl: {
    env: 'PUBLIC_URL',
    doc: 'Base URL of the gateway as users reach it (links in emails, signed URLs).',
    schema: env.url(['http', 'https']).optional(),
    defaultDoc: 'http://localhost:$PORT',
  },
  webOrigin: {
    env: 'WEB_ORIGIN',
    doc: 'Origin of the web app, allowed by CORS and used in links to pages.',
    schema: env.url(['http', 'https']).default('http://localhost:3000'),
    defaultDoc: 'http://localhost:3000',
  },
  secret: {
    env: 'FLATRENDER_SECRET',
    doc: 'At least 32 characters; keys signed URLs and internal tokens. Embedded mode generates one in the data dir.',
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    secret: true,
  },
  logLevel: {
    env: 'LOG_LEVEL',
    doc: 'pino log level.',
    schema: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    defaultDoc: 'info',
  },
  ...serviceUrlFields(),
  shutdownTimeoutMs: {
    env: 'SHUTDOWN_TIMEOUT_MS',
    doc: 'How long a graceful shutdown waits for in-flight work before closing anyway.',
    schema: env.int(15000, 100),
    defaultDoc: '15000',
  },
});

export type PlatformConfig = ReturnType<typeof loadPlatformConfig>;

export function loadPlatformConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  const config = readConfig(platformConfigShape, source);
  if (config.s3Endpoint && !config.s3Bucket) {
    throw new ConfigError('S3_BUCKET', 'is required when S3_ENDPOINT is set');
  }
  return {
    ...config,
    publicUrl: (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, ''),
  };
}
