import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal';
import { loadPlatformConfig } from '../config';
import { createHttpServer, type HttpServer } from '../http/http-server';
import { createLogger } from '../log';
import { createInternalClient, INTERNAL_AUTH_HEADER, requireInternal } from './internal-client';

const secret = 's'.repeat(40);
const principal: Principal = {
  kind: 'user',
  userId: randomUUID(),
  tenantId: randomUUID(),
  role: 'editor',
  scopes: ['renders:write'],
  platformAdmin: false,
};

function identityServer(): HttpServer {
  const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
  app.post('/internal/echo', async (req) => {
    const caller = requireInternal(req, secret);
    return { tenant: caller?.tenantId ?? null, body: req.body };
  });
  return app;
}

describe('internal client', () => {
  let remote: HttpServer;
  let url: string;
  beforeAll(async () => {
    remote = identityServer();
    url = await remote.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => remote.close());

  it('calls a service in this process through its server, carrying the principal', async () => {
    const app = identityServer();
    const client = createInternalClient({ secret, config: loadPlatformConfig({}), local: ['identity'], app });
    const res = await client.request<{ tenant: string; body: unknown }>('identity', {
      method: 'POST',
      path: '/internal/echo',
      body: { a: 1 },
      principal,
    });
    expect(res).toEqual({ status: 200, body: { tenant: principal.tenantId, body: { a: 1 } } });
  });

  it('holds a call made while services are still adding routes until the server serves', async () => {
    const app = identityServer();
    let serve: () => void = () => {};
    const serving = new Promise<void>((resolve) => {
      serve = resolve;
    });
    const client = createInternalClient({
      secret,
      config: loadPlatformConfig({}),
      local: ['identity'],
      app,
      serving,
    });
    const early = client.request<{ tenant: null }>('identity', {
      method: 'POST',
      path: '/internal/echo',
      body: {},
    });
    await new Promise((r) => setTimeout(r, 50));
    // Not booted by the early call: a service starting later still adds its routes.
    app.get('/internal/late', async () => ({ late: true }));
    serve();
    expect((await early).status).toBe(200);
    expect((await client.request('identity', { method: 'GET', path: '/internal/late' })).body).toEqual({
      late: true,
    });
  });

  it('calls a service elsewhere over HTTP at <SERVICE>_URL', async () => {
    const client = createInternalClient({
      secret,
      config: loadPlatformConfig({ IDENTITY_URL: url }),
      local: [],
    });
    const res = await client.request<{ tenant: null }>('identity', {
      method: 'POST',
      path: '/internal/echo',
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body.tenant).toBeNull();
  });

  it('refuses unsigned, wrongly signed, stale and tampered requests', async () => {
    const plain = await fetch(`${url}/internal/echo`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(plain.status).toBe(401);
    const other = createInternalClient({
      secret: 'x'.repeat(40),
      config: loadPlatformConfig({ IDENTITY_URL: url }),
      local: [],
    });
    expect(
      (await other.request('identity', { method: 'POST', path: '/internal/echo', body: {} })).status,
    ).toBe(401);
    const stale = await fetch(`${url}/internal/echo`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', [INTERNAL_AUTH_HEADER]: `${Date.now() - 120_000}.abc` },
    });
    expect(stale.status).toBe(401);
    // A valid signature for one principal does not carry over to another.
    const app = identityServer();
    const client = createInternalClient({ secret, config: loadPlatformConfig({}), local: ['identity'], app });
    let captured: Record<string, string> = {};
    const spy = app.inject.bind(app);
    app.inject = ((opts: { headers: Record<string, string> }) => {
      captured = opts.headers;
      return spy(opts as never);
    }) as never;
    await client.request('identity', { method: 'POST', path: '/internal/echo', body: {}, principal });
    const forged = Buffer.from(JSON.stringify({ ...principal, tenantId: randomUUID() })).toString(
      'base64url',
    );
    const tampered = await fetch(`${url}/internal/echo`, {
      method: 'POST',
      body: '{}',
      headers: { ...captured, 'x-flatrender-principal': forged },
    });
    expect(tampered.status).toBe(401);
  });
});
