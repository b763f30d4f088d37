import { createHash, randomBytes, randomUUID } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { createBus, createLogger, createMetricsRegistry, type ManagedBus } from '@flatrender/platform';
import { createTestVhost, describeWithServices, type TestVhost } from '@flatrender/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeIdentity, type FakeIdentity } from './fake-services';
import { eventsIn, type Mode, readEvents, startTopology, type Topology } from './topology';

const SECRET = randomBytes(32).toString('base64url');
const WEB_ORIGIN = 'http://studio.test:3000';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Polls until `check` passes: events cross RabbitMQ asynchronously. */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

await describeWithServices(['rabbitmq'], 'gateway (real RabbitMQ)', () => {
  let vhost: TestVhost;
  let bus: ManagedBus;
  let fake: FakeIdentity;

  beforeAll(async () => {
    vhost = await createTestVhost();
    bus = await createBus({
      amqpUrl: vhost.url,
      logger: createLogger({ level: 'silent' }),
      registry: createMetricsRegistry({ defaultMetrics: false }),
    });
    fake = await createFakeIdentity();
  });
  afterAll(async () => {
    await bus?.close();
    await vhost?.drop();
  });

  const env = () => ({
    AMQP_URL: vhost.url,
    FLATRENDER_SECRET: SECRET,
    WEB_ORIGIN,
    GATEWAY_SSE_HEARTBEAT: '200ms',
    GATEWAY_RATE_LIMIT_MAX: '1000',
    GATEWAY_RATE_LIMIT_ANONYMOUS_MAX: '1000',
  });

  describe.each<Mode>(['one-process', 'distributed'])('%s', (mode) => {
    let topo: Topology;
    beforeAll(async () => {
      topo = await startTopology(mode, fake, env());
    });
    afterAll(async () => {
      await topo?.stop();
    });
    const call = (path: string, init: RequestInit = {}) => fetch(`${topo.url}${path}`, init);

    it('authenticates access tokens and refuses bad ones with the error body', async () => {
      const principal = fake.principal();
      const ok = await call('/v1/me', { headers: bearer(await fake.token(principal)) });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({
        userId: principal.userId,
        tenantId: principal.tenantId,
        kind: 'user',
      });

      const anonymous = await call('/v1/me');
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).error.code).toBe('unauthorized');
      const garbage = await call('/v1/me', { headers: bearer('not.a.token') });
      expect(garbage.status).toBe(401);
      expect((await garbage.json()).error.code).toBe('invalid_token');
      const expired = await call('/v1/me', { headers: bearer(await fake.token({}, { expiresIn: '-1m' })) });
      expect((await expired.json()).error.code).toBe('token_expired');
    });

    it('exchanges API keys at the edge, forwards only the access token, and enforces scopes', async () => {
      const owner = fake.principal({ role: 'viewer' });
      const key = fake.apiKey(owner);
      const me = await call('/v1/me', { headers: bearer(key) });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({
        userId: owner.userId,
        tenantId: owner.tenantId,
        kind: 'api_key',
      });

      const echo = await (await call('/v1/me/echo', { headers: bearer(key) })).json();
      expect(echo.authorization).toMatch(/^Bearer eyJ/);
      expect(echo.authorization).not.toContain(key);

      const denied = await call('/v1/me/renders-check', { method: 'POST', headers: bearer(key) });
      expect(denied.status).toBe(403);
      expect((await denied.json()).error).toMatchObject({ code: 'insufficient_scope' });
      const writer = fake.apiKey(fake.principal({ role: 'editor' }));
      expect((await call('/v1/me/renders-check', { method: 'POST', headers: bearer(writer) })).status).toBe(
        200,
      );

      const unknown = await call('/v1/me', {
        headers: bearer(`fr_abcd1234_${randomBytes(24).toString('base64url')}`),
      });
      expect(unknown.status).toBe(401);
      expect((await unknown.json()).error.code).toBe('invalid_api_key');
    });

    it('caches exchanged tokens: repeated calls with one key reach identity once', async () => {
      const key = fake.apiKey(fake.principal());
      const before = fake.exchanges;
      for (let i = 0; i < 3; i++) expect((await call('/v1/me', { headers: bearer(key) })).status).toBe(200);
      expect(fake.exchanges - before).toBe(1);
    });

    it('refuses credentials in URLs', async () => {
      const key = fake.apiKey(fake.principal());
      const res = await call(`/v1/me?api_key=${key}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'credentials_in_url', field: 'api_key' });
    });

    it('keeps /internal unreachable from outside and strips internal headers', async () => {
      for (const path of ['/internal/jwks', '/internal/files/ping', '/internal/openapi.json']) {
        const res = await call(path);
        expect(res.status, path).toBe(404);
        expect((await res.json()).error.code).toBe('not_found');
      }
      const forged = await call('/internal/jwks', {
        headers: { 'x-flatrender-internal': `${Date.now()}.forged` },
      });
      expect(forged.status).toBe(404);
      const token = await fake.token();
      const echo = await (
        await call('/v1/me/echo', {
          headers: { ...bearer(token), 'x-flatrender-principal': 'e30', 'x-flatrender-internal': '1.x' },
        })
      ).json();
      expect(echo.internalHeaders).toEqual([]);
      expect(echo.authorization).toBe(`Bearer ${token}`);
    });

    it('passes request and trace ids through, and the trace id into the events a request causes', async () => {
      const traceId = randomUUID();
      const echo = await (
        await call('/v1/me/echo', {
          headers: { ...bearer(await fake.token()), 'x-request-id': 'req-abc.1', 'x-trace-id': traceId },
        })
      ).json();
      expect(echo).toMatchObject({ requestId: 'req-abc.1', traceId });

      const seen: { trace_id: string; event_id: string }[] = [];
      const sub = await bus.subscribe(
        {
          queue: `test.${randomBytes(4).toString('hex')}`,
          bindings: ['identity.api_key.revoked.v1'],
          transient: true,
        },
        async (m) => {
          seen.push(m.envelope);
        },
      );
      try {
        const res = await call('/v1/api-keys/announce', {
          method: 'POST',
          headers: { ...bearer(await fake.token()), 'x-trace-id': traceId },
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-trace-id')).toBe(traceId);
        const { event_id } = await res.json();
        await eventually(async () => {
          expect(seen.find((e) => e.event_id === event_id)?.trace_id).toBe(traceId);
        });
      } finally {
        await sub.cancel();
      }
    });

    it('answers malformed input with 4xx error bodies naming the problem', async () => {
      const json = { 'content-type': 'application/json' };
      const broken = await call('/v1/auth/login', { method: 'POST', headers: json, body: '{"email":' });
      expect(broken.status).toBe(400);
      expect((await broken.json()).error.code).toBe('invalid_json');
      const invalid = await call('/v1/auth/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'not-an-email', password: 'x' }),
      });
      expect(invalid.status).toBe(400);
      expect((await invalid.json()).error).toMatchObject({ code: 'invalid_request', field: 'email' });
      const big = await call('/v1/auth/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1024 * 1024 + 10) }),
      });
      expect(big.status).toBe(413);
      expect((await big.json()).error.code).toBe('payload_too_large');
      const missing = await call('/v1/nothing-here');
      expect(missing.status).toBe(404);
      expect((await missing.json()).error.code).toBe('not_found');
    });

    it('streams request bodies beyond the JSON limit to the owning service', async () => {
      const upload = randomBytes(5 * 1024 * 1024 + 123);
      const res = await call('/v1/uploads', {
        method: 'POST',
        headers: {
          ...bearer(await fake.token({ role: 'editor' })),
          'content-type': 'application/octet-stream',
        },
        body: upload,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        bytes: upload.length,
        sha256: createHash('sha256').update(upload).digest('hex'),
      });
    });

    it('allows the web origin with credentials (CORS) and sets security headers', async () => {
      const preflight = await call('/v1/me', {
        method: 'OPTIONS',
        headers: {
          origin: WEB_ORIGIN,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      const other = await call('/v1/me', { headers: { origin: 'http://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect(other.headers.get('x-content-type-options')).toBe('nosniff');
      expect(other.headers.get('x-request-id')).toBeTruthy();
    });

    it('refuses banned users, suspended tenants and revoked keys once the event arrives', async () => {
      const user = fake.principal();
      const issuedBefore = new Date(Date.now() - 60_000);
      const token = await fake.token(user, { issuedAt: issuedBefore });
      const key = fake.apiKey(user);
      expect((await call('/v1/me', { headers: bearer(token) })).status).toBe(200);
      expect((await call('/v1/me', { headers: bearer(key) })).status).toBe(200);

      fake.banUser(user.userId);
      await bus.publish(
        sampleEnvelope('identity.user.banned.v1', {
          data: {
            user_id: user.userId,
            banned_at: new Date(Date.now() - 30_000).toISOString(),
            banned_until: null,
          },
        }),
      );
      await eventually(async () => {
        const res = await call('/v1/me', { headers: bearer(token) });
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe('session_revoked');
      });
      expect((await call('/v1/me', { headers: bearer(key) })).status).toBe(401);
      // A token issued after the ban (say, after an unban) is identity's decision, and passes.
      expect((await call('/v1/me', { headers: bearer(await fake.token(user)) })).status).toBe(200);

      const tenantMember = fake.principal();
      const memberToken = await fake.token(tenantMember, { issuedAt: issuedBefore });
      await bus.publish(
        sampleEnvelope('identity.tenant.suspended.v1', {
          tenant_id: tenantMember.tenantId,
          data: {
            tenant_id: tenantMember.tenantId,
            suspended_at: new Date(Date.now() - 30_000).toISOString(),
            suspended_until: null,
          },
        }),
      );
      await eventually(async () => {
        expect((await call('/v1/me', { headers: bearer(memberToken) })).status).toBe(401);
      });

      const keyOwner = fake.principal();
      const revokedKey = fake.apiKey(keyOwner);
      const exchanged = await (await call('/v1/me/echo', { headers: bearer(revokedKey) })).json();
      const akid = JSON.parse(
        Buffer.from(exchanged.authorization.split('.')[1], 'base64url').toString(),
      ).akid;
      fake.revokeKey(revokedKey);
      await bus.publish(
        sampleEnvelope('identity.api_key.revoked.v1', {
          data: { api_key_id: akid, revoked_at: new Date().toISOString() },
        }),
      );
      await eventually(async () => {
        const res = await call('/v1/me', { headers: bearer(revokedKey) });
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toMatch(/invalid_api_key|session_revoked/);
      });
    });

    it("streams only the caller's tenant's events, by token or single-use ticket", async () => {
      const alice = fake.principal();
      const bob = fake.principal();
      const aliceStream = await call('/v1/events/stream', { headers: bearer(await fake.token(alice)) });
      expect(aliceStream.status).toBe(200);
      expect(aliceStream.headers.get('content-type')).toContain('text/event-stream');

      const ticketRes = await call('/v1/events/ticket', {
        method: 'POST',
        headers: bearer(await fake.token(bob)),
      });
      expect(ticketRes.status).toBe(201);
      const { ticket, stream_url } = await ticketRes.json();
      const bobStream = await call(stream_url);
      expect(bobStream.status).toBe(200);
      const reused = await call(`/v1/events/stream?ticket=${ticket}`);
      expect(reused.status).toBe(401);
      expect((await reused.json()).error).toMatchObject({ code: 'invalid_ticket', field: 'ticket' });
      expect((await call('/v1/events/stream')).status).toBe(401);

      const forAlice = sampleEnvelope('render.job.progress.v1', { tenant_id: alice.tenantId });
      const forBob = sampleEnvelope('render.job.progress.v1', { tenant_id: bob.tenantId });
      const bobsInbox = sampleEnvelope('notification.created.v1', {
        tenant_id: bob.tenantId,
        data: { recipient_user_id: bob.userId },
      });
      const someoneElsesInbox = sampleEnvelope('notification.created.v1', {
        tenant_id: bob.tenantId,
        data: { recipient_user_id: randomUUID() },
      });
      // The streams are registered once their headers arrived; publish after that.
      for (const e of [forAlice, forBob, someoneElsesInbox, bobsInbox]) await bus.publish(e);

      const aliceFrames = await readEvents(
        aliceStream,
        (f) => eventsIn(f).length >= 1 && f.some((x) => x.startsWith(': heartbeat')),
      );
      const bobFrames = await readEvents(bobStream, (f) => eventsIn(f).length >= 2);
      expect(eventsIn(aliceFrames).map((e) => e.event_id)).toEqual([forAlice.event_id]);
      expect(eventsIn(bobFrames).map((e) => e.event_id)).toEqual([forBob.event_id, bobsInbox.event_id]);
      expect(bobFrames.find((f) => f.includes(forBob.event_id))).toContain('event: render.job.progress.v1');
    });

    it('publishes an OpenAPI document that validates and lists the routes, without internal ones', async () => {
      const res = await call('/docs/openapi.json');
      expect(res.status).toBe(200);
      const doc = await res.json();
      await SwaggerParser.validate(structuredClone(doc));
      const paths = Object.keys(doc.paths);
      for (const p of ['/v1/me', '/v1/auth/login', '/v1/events/stream', '/v1/events/ticket'])
        expect(paths).toContain(p);
      expect(paths.filter((p) => p.startsWith('/internal'))).toEqual([]);
      expect(paths.filter((p) => p.includes('*'))).toEqual([]);
      expect(doc.components.securitySchemes).toHaveProperty('accessToken');
      expect(doc.components.securitySchemes).toHaveProperty('apiKey');
      // Services that run nowhere in this test are proxied like the others, and reported.
      expect(doc['x-unavailable-services']).toEqual(['content', 'notification', 'render', 'studio']);

      const ui = await call('/docs/');
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger-ui');
      const csp = ui.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      const asset = await call('/docs/static/swagger-ui-bundle.js');
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
      const uiSpec = await (await call('/docs/json')).json();
      expect(Object.keys(uiSpec.paths)).toContain('/v1/me');
    });
  });
});
