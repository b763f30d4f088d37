import { type NextRequest, NextResponse } from 'next/server';
import { forwardedHeaders } from '@/lib/server/gateway-url';
import {
  ACCESS_COOKIE,
  clearTokens,
  isSecureRequest,
  needsRefresh,
  REFRESH_COOKIE,
  refreshSession,
  sessionEnded,
  storeTokens,
} from '@/lib/server/session-tokens';

/** Pages that need a session; anything else renders for visitors too. */
const PROTECTED = ['/studio', '/renders', '/templates', '/account', '/admin', '/billing'];

function isProtected(pathname: string): boolean {
  return PROTECTED.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * Session upkeep before a page renders: an access token that expired (or is about to) is refreshed
 * with the refresh cookie, and the new cookies go both to the browser and to this request, so the
 * page's server components already see the fresh token. Protected pages without a session go to
 * the sign-in page.
 */
export async function proxy(request: NextRequest) {
  const access = request.cookies.get(ACCESS_COOKIE)?.value;
  const refresh = request.cookies.get(REFRESH_COOKIE)?.value;
  const { pathname, search } = request.nextUrl;
  const toLogin = () => {
    const url = request.nextUrl.clone();
    url.pathname = '/login';
    url.search = `?next=${encodeURIComponent(pathname + search)}`;
    return url;
  };

  if (refresh && needsRefresh(access)) {
    try {
      const tokens = await refreshSession(refresh, forwardedHeaders(request.headers));
      request.cookies.set(ACCESS_COOKIE, tokens.access_token);
      request.cookies.set(REFRESH_COOKIE, tokens.refresh_token);
      const response = NextResponse.next({ request: { headers: request.headers } });
      storeTokens(response.cookies, tokens, isSecureRequest(request.url, request.headers));
      return response;
    } catch (error) {
      if (!sessionEnded(error)) return NextResponse.next();
      request.cookies.delete(ACCESS_COOKIE);
      request.cookies.delete(REFRESH_COOKIE);
      const response = isProtected(pathname)
        ? NextResponse.redirect(toLogin())
        : NextResponse.next({ request: { headers: request.headers } });
      clearTokens(response.cookies);
      return response;
    }
  }
  if (!access && !refresh && isProtected(pathname)) return NextResponse.redirect(toLogin());
  return NextResponse.next();
}

export const config = {
  // Not for the API handlers (they keep the session themselves), Next's files or static assets.
  matcher: ['/((?!api/|_next/|builtin-assets/|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|webp|woff2|ico)$).*)'],
};
