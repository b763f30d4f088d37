import { cookies } from 'next/headers';
import { forwardedHeaders, gatewayUrl } from './gateway-url';
import {
  ACCESS_COOKIE,
  clearTokens,
  isSecureRequest,
  needsRefresh,
  REFRESH_COOKIE,
  refreshSession,
  sessionEnded,
  storeTokens,
} from './session-tokens';

/** Request headers passed on to the gateway; everything else (cookies above all) stays here. */
const REQUEST_HEADERS = [
  'accept',
  'content-type',
  'if-match',
  'if-none-match',
  'range',
  'last-event-id',
  'upload-length',
  'upload-offset',
  'upload-metadata',
  'tus-resumable',
];
/** Response headers passed back to the browser. */
const RESPONSE_HEADERS = [
  'content-type',
  'content-disposition',
  'content-range',
  'accept-ranges',
  'cache-control',
  'etag',
  'last-modified',
  'location',
  'retry-after',
  'x-request-id',
  'x-content-type-options',
  'x-accel-buffering',
  'upload-offset',
  'upload-length',
  'tus-resumable',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];
/**
 * Paths that need no session: signed links (blobs, platform font files) and the public auth steps.
 * They go without the token, so they count against the visitor's per-IP limit, not the tenant's.
 */
export function isPublicPath(path: string): boolean {
  return /^\/v1\/(blobs\/|fonts\/[0-9a-f-]{36}\/file$|auth\/)/.test(path);
}

/** Bodies up to this size are kept so a request refused for an expired token can be sent again. */
const REPLAYABLE_BYTES = 2 * 1024 * 1024;
export const PROXY_PREFIX = '/api/gw';

/** `/api/gw/<path>` for any gateway URL under /v1 (absolute or not); other URLs are returned as they are. */
export function proxiedLocation(location: string, origins: readonly string[]): string {
  if (location.startsWith('/v1/')) return `${PROXY_PREFIX}${location}`;
  try {
    const url = new URL(location);
    if (origins.includes(url.origin) && url.pathname.startsWith('/v1/'))
      return `${PROXY_PREFIX}${url.pathname}${url.search}`;
  } catch {
    // Not an absolute URL: nothing to rewrite.
  }
  return location;
}

function gatewayOrigins(): string[] {
  const origins = [new URL(gatewayUrl()).origin];
  if (process.env.GATEWAY_PUBLIC_URL) origins.push(new URL(process.env.GATEWAY_PUBLIC_URL).origin);
  return origins;
}

/**
 * The same-origin proxy the browser talks to: `/api/gw/v1/...` goes to the gateway's `/v1/...` with
 * the session's access token attached server side, so tokens never reach page scripts. An expired
 * access token is refreshed first (and once more on a 401); refreshed tokens go back as cookies.
 */
export async function proxyToGateway(request: Request, path: string[]): Promise<Response> {
  const joined = path.map(encodeURIComponent).join('/');
  if (path[0] !== 'v1' || path.some((p) => p === '..' || p === '.'))
    return Response.json(
      { error: { code: 'not_found', message: 'Only /v1 of the gateway is reachable here.' } },
      { status: 404 },
    );
  const incoming = new URL(request.url);
  const target = `${gatewayUrl()}/${joined}${incoming.search}`;
  const jar = await cookies();
  const secure = isSecureRequest(request.url, request.headers);
  const forwarded = forwardedHeaders(request.headers);
  const anonymous = isPublicPath(`/${path.join('/')}`);
  let access = anonymous ? undefined : jar.get(ACCESS_COOKIE)?.value;
  const refresh = anonymous ? undefined : jar.get(REFRESH_COOKIE)?.value;
  let refreshed = false;

  const renew = async (): Promise<boolean> => {
    if (!refresh || refreshed) return false;
    refreshed = true;
    try {
      const tokens = await refreshSession(refresh, forwarded);
      storeTokens(jar, tokens, secure);
      access = tokens.access_token;
      return true;
    } catch (error) {
      if (sessionEnded(error)) clearTokens(jar);
      access = undefined;
      return false;
    }
  };
  if (refresh && needsRefresh(access)) await renew();

  const headers: Record<string, string> = { ...forwarded };
  for (const name of REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  const length = Number(request.headers.get('content-length') ?? Number.NaN);
  const replayable = !hasBody || (Number.isFinite(length) && length <= REPLAYABLE_BYTES);
  const body: BodyInit | null = hasBody
    ? replayable
      ? await request.arrayBuffer()
      : (request.body as ReadableStream<Uint8Array>)
    : null;

  const send = () =>
    fetch(target, {
      method: request.method,
      headers: access ? { ...headers, authorization: `Bearer ${access}` } : headers,
      body,
      redirect: 'manual',
      cache: 'no-store',
      signal: request.signal,
      ...(body && !replayable ? { duplex: 'half' } : {}),
    } as RequestInit);

  let upstream: Response;
  try {
    upstream = await send();
    if (upstream.status === 401 && replayable && (await renew())) {
      await upstream.body?.cancel();
      upstream = await send();
    }
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    return Response.json(
      {
        error: {
          code: 'gateway_unreachable',
          message: `The API cannot be reached (${(error as Error).message}).`,
        },
      },
      { status: 502 },
    );
  }

  const out = new Headers();
  const origins = gatewayOrigins();
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value === null) continue;
    out.set(name, name === 'location' ? proxiedLocation(value, origins) : value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: out });
}
