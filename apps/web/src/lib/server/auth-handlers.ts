import { cookies } from 'next/headers';
import { ApiError, apiErrorFrom } from '@/lib/api/errors';
import type { TokenResponse } from '@/lib/api/types';
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

/*
 * The server side of sign-in: these handlers talk to identity through the gateway and keep the
 * tokens in httpOnly cookies. Pages only ever see the user and tenant.
 */

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError)
    return Response.json(
      { error: { code: error.code, message: error.message, field: error.field, details: error.details } },
      { status: error.status || 502 },
    );
  return Response.json(
    { error: { code: 'gateway_unreachable', message: `The API cannot be reached (${String(error)}).` } },
    { status: 502 },
  );
}

async function gatewayPost(request: Request, path: string, body: unknown, access?: string) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...forwardedHeaders(request.headers),
  };
  if (access) headers.authorization = `Bearer ${access}`;
  return fetch(`${gatewayUrl()}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    cache: 'no-store',
  });
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  try {
    const body = await request.json();
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  } catch {
    throw new ApiError(400, 'invalid_request', 'The body must be JSON.');
  }
}

export async function login(request: Request): Promise<Response> {
  try {
    const body = await readJson(request);
    const response = await gatewayPost(request, '/v1/auth/login', {
      email: body.email,
      password: body.password,
    });
    if (!response.ok) throw await apiErrorFrom(response);
    const tokens = (await response.json()) as TokenResponse;
    storeTokens(await cookies(), tokens, isSecureRequest(request.url, request.headers));
    return Response.json({ user: tokens.user, tenant: tokens.tenant });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function register(request: Request): Promise<Response> {
  try {
    const body = await readJson(request);
    const response = await gatewayPost(request, '/v1/auth/register', {
      email: body.email,
      password: body.password,
      display_name: body.display_name,
      locale: body.locale,
      ...(body.invitation_token ? { invitation_token: body.invitation_token } : {}),
    });
    if (!response.ok) throw await apiErrorFrom(response);
    return Response.json(await response.json(), { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function refresh(request: Request): Promise<Response> {
  const jar = await cookies();
  const token = jar.get(REFRESH_COOKIE)?.value;
  if (!token) return errorResponse(new ApiError(401, 'not_signed_in', 'There is no session to refresh.'));
  try {
    const tokens = await refreshSession(token, forwardedHeaders(request.headers));
    storeTokens(jar, tokens, isSecureRequest(request.url, request.headers));
    return Response.json({ user: tokens.user, tenant: tokens.tenant });
  } catch (error) {
    if (sessionEnded(error)) clearTokens(jar);
    return errorResponse(error);
  }
}

export async function logout(request: Request): Promise<Response> {
  const jar = await cookies();
  const access = jar.get(ACCESS_COOKIE)?.value;
  const token = jar.get(REFRESH_COOKIE)?.value;
  clearTokens(jar);
  if (token || access) {
    // The session ends here whatever the gateway answers: the cookies are gone already.
    await gatewayPost(request, '/v1/auth/logout', token ? { refresh_token: token } : {}, access).catch(
      () => undefined,
    );
  }
  return new Response(null, { status: 204 });
}

export async function me(request: Request): Promise<Response> {
  const jar = await cookies();
  const secure = isSecureRequest(request.url, request.headers);
  let access = jar.get(ACCESS_COOKIE)?.value;
  const token = jar.get(REFRESH_COOKIE)?.value;
  let refreshed = false;
  const renew = async () => {
    if (!token || refreshed) return false;
    refreshed = true;
    try {
      const tokens = await refreshSession(token, forwardedHeaders(request.headers));
      storeTokens(jar, tokens, secure);
      access = tokens.access_token;
      return true;
    } catch (error) {
      if (sessionEnded(error)) clearTokens(jar);
      return false;
    }
  };
  if (token && needsRefresh(access)) await renew();
  if (!access) return errorResponse(new ApiError(401, 'not_signed_in', 'Sign in first.'));
  const call = () =>
    fetch(`${gatewayUrl()}/v1/me`, {
      headers: { authorization: `Bearer ${access}`, ...forwardedHeaders(request.headers) },
      cache: 'no-store',
    });
  try {
    let response = await call();
    if (response.status === 401 && (await renew())) response = await call();
    if (!response.ok) throw await apiErrorFrom(response);
    return Response.json(await response.json());
  } catch (error) {
    return errorResponse(error);
  }
}
