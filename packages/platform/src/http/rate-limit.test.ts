import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import { ConfigError } from '../config/define-config';
import { createLogger } from '../log';
import { describeWithServices, TEST_REDIS_URL } from '../testing/real-services';
import { createHttpServer } from './http-server';
import { connectRedis, type RateLimitOptions, registerRateLimits } from './rate-limit';

const LOGIN = '/v1/auth/login';

/** A server limited like the gateway; `x-test-tenant` stands in for an authenticated principal. */
async function limitedApp(redis?: Redis, overrides: Partial<RateLimitOptions> = {}, keyPrefix = 'x') {
  const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
  app.addHook('onRequest', async (req) => {
    const tenant = req.headers['x-test-tenant'];
    if (typeof tenant === 'string') {
      req.principal = {
        kind: req.headers['x-test-key'] ? 'api_key' : 'user',
        userId: typeof req.headers['x-test-user'] === 'string' ? req.headers['x-test-user'] : randomUUID(),
        tenantId: tenant,
        role: 'owner',
        scopes: [],
        platformAdmin: false,
        ...(typeof req.headers['x-test-key'] === 'string' ? { apiKeyId: req.headers['x-test-key'] } : {}),
      } satisfies Principal;
    }
  });
  await registerRateLimits(app, {
    ...(redis ? { redis, keyPrefix } : {}),
    anonymous: { max: 3, windowMs: 60_000 },
    authenticated: { max: 5, windowMs: 60_000 },
    session: { max: 7, windowMs: 60_000 },
    sensitive: {
      paths: [LOGIN],
      perIp: { max: 4, windowMs: 60_000 },
      perEmail: { max: 2, windowMs: 60_000 },
    },
    skip: (req) => req.url === '/healthz',
    ...overrides,
  });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/v1/things', async () => ({ ok: true }));
  app.post(LOGIN, { schema: { body: z.object({ email: z.string(), password: z.string() }) } }, async () => ({
    ok: true,
  }));
  await app.ready();
  return app;
}

type App = Awaited<ReturnType<typeof limitedApp>>;
const get = (app: App, ip: string, headers: Record<string, string> = {}) =>
  app.inject({ url: '/v1/things', remoteAddress: ip, headers });
const login = (app: App, ip: string, email: string) =>
  app.inject({
    method: 'POST',
    url: LOGIN,
    remoteAddress: ip,
    payload: { email, password: 'secret-password' },
  });

function rateLimitSuite(makeApp: (overrides?: Partial<RateLimitOptions>) => Promise<App>) {
  it('limits anonymous requests per IP with 429, Retry-After and the error body', async () => {
    const app = await makeApp();
    const ip = `10.0.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    for (let i = 0; i < 3; i++) expect((await get(app, ip)).statusCode).toBe(200);
    const refused = await get(app, ip);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json().error).toMatchObject({ code: 'rate_limited' });
    expect((await get(app, '10.9.9.9')).statusCode).toBe(200);
    expect((await app.inject({ url: '/healthz', remoteAddress: ip })).statusCode).toBe(200);
  });

  it('limits API keys per key and signed-in people per person, whatever the IP', async () => {
    const app = await makeApp();
    const tenant = randomUUID();
    const key = { 'x-test-tenant': tenant, 'x-test-key': randomUUID() };
    for (let i = 0; i < 5; i++) expect((await get(app, `10.1.0.${i}`, key)).statusCode).toBe(200);
    expect((await get(app, '10.1.0.99', key)).statusCode).toBe(429);
    // Another key of the same tenant has its own budget.
    const other = { 'x-test-tenant': tenant, 'x-test-key': randomUUID() };
    expect((await get(app, '10.1.0.1', other)).headers['x-ratelimit-remaining']).toBe('4');

    // A person in the web app has the larger session budget, counted per person, not per tenant.
    const person = { 'x-test-tenant': tenant, 'x-test-user': randomUUID() };
    for (let i = 0; i < 7; i++) expect((await get(app, `10.1.1.${i}`, person)).statusCode).toBe(200);
    expect((await get(app, '10.1.1.99', person)).statusCode).toBe(429);
    const colleague = { 'x-test-tenant': tenant, 'x-test-user': randomUUID() };
    expect((await get(app, '10.1.1.1', colleague)).statusCode).toBe(200);
  });

  it('limits credential endpoints per IP and per email address', async () => {
    const app = await makeApp({ anonymous: { max: 100, windowMs: 60_000 } });
    const email = `${randomUUID()}@example.com`;
    expect((await login(app, '10.2.0.1', email)).statusCode).toBe(200);
    expect((await login(app, '10.2.0.2', email.toUpperCase())).statusCode).toBe(200);
    const sprayed = await login(app, '10.2.0.3', email);
    expect(sprayed.statusCode).toBe(429);
    expect(sprayed.json().error.code).toBe('rate_limited');

    const ip = '10.2.1.1';
    for (let i = 0; i < 4; i++)
      expect((await login(app, ip, `${randomUUID()}@example.com`)).statusCode).toBe(200);
    expect((await login(app, ip, `${randomUUID()}@example.com`)).statusCode).toBe(429);
    // Other routes from that IP still work: the stricter limit is for credentials only.
    expect((await get(app, ip)).statusCode).toBe(200);
  });
}

describe('rate limits in memory', () => {
  rateLimitSuite((overrides) => limitedApp(undefined, overrides));
});

await describeWithServices(['redis'], 'rate limits on Redis', () => {
  const prefix = `flatrender-test:${randomBytes(6).toString('hex')}:`;
  const clients: Redis[] = [];
  const redis = async () => {
    const client = await connectRedis(TEST_REDIS_URL);
    clients.push(client);
    return client;
  };
  afterAll(async () => {
    const [first] = clients;
    if (first) {
      const keys = await first.keys(`${prefix}*`);
      if (keys.length > 0) await first.del(...keys);
    }
    for (const client of clients) client.disconnect();
  });

  rateLimitSuite(async (overrides) => limitedApp(await redis(), overrides, prefix));

  it('shares counters between gateway replicas', async () => {
    const a = await limitedApp(await redis(), {}, prefix);
    const b = await limitedApp(await redis(), {}, prefix);
    const ip = '10.3.0.1';
    expect((await get(a, ip)).statusCode).toBe(200);
    expect((await get(b, ip)).statusCode).toBe(200);
    expect((await get(a, ip)).statusCode).toBe(200);
    expect((await get(b, ip)).statusCode).toBe(429);
    expect(await clients[0]?.keys(`${prefix}*ip:${ip}`)).toHaveLength(1);
  });

  it('lets requests through when Redis is gone rather than failing them', async () => {
    const client = await redis();
    const app = await limitedApp(client, {}, prefix);
    client.disconnect();
    for (let i = 0; i < 5; i++) expect((await get(app, '10.4.0.1')).statusCode).toBe(200);
  });

  it('stops start-up with one line naming REDIS_URL when Redis is unreachable', async () => {
    const error = await connectRedis('redis://127.0.0.1:1', 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^configuration: REDIS_URL is unreachable/);
  });
});
