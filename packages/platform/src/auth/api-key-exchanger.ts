import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { HttpError } from '../http/http-error';
import type { InternalClient } from '../service/internal-client';
import { KeySetUnavailableError } from './identity-key-set';

/** Every API key starts with this; anything else in a Bearer header is treated as an access token. */
export const API_KEY_PREFIX = 'fr_';
const API_KEY_SHAPE = /^fr_[A-Za-z0-9_-]{8,200}$/;
const EXCHANGE_PATH = '/internal/api-keys/exchange';

export interface ApiKeyExchangerOptions {
  internal: InternalClient;
  /** A cached token is replaced this long before it expires, so no request carries one about to lapse. */
  refreshMarginMs?: number;
  /** An unknown key is answered from memory for this long (a client retrying a bad key in a loop). */
  negativeTtlMs?: number;
  /** Upper bound of cached keys; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

interface CachedToken {
  token: string;
  refreshAt: number;
  apiKeyId?: string;
  userId?: string;
  tenantId?: string;
}

interface ExchangeResponse {
  access_token?: unknown;
  expires_at?: unknown;
  error?: { code?: unknown; message?: unknown };
}

export const isApiKey = (token: string): boolean => token.startsWith(API_KEY_PREFIX);

const invalidKey = () =>
  new HttpError(401, 'invalid_api_key', 'The API key is not valid (unknown, revoked or expired).');

/**
 * Turns an API key (`Authorization: Bearer fr_...`) into a short-lived access token from identity,
 * so that behind the gateway every service only ever verifies JWTs. Tokens are cached by the key's
 * SHA-256 — the key itself is never stored, logged or sent anywhere but to identity — until shortly
 * before they expire. Concurrent requests with the same key share one exchange.
 */
export class ApiKeyExchanger {
  private readonly cache = new Map<string, CachedToken>();
  private readonly refused = new Map<string, number>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: ApiKeyExchangerOptions) {
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? 30_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The access token for `key`, or a 401 `invalid_api_key` (503 `auth_unavailable` if identity is down). */
  exchange = async (key: string): Promise<string> => {
    if (!API_KEY_SHAPE.test(key)) throw invalidKey();
    const digest = createHash('sha256').update(key).digest('hex');
    const now = this.now();
    const cached = this.cache.get(digest);
    if (cached && now < cached.refreshAt) return cached.token;
    const refusedUntil = this.refused.get(digest);
    if (refusedUntil !== undefined) {
      if (now < refusedUntil) throw invalidKey();
      this.refused.delete(digest);
    }
    let pending = this.pending.get(digest);
    if (!pending) {
      pending = this.fetch(key, digest).finally(() => this.pending.delete(digest));
      this.pending.set(digest, pending);
    }
    return pending;
  };

  /** Drops cached tokens of a revoked key, a banned user or a suspended tenant. */
  forget(match: { apiKeyId?: string; userId?: string; tenantId?: string }): void {
    for (const [digest, entry] of this.cache) {
      if (
        (match.apiKeyId !== undefined && entry.apiKeyId === match.apiKeyId) ||
        (match.userId !== undefined && entry.userId === match.userId) ||
        (match.tenantId !== undefined && entry.tenantId === match.tenantId)
      ) {
        this.cache.delete(digest);
      }
    }
  }

  get size(): number {
    return this.cache.size;
  }

  private async fetch(key: string, digest: string): Promise<string> {
    let res: { status: number; body: ExchangeResponse | undefined };
    try {
      res = await this.options.internal.request<ExchangeResponse | undefined>('identity', {
        method: 'POST',
        path: EXCHANGE_PATH,
        body: { key },
      });
    } catch (error) {
      throw new KeySetUnavailableError(
        `API key exchange failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (res.status === 401 || res.status === 404 || res.status === 400) {
      this.remember(this.refused, digest, this.now() + this.negativeTtlMs);
      throw invalidKey();
    }
    // A valid key its tenant may not use now (suspended, no API access on its plan): identity's
    // answer goes to the client as it is, and is not remembered, since that can change any time.
    if (res.status === 403 && typeof res.body?.error?.code === 'string') {
      throw new HttpError(403, res.body.error.code, String(res.body.error.message ?? 'Forbidden.'));
    }
    const token = res.body?.access_token;
    const expiresAt = Date.parse(String(res.body?.expires_at));
    if (res.status !== 200 || typeof token !== 'string' || Number.isNaN(expiresAt)) {
      throw new KeySetUnavailableError(`API key exchange answered ${res.status}`);
    }
    let claims: Record<string, unknown> = {};
    try {
      claims = decodeJwt(token);
    } catch {
      // Verification happens right after, with the real keys; indexing for `forget` is best effort.
    }
    this.remember(this.cache, digest, {
      token,
      refreshAt: expiresAt - this.refreshMarginMs,
      ...(typeof claims.akid === 'string' ? { apiKeyId: claims.akid } : {}),
      ...(typeof claims.sub === 'string' ? { userId: claims.sub } : {}),
      ...(typeof claims.tid === 'string' ? { tenantId: claims.tid } : {}),
    });
    return token;
  }

  private remember<V>(map: Map<string, V>, digest: string, value: V): void {
    map.delete(digest);
    map.set(digest, value);
    while (map.size > this.maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}
