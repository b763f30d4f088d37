import { cookies } from 'next/headers';
import { ApiError, apiErrorFrom } from '@/lib/api/errors';
import type { TokenResponse } from '@/lib/api/types';
import { errorResponse } from './auth-handlers';
import { forwardedHeaders, gatewayUrl } from './gateway-url';
import { clearTokens, isSecureRequest, REFRESH_COOKIE, storeTokens } from './session-tokens';

/**
 * Moves the session to another workspace of the same person (`POST /v1/auth/switch-tenant` with the
 * refresh cookie); the new tokens replace the cookies, so the next page acts in that workspace.
 */
export async function switchTenant(request: Request): Promise<Response> {
  const jar = await cookies();
  const refresh = jar.get(REFRESH_COOKIE)?.value;
  if (!refresh) return errorResponse(new ApiError(401, 'not_signed_in', 'Sign in first.'));
  try {
    let body: { tenant_id?: unknown };
    try {
      body = (await request.json()) as { tenant_id?: unknown };
    } catch {
      throw new ApiError(400, 'invalid_request', 'The body must be JSON.');
    }
    const response = await fetch(`${gatewayUrl()}/v1/auth/switch-tenant`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...forwardedHeaders(request.headers) },
      body: JSON.stringify({ tenant_id: body.tenant_id, refresh_token: refresh }),
      cache: 'no-store',
    });
    if (!response.ok) throw await apiErrorFrom(response);
    const tokens = (await response.json()) as TokenResponse;
    storeTokens(jar, tokens, isSecureRequest(request.url, request.headers));
    return Response.json({ user: tokens.user, tenant: tokens.tenant });
  } catch (error) {
    // Only a refused refresh token ends the session; a workspace refused (404, 403) leaves it as it is.
    if (error instanceof ApiError && error.status === 401) clearTokens(jar);
    return errorResponse(error);
  }
}
