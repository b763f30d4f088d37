import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { InternalClient, InternalRequest } from '../service/internal-client';
import { ApiKeyExchanger } from './api-key-exchanger';
import { KeySetUnavailableError } from './identity-key-set';

const VALID = 'fr_abcd1234_0123456789abcdefghijklmnop';

/** Plays identity's exchange route: one valid key, tokens valid for `ttlMs`. */
function fakeIdentity(options: { ttlMs: number; now: () => number; status?: number }) {
  const calls: InternalRequest[] = [];
  let issued = 0;
  const internal: InternalClient = {
    async request<T>(_service: string, request: InternalRequest) {
      calls.push(request);
      if (options.status) return { status: options.status, body: undefined as T };
      const { key } = request.body as { key: string };
      if (key !== VALID) return { status: 401, body: { error: { code: 'invalid_api_key' } } as T };
      issued++;
      const token = await new SignJWT({ akid: 'key-1', tid: 'tenant-1', n: issued })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('user-1')
        .sign(new TextEncoder().encode('x'.repeat(32)));
      return {
        status: 200,
        body: { access_token: token, expires_at: new Date(options.now() + options.ttlMs).toISOString() } as T,
      };
    },
  };
  return { internal, calls };
}

describe('API key exchanger', () => {
  it('caches the token by the key until shortly before it expires', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const identity = fakeIdentity({ ttlMs: 300_000, now: () => clock });
    const exchanger = new ApiKeyExchanger({
      internal: identity.internal,
      refreshMarginMs: 30_000,
      now: () => clock,
    });
    const first = await exchanger.exchange(VALID);
    expect(await exchanger.exchange(VALID)).toBe(first);
    expect(identity.calls).toHaveLength(1);
    expect(identity.calls[0]).toMatchObject({ method: 'POST', path: '/internal/api-keys/exchange' });
    clock += 271_000;
    const second = await exchanger.exchange(VALID);
    expect(second).not.toBe(first);
    expect(identity.calls).toHaveLength(2);
  });

  it('shares one exchange between concurrent requests', async () => {
    const identity = fakeIdentity({ ttlMs: 300_000, now: Date.now });
    const exchanger = new ApiKeyExchanger({ internal: identity.internal });
    const tokens = await Promise.all([1, 2, 3].map(() => exchanger.exchange(VALID)));
    expect(new Set(tokens).size).toBe(1);
    expect(identity.calls).toHaveLength(1);
  });

  it('refuses unknown and malformed keys, remembering refusals for a while', async () => {
    let clock = 0;
    const identity = fakeIdentity({ ttlMs: 300_000, now: () => clock });
    const exchanger = new ApiKeyExchanger({
      internal: identity.internal,
      negativeTtlMs: 10_000,
      now: () => clock,
    });
    const bad = 'fr_abcd1234_notavalidsecretatall00000';
    await expect(exchanger.exchange(bad)).rejects.toMatchObject({ statusCode: 401, code: 'invalid_api_key' });
    await expect(exchanger.exchange(bad)).rejects.toMatchObject({ code: 'invalid_api_key' });
    expect(identity.calls).toHaveLength(1);
    clock += 10_001;
    await expect(exchanger.exchange(bad)).rejects.toMatchObject({ code: 'invalid_api_key' });
    expect(identity.calls).toHaveLength(2);
    await expect(exchanger.exchange('fr_short')).rejects.toMatchObject({ code: 'invalid_api_key' });
    await expect(exchanger.exchange(`fr_${'a'.repeat(300)}`)).rejects.toMatchObject({
      code: 'invalid_api_key',
    });
    expect(identity.calls).toHaveLength(2);
  });

  it('forgets tokens of a revoked key, a banned user or a suspended tenant', async () => {
    const identity = fakeIdentity({ ttlMs: 300_000, now: Date.now });
    const exchanger = new ApiKeyExchanger({ internal: identity.internal });
    for (const match of [{ apiKeyId: 'key-1' }, { userId: 'user-1' }, { tenantId: 'tenant-1' }]) {
      await exchanger.exchange(VALID);
      expect(exchanger.size).toBe(1);
      exchanger.forget({ apiKeyId: 'other', userId: 'other', tenantId: 'other' });
      expect(exchanger.size).toBe(1);
      exchanger.forget(match);
      expect(exchanger.size).toBe(0);
    }
  });

  it("passes identity's refusal of a valid key through (suspended tenant, plan without API access)", async () => {
    let calls = 0;
    const exchanger = new ApiKeyExchanger({
      internal: {
        async request<T>() {
          calls++;
          return {
            status: 403,
            body: {
              error: { code: 'api_access_disabled', message: 'The free plan does not include API access.' },
            } as T,
          };
        },
      },
    });
    for (let i = 0; i < 2; i++) {
      await expect(exchanger.exchange(VALID)).rejects.toMatchObject({
        statusCode: 403,
        code: 'api_access_disabled',
      });
    }
    expect(calls).toBe(2);
  });

  it('reports identity failures as unavailable, never as an invalid key', async () => {
    const identity = fakeIdentity({ ttlMs: 300_000, now: Date.now, status: 500 });
    const exchanger = new ApiKeyExchanger({ internal: identity.internal });
    await expect(exchanger.exchange(VALID)).rejects.toBeInstanceOf(KeySetUnavailableError);
  });
});
