import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyServerOptions, LogController } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { Logger } from '../log/logger';
import { newTrace, runWithTrace } from '../log/trace-context';
import { histogram } from '../metrics/metrics';
import { HttpError } from './http-error';

export interface HttpServerOptions {
  logger: Logger;
  metrics?: Registry;
  /** Allowed CORS origins (the web app); none means CORS is off. */
  corsOrigins?: readonly string[];
  bodyLimitBytes?: number;
  /**
   * Whose X-Forwarded-* to believe: `true` (anyone: only behind a proxy that overwrites them), a hop
   * count, or comma-separated addresses/CIDRs of the proxies in front.
   */
  trustProxy?: boolean | number | string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The HTTP server every service and the gateway are built on: zod validation and serialisation, the
 * platform error body, request ids, trace propagation, security headers and request metrics.
 */
export function createHttpServer(options: HttpServerOptions) {
  const serverOptions: FastifyServerOptions = {
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // Fastify takes a hop count too (its types lag behind its runtime).
    trustProxy: (options.trustProxy ?? false) as FastifyServerOptions['trustProxy'],
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // One line per request is written by the onResponse hook below, with status and duration.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
  };
  const app = Fastify(serverOptions).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.register(helmet, { contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'same-site' } });
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    app.register(cors, {
      origin: [...options.corsOrigins],
      credentials: true,
      exposedHeaders: ['x-request-id', 'x-trace-id', 'retry-after', 'etag'],
    });
  }

  // The trace context wraps the rest of the request, so logs and published events carry its ids.
  app.addHook('onRequest', (req, reply, done) => {
    const header = req.headers['x-trace-id'];
    const traceId = typeof header === 'string' && UUID.test(header) ? header.toLowerCase() : undefined;
    const trace = newTrace({ requestId: req.id, ...(traceId ? { traceId } : {}) });
    reply.header('x-request-id', req.id);
    reply.header('x-trace-id', trace.traceId);
    runWithTrace(trace, done);
  });

  if (options.metrics) {
    const duration = histogram(
      options.metrics,
      'flatrender_http_request_duration_seconds',
      'HTTP request latency by route and status',
      ['method', 'route', 'status'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    app.addHook('onResponse', (req, reply, done) => {
      duration.observe(
        { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }

  app.addHook('onResponse', (req, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    req.log[level](
      { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
    done();
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({
      error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}.` },
    });
  });

  app.setErrorHandler((error, req, reply) => {
    if (error instanceof HttpError) {
      if (error.headers) reply.headers(error.headers);
      return reply.code(error.statusCode).send({
        error: {
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
          ...(error.details !== undefined ? { details: error.details } : {}),
        },
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const path = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      const where = error.validationContext ?? 'body';
      const field = path || undefined;
      const message = first
        ? `${where}${field ? ` field "${field}"` : ''}: ${first.message ?? 'is invalid'}`
        : `Invalid ${where}.`;
      return reply.code(400).send({
        error: {
          code: 'invalid_request',
          message,
          ...(field ? { field } : {}),
          details: error.validation.map((v) => ({
            field: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
            message: v.message,
          })),
        },
      });
    }
    const fastifyError = error as { statusCode?: unknown; code?: string; message?: string };
    const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
    if (status < 500 && !isResponseSerializationError(error)) {
      // Fastify's own client errors (malformed JSON, body too large, unsupported media type).
      return reply.code(status).send({
        error: {
          code: fastifyCode(fastifyError.code, status),
          message: fastifyError.message ?? 'Bad request.',
        },
      });
    }
    const database = databaseProblem(error);
    if (database) {
      if (database.status === 503) {
        req.log.warn({ err: error }, 'database unavailable');
        reply.header('retry-after', '2');
      }
      return reply.code(database.status).send({ error: { code: database.code, message: database.message } });
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
  });

  return app;
}

const UNSTORABLE_TEXT = new Set(['22021', '22P05']);
const DATABASE_AWAY = new Set([
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);
const CONNECTION_LOST =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

/**
 * Database failures that are not bugs of the route: text PostgreSQL cannot store (a NUL byte) is the
 * client's mistake (400); a database that restarts or cannot be reached is temporary (503 with
 * Retry-After), so clients and load balancers retry instead of reporting an internal error.
 */
function databaseProblem(error: unknown): { status: 400 | 503; code: string; message: string } | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 3;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if (typeof code === 'string' && UNSTORABLE_TEXT.has(code))
      return {
        status: 400,
        code: 'invalid_text',
        message: 'The request contains text that cannot be stored (such as a NUL character).',
      };
    if (
      (typeof code === 'string' && (code.startsWith('08') || DATABASE_AWAY.has(code))) ||
      (typeof message === 'string' && CONNECTION_LOST.test(message))
    )
      return {
        status: 503,
        code: 'service_unavailable',
        message: 'The service is briefly unavailable; try again shortly.',
      };
  }
  return undefined;
}

function fastifyCode(code: string | undefined, status: number): string {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'invalid_json';
    default:
      return status === 413 ? 'payload_too_large' : status === 429 ? 'rate_limited' : 'bad_request';
  }
}

export type HttpServer = ReturnType<typeof createHttpServer>;
