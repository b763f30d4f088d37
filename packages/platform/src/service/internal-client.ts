import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import type { HttpServiceName, PlatformConfig } from '../config';
import { HttpError, unauthorized } from '../http/http-error';
import type { HttpServer } from '../http/http-server';
import { currentTrace } from '../log/trace-context';

/** Internal routes live under this prefix; the gateway never exposes or proxies it. */
export const INTERNAL_PREFIX = '/internal/';
export const INTERNAL_AUTH_HEADER = 'x-flatrender-internal';
export const INTERNAL_PRINCIPAL_HEADER = 'x-flatrender-principal';
const MAX_SKEW_MS = 60_000;

export interface InternalRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Starts with `/internal/`. */
  path: string;
  body?: unknown;
  /** The caller the request acts for; the callee sees it as `request.principal`. */
  principal?: Principal;
}

export interface InternalResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * Service-to-service calls over the services' internal routes: into this process's own server when the
 * callee runs here, over HTTP to `<SERVICE>_URL` otherwise. Requests are signed with the shared secret
 * and time-stamped, so only platform processes can make them.
 */
export interface InternalClient {
  request<T = unknown>(service: HttpServiceName, request: InternalRequest): Promise<InternalResponse<T>>;
}

function sign(secret: string, timestamp: string, method: string, path: string, principal: string): string {
  return createHmac('sha256', secret)
    .update(['internal-v1', timestamp, method, path, principal].join('\n'))
    .digest('base64url');
}

function signedHeaders(secret: string, request: InternalRequest): Record<string, string> {
  const timestamp = String(Date.now());
  const principal = request.principal
    ? Buffer.from(JSON.stringify(request.principal)).toString('base64url')
    : '';
  const headers: Record<string, string> = {
    [INTERNAL_AUTH_HEADER]: `${timestamp}.${sign(secret, timestamp, request.method, request.path, principal)}`,
  };
  if (principal) headers[INTERNAL_PRINCIPAL_HEADER] = principal;
  const trace = currentTrace();
  if (trace) headers['x-trace-id'] = trace.traceId;
  return headers;
}

export function createInternalClient(options: {
  secret: string;
  config: PlatformConfig;
  /** Services whose routes are on `app` in this process. */
  local: readonly string[];
  app?: HttpServer;
  /**
   * In-process calls wait for this: an inject boots `app`, after which the services still starting
   * could not add their routes, so a call made during start-up (a sweep, an event handled early) waits
   * until every route is on the server. A rejection (start-up failed) fails the waiting calls.
   */
  serving?: Promise<void>;
}): InternalClient {
  return {
    async request<T>(service: HttpServiceName, request: InternalRequest): Promise<InternalResponse<T>> {
      if (!request.path.startsWith(INTERNAL_PREFIX))
        throw new Error(`internal call to a public path: ${request.path}`);
      const headers = { ...signedHeaders(options.secret, request), 'content-type': 'application/json' };
      const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
      if (options.app && options.local.includes(service)) {
        await options.serving;
        const res = await options.app.inject({
          method: request.method,
          url: request.path,
          headers,
          ...(payload !== undefined ? { payload } : {}),
        });
        return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T };
      }
      const base = options.config[`${service}Url`];
      const res = await fetch(`${base}${request.path}`, {
        method: request.method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}

/**
 * Guards an internal route: the request must be signed by a platform process within the last minute.
 * The principal it acts for, if any, becomes `request.principal`.
 */
export function requireInternal(request: FastifyRequest, secret: string): Principal | undefined {
  const auth = request.headers[INTERNAL_AUTH_HEADER];
  if (typeof auth !== 'string') throw unauthorized('Internal route.', 'internal_only');
  const [timestamp = '', signature = ''] = auth.split('.');
  const principal = request.headers[INTERNAL_PRINCIPAL_HEADER];
  const principalText = typeof principal === 'string' ? principal : '';
  const path = request.url;
  const expected = sign(secret, timestamp, request.method, path, principalText);
  const fresh = Math.abs(Date.now() - Number(timestamp)) <= MAX_SKEW_MS;
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  if (!fresh || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new HttpError(401, 'internal_only', 'Internal route.');
  }
  if (!principalText) return undefined;
  const decoded = JSON.parse(Buffer.from(principalText, 'base64url').toString('utf8')) as Principal;
  request.principal = decoded;
  return decoded;
}
