import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { ApiError, apiErrorFrom } from '@/lib/api/errors';
import type { Me } from '@/lib/api/types';
import { forwardedHeaders, gatewayUrl } from './gateway-url';
import { ACCESS_COOKIE } from './session-tokens';

/*
 * Gateway calls from server components. They cannot set cookies, so they never refresh: the session
 * proxy (src/proxy.ts) has refreshed an expiring access token before the page renders.
 */

export async function serverFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const jar = await cookies();
  const access = jar.get(ACCESS_COOKIE)?.value;
  const incoming = await headers();
  const requestHeaders: Record<string, string> = {
    accept: 'application/json',
    ...forwardedHeaders(incoming),
    ...(init.headers as Record<string, string> | undefined),
  };
  if (access) requestHeaders.authorization = `Bearer ${access}`;
  try {
    return await fetch(`${gatewayUrl()}${path}`, { ...init, headers: requestHeaders, cache: 'no-store' });
  } catch (error) {
    throw new ApiError(0, 'gateway_unreachable', `The API cannot be reached (${(error as Error).message}).`);
  }
}

/** GET a JSON resource of the gateway; throws ApiError on an error answer. */
export async function serverGet<T>(path: string): Promise<T> {
  let response = await serverFetch(path);
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  if (response.status === 429 && retryAfter <= 10) {
    // A rate-limit pause of a few seconds is better spent waiting than showing an error page.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0.2, retryAfter) * 1000));
    response = await serverFetch(path);
  }
  if (!response.ok) throw await apiErrorFrom(response);
  return (await response.json()) as T;
}

/**
 * Answers kept briefly in this server process, by key (the access token, a tenant): every page
 * shows the session in its header, and the gateway limits requests per tenant.
 */
const recent = new Map<string, { at: number; value: Promise<unknown> }>();

export function remembered<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  for (const [k, entry] of recent) if (now - entry.at > 60_000) recent.delete(k);
  const hit = recent.get(key);
  if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
  const value = load();
  recent.set(key, { at: now, value });
  value.catch(() => recent.delete(key));
  return value;
}

/** The signed-in user of this request, or null. Shown for up to 10 s per access token. */
export const getSession = cache(async (): Promise<Me | null> => {
  const jar = await cookies();
  const access = jar.get(ACCESS_COOKIE)?.value;
  if (!access) return null;
  try {
    return await remembered(`me:${access}`, 10_000, () => serverGet<Me>('/v1/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) return null;
    throw error;
  }
});

/** The session, or a redirect to the sign-in page that comes back to `returnTo`. */
export async function requireSession(returnTo: string): Promise<Me> {
  const session = await getSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return session;
}

/** Platform administrators only; others get the not-found page (the console's existence is not told). */
export async function requireAdmin(returnTo: string): Promise<Me> {
  const session = await requireSession(returnTo);
  if (!session.user.platform_admin) notFound();
  return session;
}
