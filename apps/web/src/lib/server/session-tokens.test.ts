import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api/errors';
import { isPublicPath, proxiedLocation } from './gateway-proxy';
import { isSecureRequest, needsRefresh, refreshSession, tokenExpiry } from './session-tokens';

function jwt(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'EdDSA' })}.${part(claims)}.c2ln`;
}

describe('session tokens', () => {
  it('refreshes an access token that is gone, unreadable or about to expire', () => {
    const now = 1_700_000_000_000;
    expect(tokenExpiry(jwt({ exp: 1_700_000_600 }))).toBe(1_700_000_600);
    expect(needsRefresh(undefined, now)).toBe(true);
    expect(needsRefresh('not-a-jwt', now)).toBe(true);
    expect(needsRefresh(jwt({ exp: now / 1000 + 20 }), now)).toBe(true);
    expect(needsRefresh(jwt({ exp: now / 1000 + 300 }), now)).toBe(false);
  });

  it('sets Secure cookies only for HTTPS (plain-HTTP local runs keep their session)', () => {
    expect(isSecureRequest('http://localhost:3000/login', new Headers())).toBe(false);
    expect(isSecureRequest('https://app.example/login', new Headers())).toBe(true);
    expect(isSecureRequest('http://10.0.0.5:3000/', new Headers({ 'x-forwarded-proto': 'https' }))).toBe(
      true,
    );
    expect(isSecureRequest('https://x/', new Headers({ 'x-forwarded-proto': 'http' }))).toBe(false);
  });
});

describe('refresh against a gateway', () => {
  let server: Server;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const token = (JSON.parse(body) as { refresh_token: string }).refresh_token;
        seen.push(token);
        // Like identity: a refresh token works once; the second use is theft.
        if (seen.filter((t) => t === token).length > 1 || token === 'dead-token-0000000') {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'refresh_token_reused', message: 'reused' } }));
          return;
        }
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ access_token: `at-${token}`, refresh_token: `rt-${token}`, expires_in: 600 }),
          );
        }, 50);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.GATEWAY_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('spends a refresh token once however many requests need it at the same time', async () => {
    const results = await Promise.all([
      refreshSession('token-a-000000000000'),
      refreshSession('token-a-000000000000'),
      refreshSession('token-a-000000000000'),
    ]);
    expect(seen.filter((t) => t === 'token-a-000000000000')).toHaveLength(1);
    expect(new Set(results.map((r) => r.access_token))).toEqual(new Set(['at-token-a-000000000000']));
    // A request that still carried the old cookie a moment later gets the same new tokens.
    expect((await refreshSession('token-a-000000000000')).refresh_token).toBe('rt-token-a-000000000000');
    expect(seen).toHaveLength(1);
  });

  it('passes the end of a session on as an ApiError', async () => {
    await expect(refreshSession('dead-token-0000000')).rejects.toBeInstanceOf(ApiError);
    await expect(refreshSession('dead-token-0000000')).rejects.toMatchObject({
      status: 401,
      code: 'refresh_token_reused',
    });
  });
});

describe('gateway proxy', () => {
  it('rewrites the gateway links it passes back to the same-origin proxy', () => {
    const origins = ['http://127.0.0.1:8080', 'https://api.example'];
    expect(proxiedLocation('https://api.example/v1/blobs/a?sig=1', origins)).toBe('/api/gw/v1/blobs/a?sig=1');
    expect(proxiedLocation('/v1/projects/1', origins)).toBe('/api/gw/v1/projects/1');
    expect(proxiedLocation('https://payments.example/pay', origins)).toBe('https://payments.example/pay');
    expect(proxiedLocation('https://evil.example/v1/x', origins)).toBe('https://evil.example/v1/x');
  });

  it('sends no session token with signed links and public steps', () => {
    expect(isPublicPath('/v1/blobs/content/previews/x.svg')).toBe(true);
    expect(isPublicPath('/v1/fonts/6c1a1e4e-2b6b-4f45-9d9e-1e2f3a4b5c6d/file')).toBe(true);
    expect(isPublicPath('/v1/auth/verify-email')).toBe(true);
    expect(isPublicPath('/v1/fonts')).toBe(false);
    expect(isPublicPath('/v1/projects')).toBe(false);
  });
});
