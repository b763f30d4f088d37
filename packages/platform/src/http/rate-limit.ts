import { createHash } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { ConfigError } from '../config/define-config';
import { counter } from '../metrics/metrics';
import { tooManyRequests } from './http-error';
import type { HttpServer } from './http-server';

/** At most `max` requests per `windowMs` for one key. */
export interface RateRule {
  max: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** Shared counters across gateway replicas; without it, counters live in this process. */
  redis?: Redis;
  /** Prefix of every Redis key (tests use a random one). */
  keyPrefix?: string;
  /** Requests without a principal, per client IP. */
  anonymous: RateRule;
  /** Requests made with an API key (machine clients), per key. */
  authenticated: RateRule;
  /**
   * Requests of signed-in people (the web app), per person: an open studio polls previews, saves and
   * notifications, so it needs a larger budget than a script; a per-person key stops one member of a
   * team from spending the others' budget.
   */
  session: RateRule;
  /**
   * Credential endpoints (login, register, password reset, refresh): an extra, stricter limit per IP,
   * and per email address when the JSON body carries one — stops spraying one account from many IPs.
   */
  sensitive: { paths: readonly string[]; perIp: RateRule; perEmail: RateRule };
  /** Requests never limited (health probes, signed internal calls). */
  skip?: (request: FastifyRequest) => boolean;
  metrics?: Registry;
}

type Limiter = (
  request: FastifyRequest,
) => Promise<
  | { isAllowed: true }
  | { isAllowed: false; isExceeded: boolean; max: number; remaining: number; ttlInSeconds: number }
>;

/**
 * Rate limits for the public edge, on @fastify/rate-limit's stores (memory, or Redis when given) with
 * our own keys: run this after `authenticate` so requests are counted per principal. A refusal is a
 * 429 with `Retry-After` and the platform error body (`code: "rate_limited"`). When Redis fails the
 * request is let through (and counted in a metric): an outage of the limiter must not take the API down.
 */
export async function registerRateLimits(app: HttpServer, options: RateLimitOptions): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: false,
    ...(options.redis ? { redis: options.redis, nameSpace: options.keyPrefix ?? 'flatrender:rl:' } : {}),
    cache: 50_000,
  });
  const errors = options.metrics
    ? counter(
        options.metrics,
        'flatrender_rate_limit_errors_total',
        'Rate-limit store failures (requests let through)',
      )
    : undefined;
  const refused = options.metrics
    ? counter(options.metrics, 'flatrender_rate_limited_total', 'Requests refused with 429, by limit', [
        'limit',
      ])
    : undefined;

  const limiter = (rule: RateRule, name: string, key: (request: FastifyRequest) => string): Limiter =>
    app.createRateLimit({
      max: rule.max,
      timeWindow: rule.windowMs,
      keyGenerator: (request) => `${name}:${key(request)}`,
    }) as Limiter;

  const general = {
    anonymous: limiter(options.anonymous, 'ip', (r) => r.ip),
    authenticated: limiter(options.authenticated, 'key', (r) => r.principal?.apiKeyId ?? r.ip),
    session: limiter(options.session, 'user', (r) => r.principal?.userId ?? r.ip),
  };
  const sensitiveIp = limiter(options.sensitive.perIp, 'auth-ip', (r) => r.ip);
  const sensitiveEmail = limiter(options.sensitive.perEmail, 'auth-email', (r) => emailKey(r) ?? '');
  const sensitive = new Set(options.sensitive.paths);
  const isSensitive = (request: FastifyRequest) =>
    request.method === 'POST' && sensitive.has((request.url.split('?', 1)[0] ?? '').replace(/\/+$/, ''));

  const check = async (name: string, limit: Limiter, request: FastifyRequest, reply?: FastifyReply) => {
    let result: Awaited<ReturnType<Limiter>>;
    try {
      result = await limit(request);
    } catch (error) {
      errors?.inc();
      request.log.warn({ err: error }, 'rate limit store failed; request let through');
      return;
    }
    if (result.isAllowed) return;
    if (reply) {
      reply.header('x-ratelimit-limit', result.max);
      reply.header('x-ratelimit-remaining', result.remaining);
      reply.header('x-ratelimit-reset', result.ttlInSeconds);
    }
    if (result.isExceeded) {
      refused?.inc({ limit: name });
      throw tooManyRequests(Math.max(1, result.ttlInSeconds));
    }
  };

  app.addHook('onRequest', async (request, reply) => {
    if (options.skip?.(request)) return;
    if (request.principal?.apiKeyId) await check('authenticated', general.authenticated, request, reply);
    else if (request.principal) await check('session', general.session, request, reply);
    else await check('anonymous', general.anonymous, request, reply);
    if (isSensitive(request)) await check('sensitive', sensitiveIp, request);
  });

  // The email is in the body, parsed only after onRequest.
  app.addHook('preValidation', async (request) => {
    if (options.skip?.(request) || !isSensitive(request) || !emailKey(request)) return;
    await check('sensitive-email', sensitiveEmail, request);
  });
}

/** A digest of the normalised address, so Redis never holds emails in clear. */
function emailKey(request: FastifyRequest): string | undefined {
  const body = request.body as { email?: unknown } | undefined;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string') return undefined;
  const email = body.email.trim().toLowerCase();
  if (!email) return undefined;
  return createHash('sha256').update(email).digest('base64url');
}

/**
 * Connects to REDIS_URL for shared rate limits, or stops start-up with one line naming the variable.
 * Commands fail fast while disconnected (no offline queue), so a Redis outage never stalls requests.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
  });
  // ioredis reconnects on its own; errors between reconnects would otherwise be unhandled events.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new ConfigError(
      'REDIS_URL',
      `is unreachable (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return redis;
}
