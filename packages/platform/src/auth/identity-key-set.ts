import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, errors as joseErrors } from 'jose';
import type { InternalClient } from '../service/internal-client';

/** The identity service's public keys could not be loaded: a 503, never a verdict on the token. */
export class KeySetUnavailableError extends Error {
  readonly code = 'auth_unavailable';
}

export interface IdentityKeySetOptions {
  internal: InternalClient;
  /** A token signed by a key we have not seen reloads the set at most this often (rotation, not abuse). */
  minReloadIntervalMs?: number;
  /** The set is reloaded when older than this even without unknown keys, so retired keys go. */
  maxAgeMs?: number;
  now?: () => number;
}

export interface IdentityKeySet extends JWTVerifyGetKey {
  /** Loads the set now (start-up checks and tests). */
  reload(): Promise<void>;
}

const JWKS_PATH = '/internal/jwks';

/**
 * The identity service's signing keys for `authenticate`, loaded over the internal client (in one
 * process through the server itself, distributed over HTTP to IDENTITY_URL) and cached. An unknown
 * `kid` triggers a reload — identity rotates keys and publishes the new one before signing with it —
 * but no more often than `minReloadIntervalMs`, so garbage tokens cannot turn into a flood of calls.
 */
export function createIdentityKeySet(options: IdentityKeySetOptions): IdentityKeySet {
  const now = options.now ?? Date.now;
  const minReloadIntervalMs = options.minReloadIntervalMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const load = (): Promise<void> => {
    inFlight ??= (async () => {
      try {
        const res = await options.internal.request<JSONWebKeySet>('identity', {
          method: 'GET',
          path: JWKS_PATH,
        });
        if (res.status !== 200 || !Array.isArray(res.body?.keys)) {
          throw new KeySetUnavailableError(`identity answered ${res.status} for ${JWKS_PATH}`);
        }
        local = createLocalJWKSet(res.body);
        loadedAt = now();
      } catch (error) {
        if (error instanceof KeySetUnavailableError) throw error;
        throw new KeySetUnavailableError(
          `identity keys unreachable: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  const getKey = (async (header, token) => {
    if (!local || now() - loadedAt >= maxAgeMs) await load();
    try {
      return await (local as NonNullable<typeof local>)(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || now() - loadedAt < minReloadIntervalMs)
        throw error;
      await load();
      return (local as NonNullable<typeof local>)(header, token);
    }
  }) as IdentityKeySet;
  getKey.reload = load;
  return getKey;
}
