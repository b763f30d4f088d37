import { randomBytes, randomUUID } from 'node:crypto';
import {
  createTestVhost,
  describeWithServices,
  TEST_REDIS_URL,
  type TestVhost,
} from '@flatrender/platform/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeIdentity, type FakeIdentity } from './fake-services';
import { type Mode, startTopology, type Topology } from './topology';

const SECRET = randomBytes(32).toString('base64url');
const LIMITS = {
  GATEWAY_RATE_LIMIT_ANONYMOUS_MAX: '4',
  GATEWAY_RATE_LIMIT_MAX: '6',
  GATEWAY_SESSION_RATE_LIMIT_MAX: '9',
  GATEWAY_RATE_LIMIT_WINDOW: '1m',
  GATEWAY_AUTH_RATE_LIMIT_MAX: '5',
  GATEWAY_AUTH_EMAIL_RATE_LIMIT_MAX: '2',
  // Each test plays clients at its own addresses, as a load balancer in front would report them.
  GATEWAY_TRUST_PROXY: 'true',
};
let lastHost = 0;
/** A client address no other test in this file uses. */
const clientIp = () => `198.51.${Math.floor(++lastHost / 250)}.${lastHost % 250}`;

await describeWithServices(['rabbitmq', 'redis'], 'gateway rate limits (real RabbitMQ and Redis)', () => {
  let vhost: TestVhost;
  let fake: FakeIdentity;
  const prefix = `flatrender-test:${randomBytes(6).toString('hex')}:`;
  beforeAll(async () => {
    vhost = await createTestVhost();
    fake = await createFakeIdentity();
  });
  afterAll(async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await vhost?.drop();
  });

  const cases: { mode: Mode; store: 'redis' | 'memory' }[] = [
    { mode: 'one-process', store: 'memory' },
    { mode: 'one-process', store: 'redis' },
    { mode: 'distributed', store: 'redis' },
  ];
  describe.each(cases)('$mode, $store', ({ mode, store }) => {
    let topo: Topology;
    beforeAll(async () => {
      topo = await startTopology(mode, fake, {
        AMQP_URL: vhost.url,
        FLATRENDER_SECRET: SECRET,
        ...LIMITS,
        ...(store === 'redis'
          ? { REDIS_URL: TEST_REDIS_URL, GATEWAY_REDIS_PREFIX: `${prefix}${mode}:` }
          : {}),
      });
    });
    afterAll(async () => {
      await topo?.stop();
    });
    const call = (path: string, ip: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
      fetch(`${topo.url}${path}`, { ...init, headers: { 'x-forwarded-for': ip, ...headers } });
    const login = (email: string, ip: string) =>
      call(
        '/v1/auth/login',
        ip,
        { 'content-type': 'application/json' },
        { method: 'POST', body: JSON.stringify({ email, password: 'whatever' }) },
      );

    it('limits anonymous callers per IP: 429 with Retry-After and the error body', async () => {
      const ip = clientIp();
      const statuses: number[] = [];
      let refused: Response | undefined;
      for (let i = 0; i < 6; i++) {
        const res = await call('/.well-known/jwks.json', ip);
        statuses.push(res.status);
        if (res.status === 429) refused ??= res;
        else await res.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      const retryAfter = Number(refused?.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await (refused as Response).json()).error).toMatchObject({ code: 'rate_limited' });
      // Another client is not affected, and health probes are never limited.
      expect((await call('/.well-known/jwks.json', clientIp())).status).toBe(200);
      expect((await call('/healthz', ip)).status).toBe(200);
    });

    it('limits an API key by itself and a signed-in person by themself, apart from the IP budget', async () => {
      const ip = clientIp();
      const key = fake.apiKey(fake.principal());
      const keyStatuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        keyStatuses.push((await call('/v1/me', ip, { authorization: `Bearer ${key}` })).status);
      }
      // Beyond the anonymous budget of 4 from that IP: the key has its own.
      expect(keyStatuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
      // A person in the web app has the larger session budget (9), their own even within one tenant.
      const person = fake.principal();
      const token = await fake.token(person);
      const personStatuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        personStatuses.push((await call('/v1/me', ip, { authorization: `Bearer ${token}` })).status);
      }
      expect(personStatuses).toEqual([...Array(9).fill(200), 429]);
      const colleague = await fake.token({ tenantId: person.tenantId });
      expect((await call('/v1/me', ip, { authorization: `Bearer ${colleague}` })).status).toBe(200);
    });

    it('limits credential endpoints per email address and per IP', async () => {
      const email = `${randomUUID()}@example.com`;
      // One account sprayed from many addresses.
      expect((await login(email, clientIp())).status).toBe(200);
      expect((await login(email.toUpperCase(), clientIp())).status).toBe(200);
      const third = await login(email, clientIp());
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBeTruthy();
      expect((await third.json()).error.code).toBe('rate_limited');
      // Many accounts from one address: the credential budget (5) runs out before the anonymous one
      // would (4 per IP applies too, so use an authenticated caller to isolate the credential limit).
      const ip = clientIp();
      const auth = { authorization: `Bearer ${await fake.token()}` };
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await call(
          '/v1/auth/login',
          ip,
          { ...auth, 'content-type': 'application/json' },
          { method: 'POST', body: JSON.stringify({ email: `${randomUUID()}@example.com`, password: 'x' }) },
        );
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    });
  });
});
