import { ApiError, apiErrorFrom } from '@/lib/api/errors';
import type { TokenResponse } from '@/lib/api/types';
import { gatewayUrl } from './gateway-url';

/*
 * The session lives in two httpOnly, SameSite=Lax cookies: the short-lived access token and the
 * rotating refresh token. They are `Secure` only when the page was served over HTTPS: a Secure
 * cookie is never sent back over plain HTTP, which broke local sessions of the original FlatRender.
 */
export const ACCESS_COOKIE = 'fr_access';
/** Same name as identity's refresh cookie, so the gateway could read it too. */
export const REFRESH_COOKIE = 'fr_refresh';
const REFRESH_MAX_AGE = 30 * 24 * 3600;
/** Refresh a little before the access token expires, so a request never carries a dying token. */
const EXPIRY_MARGIN_SECONDS = 30;

export interface CookieJar {
  set(name: string, value: string, options: Record<string, unknown>): unknown;
  delete(name: string): unknown;
}

export function isSecureRequest(url: string, headers: Headers): boolean {
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  if (proto) return proto === 'https';
  return url.startsWith('https:');
}

function cookieOptions(secure: boolean, maxAge: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', maxAge };
}

export function storeTokens(jar: CookieJar, tokens: TokenResponse, secure: boolean): void {
  jar.set(ACCESS_COOKIE, tokens.access_token, cookieOptions(secure, Math.max(1, tokens.expires_in)));
  jar.set(REFRESH_COOKIE, tokens.refresh_token, cookieOptions(secure, REFRESH_MAX_AGE));
}

export function clearTokens(jar: CookieJar): void {
  jar.delete(ACCESS_COOKIE);
  jar.delete(REFRESH_COOKIE);
}

/** Seconds since the epoch at which a JWT expires (read, not verified: only to know when to refresh). */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

export function needsRefresh(access: string | undefined, nowMs = Date.now()): boolean {
  if (!access) return true;
  const exp = tokenExpiry(access);
  return exp === undefined || exp - EXPIRY_MARGIN_SECONDS <= nowMs / 1000;
}

interface Flight {
  promise: Promise<TokenResponse>;
  settledAt?: number;
}

/**
 * Refreshes are shared per refresh token. Identity revokes the whole session when a used refresh token
 * comes back (reuse detection), so two requests of one page that both find the access token expired
 * must not both spend the refresh token: the second one gets the first one's answer. Answers are
 * kept briefly for requests that were already in flight with the old cookie.
 */
const FLIGHTS_KEY = Symbol.for('flatrender.web.refresh-flights');
const KEEP_MS = 30_000;

function flights(): Map<string, Flight> {
  const holder = globalThis as unknown as Record<symbol, Map<string, Flight> | undefined>;
  let map = holder[FLIGHTS_KEY];
  if (!map) {
    map = new Map();
    holder[FLIGHTS_KEY] = map;
  }
  return map;
}

export function refreshSession(refreshToken: string, extraHeaders: Record<string, string> = {}) {
  const map = flights();
  const now = Date.now();
  for (const [key, flight] of map) if (flight.settledAt && now - flight.settledAt > KEEP_MS) map.delete(key);
  const existing = map.get(refreshToken);
  if (existing) return existing.promise;
  const flight: Flight = {
    promise: (async () => {
      const response = await fetch(`${gatewayUrl()}/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...extraHeaders },
        body: JSON.stringify({ refresh_token: refreshToken }),
        cache: 'no-store',
      });
      if (!response.ok) throw await apiErrorFrom(response);
      return (await response.json()) as TokenResponse;
    })(),
  };
  flight.promise.then(
    () => {
      flight.settledAt = Date.now();
    },
    () => {
      flight.settledAt = Date.now();
    },
  );
  map.set(refreshToken, flight);
  return flight.promise;
}

/** True for answers that mean the session is over (as opposed to the gateway being unreachable). */
export function sessionEnded(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 400 || error.status === 401 || error.status === 403);
}
