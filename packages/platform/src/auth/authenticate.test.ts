import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../http/http-server';
import { createLogger } from '../log';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ACCESS_TOKEN_TYPE } from './access-token';
import { authenticate, requirePrincipal } from './authenticate';

const userId = randomUUID();
const tenantId = randomUUID();
let privateKey: CryptoKey;
let jwks: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  privateKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
  jwks = createLocalJWKSet({ keys: [jwk] });
});

function token(
  claims: Record<string, unknown> = {},
  options: { exp?: string; aud?: string; typ?: string } = {},
) {
  return new SignJWT({ tid: tenantId, role: 'editor', scp: ['renders:read', 'renders:write'], ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: options.typ ?? ACCESS_TOKEN_TYPE })
    .setSubject(userId)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(options.aud ?? ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '10m')
    .sign(privateKey);
}

function app(revoked = new Set<string>()) {
  const server = createHttpServer({ logger: createLogger({ level: 'silent' }) });
  server.addHook('onRequest', authenticate({ keys: jwks, isRevoked: (p) => revoked.has(p.userId) }));
  server.get('/me', async (req) => requirePrincipal(req));
  server.post('/renders', async (req) => requirePrincipal(req, { scope: 'renders:write' }).tenantId);
  server.post('/webhooks', async (req) => requirePrincipal(req, { scope: 'webhooks:write' }).tenantId);
  server.post('/members', async (req) => requirePrincipal(req, { role: 'admin' }).tenantId);
  server.get('/admin', async (req) => requirePrincipal(req, { platformAdmin: true }).userId);
  server.get('/account', async (req) => requirePrincipal(req, { userOnly: true }).userId);
  return server;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('authenticate + requirePrincipal', () => {
  it('accepts a valid access token and exposes the principal', async () => {
    const res = await app().inject({ url: '/me', headers: bearer(await token({ loc: 'fa', sid: 'fam-1' })) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'user',
      userId,
      tenantId,
      role: 'editor',
      locale: 'fa',
      sessionId: 'fam-1',
    });
  });

  it('refuses no token, a malformed header, an expired token, another audience and a wrong type', async () => {
    const server = app();
    expect((await server.inject({ url: '/me' })).json().error.code).toBe('unauthorized');
    expect((await server.inject({ url: '/me', headers: { authorization: 'Basic abc' } })).statusCode).toBe(
      401,
    );
    const expired = await server.inject({ url: '/me', headers: bearer(await token({}, { exp: '-1m' })) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('token_expired');
    const otherAud = await server.inject({
      url: '/me',
      headers: bearer(await token({}, { aud: 'someone-else' })),
    });
    expect(otherAud.json().error.code).toBe('invalid_token');
    const refreshAsAccess = await server.inject({
      url: '/me',
      headers: bearer(await token({}, { typ: 'refresh' })),
    });
    expect(refreshAsAccess.statusCode).toBe(401);
  });

  it('refuses a token signed with a symmetric algorithm or none', async () => {
    const hs = await new SignJWT({ tid: tenantId, role: 'owner', scp: [] })
      .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE })
      .setSubject(userId)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('a'.repeat(32)));
    const none = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: userId,
        tid: tenantId,
        role: 'owner',
        scp: [],
        iss: ACCESS_TOKEN_ISSUER,
        aud: ACCESS_TOKEN_AUDIENCE,
        exp: 9999999999,
        iat: 1,
      }),
    ).toString('base64url')}.`;
    const server = app();
    expect((await server.inject({ url: '/me', headers: bearer(hs) })).statusCode).toBe(401);
    expect((await server.inject({ url: '/me', headers: bearer(none) })).statusCode).toBe(401);
  });

  it('refuses a revoked principal (banned user) even with a valid signature', async () => {
    const res = await app(new Set([userId])).inject({ url: '/me', headers: bearer(await token()) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_revoked');
  });

  it('checks scopes, roles, platform admin and user-only', async () => {
    const server = app();
    const editor = bearer(await token());
    expect((await server.inject({ method: 'POST', url: '/renders', headers: editor })).statusCode).toBe(200);
    const noScope = await server.inject({ method: 'POST', url: '/webhooks', headers: editor });
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().error.code).toBe('insufficient_scope');
    expect(
      (await server.inject({ method: 'POST', url: '/members', headers: editor })).json().error.code,
    ).toBe('insufficient_role');
    const admin = bearer(await token({ role: 'admin' }));
    expect((await server.inject({ method: 'POST', url: '/members', headers: admin })).statusCode).toBe(200);
    expect((await server.inject({ url: '/admin', headers: editor })).json().error.code).toBe(
      'admin_required',
    );
    expect(
      (await server.inject({ url: '/admin', headers: bearer(await token({ adm: true })) })).statusCode,
    ).toBe(200);
    const apiKey = bearer(await token({ akid: randomUUID(), adm: true }));
    expect((await server.inject({ url: '/account', headers: apiKey })).json().error.code).toBe(
      'user_required',
    );
    expect((await server.inject({ url: '/admin', headers: apiKey })).statusCode).toBe(403);
  });
});

describe('authenticate with API keys and edge rules', () => {
  const KEY = 'fr_abcd1234_0123456789abcdefghijklmnop';

  function edgeApp(exchange?: (key: string) => Promise<string>) {
    const server = createHttpServer({ logger: createLogger({ level: 'silent' }) });
    server.addHook(
      'onRequest',
      authenticate({ keys: jwks, ...(exchange ? { exchangeApiKey: exchange } : {}) }),
    );
    server.get('/me', async (req) => ({ principal: requirePrincipal(req), token: req.accessToken }));
    return server;
  }

  it('exchanges an API key and verifies the token it yields', async () => {
    const exchanged = await token({ akid: 'key-1', scp: ['renders:read'] });
    const seen: string[] = [];
    const server = edgeApp(async (key) => {
      seen.push(key);
      return exchanged;
    });
    const res = await server.inject({ url: '/me', headers: bearer(KEY) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ principal: { kind: 'api_key', apiKeyId: 'key-1' }, token: exchanged });
    expect(seen).toEqual([KEY]);
  });

  it('refuses API keys where no exchange is configured (services behind the gateway)', async () => {
    const res = await edgeApp().inject({ url: '/me', headers: bearer(KEY) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('invalid_token');
  });

  it('refuses credentials in the query string', async () => {
    for (const param of ['api_key', 'access_token']) {
      const res = await edgeApp(async () => token()).inject({ url: `/me?${param}=${KEY}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'credentials_in_url', field: param });
    }
  });

  it('answers 503 with Retry-After when identity cannot be reached', async () => {
    const { KeySetUnavailableError } = await import('./identity-key-set');
    const res = await edgeApp(async () => {
      throw new KeySetUnavailableError('down');
    }).inject({ url: '/me', headers: bearer(KEY) });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('auth_unavailable');
  });
});
