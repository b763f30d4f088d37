import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { InternalClient, InternalRequest } from '../service/internal-client';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
  verifyAccessToken,
} from './access-token';
import { createIdentityKeySet, KeySetUnavailableError } from './identity-key-set';

async function signingKey(kid: string) {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const sign = () =>
    new SignJWT({ tid: crypto.randomUUID(), role: 'viewer', scp: ['renders:read'] })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: ACCESS_TOKEN_TYPE })
      .setSubject(crypto.randomUUID())
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(pair.privateKey);
  return { jwk, sign };
}

/** Plays identity's `/internal/jwks`, counting calls; `published` is what it serves right now. */
function fakeIdentity(published: JWK[]) {
  const calls: InternalRequest[] = [];
  let down = false;
  const internal: InternalClient = {
    async request<T>(service: string, request: InternalRequest) {
      calls.push(request);
      if (service !== 'identity' || request.path !== '/internal/jwks') throw new Error('unexpected call');
      if (down) throw new Error('connect ECONNREFUSED');
      return { status: 200, body: { keys: [...published] } as T };
    },
  };
  return { internal, calls, setDown: (v: boolean) => (down = v) };
}

describe('identity key set', () => {
  it('loads the keys once and verifies tokens from the cache', async () => {
    const k1 = await signingKey('k1');
    const identity = fakeIdentity([k1.jwk]);
    const keys = createIdentityKeySet({ internal: identity.internal });
    for (let i = 0; i < 3; i++) expect((await verifyAccessToken(await k1.sign(), keys)).role).toBe('viewer');
    expect(identity.calls).toHaveLength(1);
  });

  it('reloads on an unknown kid (rotation), but at most once per interval', async () => {
    let clock = 1_000_000;
    const k1 = await signingKey('k1');
    const k2 = await signingKey('k2');
    const published = [k1.jwk];
    const identity = fakeIdentity(published);
    const keys = createIdentityKeySet({
      internal: identity.internal,
      minReloadIntervalMs: 30_000,
      now: () => clock,
    });
    await verifyAccessToken(await k1.sign(), keys);

    // Identity rotated: tokens of the new key arrive before our cache knows it.
    published.push(k2.jwk);
    clock += 31_000;
    expect((await verifyAccessToken(await k2.sign(), keys)).role).toBe('viewer');
    expect(identity.calls).toHaveLength(2);

    // A forged kid right after that reload does not reach identity again.
    const stranger = await signingKey('k-unknown');
    await expect(verifyAccessToken(await stranger.sign(), keys)).rejects.toMatchObject({
      code: 'invalid_token',
    });
    expect(identity.calls).toHaveLength(2);
    clock += 31_000;
    await expect(verifyAccessToken(await stranger.sign(), keys)).rejects.toMatchObject({
      code: 'invalid_token',
    });
    expect(identity.calls).toHaveLength(3);
  });

  it('reloads a stale set so retired keys stop verifying', async () => {
    let clock = 0;
    const k1 = await signingKey('k1');
    const k2 = await signingKey('k2');
    const published = [k1.jwk];
    const identity = fakeIdentity(published);
    const keys = createIdentityKeySet({ internal: identity.internal, maxAgeMs: 60_000, now: () => clock });
    const old = await k1.sign();
    await verifyAccessToken(old, keys);
    published.splice(0, 1, k2.jwk);
    clock += 61_000;
    await expect(verifyAccessToken(old, keys)).rejects.toMatchObject({ code: 'invalid_token' });
    expect(identity.calls).toHaveLength(2);
  });

  it('reports identity being unreachable as unavailable, not as a bad token', async () => {
    const k1 = await signingKey('k1');
    const identity = fakeIdentity([k1.jwk]);
    identity.setDown(true);
    const keys = createIdentityKeySet({ internal: identity.internal });
    await expect(verifyAccessToken(await k1.sign(), keys)).rejects.toBeInstanceOf(KeySetUnavailableError);
    identity.setDown(false);
    expect((await verifyAccessToken(await k1.sign(), keys)).role).toBe('viewer');
  });

  it('shares one load between concurrent first requests', async () => {
    const k1 = await signingKey('k1');
    const identity = fakeIdentity([k1.jwk]);
    const keys = createIdentityKeySet({ internal: identity.internal });
    const tokens = await Promise.all([k1.sign(), k1.sign(), k1.sign()]);
    await Promise.all(tokens.map((t) => verifyAccessToken(t, keys)));
    expect(identity.calls).toHaveLength(1);
  });
});
