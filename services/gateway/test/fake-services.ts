import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
  defineService,
  HttpError,
  type Principal,
  ROLE_SCOPES,
  requireInternal,
  requirePrincipal,
  type ServiceDefinition,
} from '@flatrender/platform';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { z } from 'zod';

/**
 * A stand-in for the identity service that speaks its contract with the gateway exactly
 * (`/internal/jwks`, `/.well-known/jwks.json`, `/internal/api-keys/exchange`), plus a few routes under
 * identity's prefixes that echo what reached them, so tests can see what the edge forwarded.
 */
export interface FakeIdentity {
  service: ServiceDefinition;
  /** A signed access token for a principal (defaults: a new owner in a new tenant). */
  token(principal?: Partial<Principal>, options?: { issuedAt?: Date; expiresIn?: string }): Promise<string>;
  principal(overrides?: Partial<Principal>): Principal;
  /** Creates an API key for `principal`; the exchange answers with a token carrying its scopes. */
  apiKey(principal: Principal): string;
  revokeKey(key: string): void;
  /** Like identity after a ban: the user's keys are no longer exchanged. */
  banUser(userId: string): void;
  exchanges: number;
}

export async function createFakeIdentity(): Promise<FakeIdentity> {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = `fake-${randomBytes(4).toString('hex')}`;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const keys = new Map<string, Principal>();

  const principal = (overrides: Partial<Principal> = {}): Principal => {
    const role = overrides.role ?? 'owner';
    return {
      kind: 'user',
      userId: randomUUID(),
      tenantId: randomUUID(),
      role,
      scopes: ROLE_SCOPES[role],
      platformAdmin: false,
      ...overrides,
    };
  };

  const token = (p: Partial<Principal> = {}, options: { issuedAt?: Date; expiresIn?: string } = {}) => {
    const full = principal(p);
    return new SignJWT({
      tid: full.tenantId,
      role: full.role,
      scp: [...full.scopes],
      ...(full.apiKeyId ? { akid: full.apiKeyId } : {}),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: ACCESS_TOKEN_TYPE })
      .setSubject(full.userId)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(options.issuedAt ? Math.floor(options.issuedAt.getTime() / 1000) : undefined)
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(pair.privateKey);
  };

  const fake: FakeIdentity = {
    exchanges: 0,
    token,
    principal,
    apiKey(owner) {
      const key = `fr_${randomBytes(4).toString('hex')}_${randomBytes(24).toString('base64url')}`;
      keys.set(createHash('sha256').update(key).digest('hex'), {
        ...owner,
        kind: 'api_key',
        apiKeyId: randomUUID(),
      });
      return key;
    },
    revokeKey(key) {
      keys.delete(createHash('sha256').update(key).digest('hex'));
    },
    banUser(userId) {
      for (const [digest, owner] of keys) if (owner.userId === userId) keys.delete(digest);
    },
    service: defineService({
      name: 'identity',
      setup: (ctx) => ({
        routes(app) {
          app.get('/.well-known/jwks.json', async () => ({ keys: [jwk] }));
          app.get('/internal/jwks', async (req) => {
            requireInternal(req, ctx.secret);
            return { keys: [jwk] };
          });
          app.post(
            '/internal/api-keys/exchange',
            { schema: { body: z.object({ key: z.string() }) } },
            async (req) => {
              requireInternal(req, ctx.secret);
              fake.exchanges++;
              const owner = keys.get(createHash('sha256').update(req.body.key).digest('hex'));
              if (!owner) throw new HttpError(401, 'invalid_api_key', 'The API key is not valid.');
              return {
                access_token: await token(owner, { expiresIn: '5m' }),
                expires_at: new Date(Date.now() + 5 * 60_000).toISOString(),
                principal: owner,
              };
            },
          );
          app.get(
            '/v1/me',
            {
              schema: {
                summary: 'The caller',
                response: { 200: z.object({ userId: z.string(), tenantId: z.string(), kind: z.string() }) },
              },
            },
            async (req) => {
              const p = requirePrincipal(req);
              return { userId: p.userId, tenantId: p.tenantId, kind: p.kind };
            },
          );
          app.post('/v1/me/renders-check', async (req) => {
            requirePrincipal(req, { scope: 'renders:write' });
            return { ok: true };
          });
          // What reached the service: the edge must forward tokens, ids and nothing internal.
          app.get('/v1/me/echo', async (req) => ({
            authorization: req.headers.authorization ?? null,
            requestId: req.headers['x-request-id'] ?? null,
            traceId: req.headers['x-trace-id'] ?? null,
            internalHeaders: Object.keys(req.headers).filter((h) => h.startsWith('x-flatrender-')),
            ip: req.ip,
          }));
          app.post(
            '/v1/auth/login',
            {
              schema: {
                body: z.object({ email: z.email(), password: z.string().min(1) }),
                response: { 200: z.object({ ok: z.boolean(), email: z.string() }) },
              },
            },
            async (req) => ({ ok: true, email: req.body.email }),
          );
          // Announces something, so tests can follow a request's trace id into the event.
          app.post('/v1/api-keys/announce', async (req) => {
            const p = requirePrincipal(req);
            const envelope = ctx.envelope(
              'identity.api_key.revoked.v1',
              {
                api_key_id: randomUUID(),
                prefix: 'fr_abcd',
                reason_code: 'owner',
                revoked_at: new Date().toISOString(),
              },
              { tenantId: p.tenantId, userId: p.userId },
            );
            await ctx.bus.publish(envelope);
            return { event_id: envelope.event_id };
          });
        },
      }),
    }),
  };
  return fake;
}

/** A stand-in for the file service: an upload route that streams (bodies far over the JSON limit). */
export const fakeFileService = defineService({
  name: 'file',
  setup: () => ({
    routes(app) {
      app.register(async (scope) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
        scope.post('/v1/uploads', { bodyLimit: 64 * 1024 * 1024 }, async (req) => {
          requirePrincipal(req, { scope: 'files:write' });
          const hash = createHash('sha256');
          let bytes = 0;
          for await (const chunk of req.body as AsyncIterable<Buffer>) {
            hash.update(chunk);
            bytes += chunk.length;
          }
          return { bytes, sha256: hash.digest('hex') };
        });
      });
      app.get('/internal/files/ping', async () => ({ pong: true }));
    },
  }),
});
