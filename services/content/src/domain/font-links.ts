import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Links to a tenant's font files for `@font-face`, which browsers fetch without the Authorization
 * header. The link carries an expiry and an HMAC of the font id and expiry under the platform secret.
 * Expiries are rounded up to whole days so that a link, and the browser's cache of the file behind it,
 * stays the same for a day. Platform fonts are public and need no signature.
 */

const DAY = 86_400;

/** Unix seconds at which a link made now expires: at least `ttlSeconds` away, on a day boundary. */
export function fontLinkExpiry(nowMs: number, ttlSeconds: number): number {
  return Math.ceil((nowMs / 1000 + ttlSeconds) / DAY) * DAY;
}

export function fontLinkSignature(secret: string, fontId: string, expiresAt: number): string {
  return createHmac('sha256', secret).update(`font-v1\n${fontId}\n${expiresAt}`).digest('base64url');
}

export function verifyFontLink(
  secret: string,
  fontId: string,
  query: { exp?: unknown; sig?: unknown },
  nowMs: number = Date.now(),
): boolean {
  const { exp, sig } = query;
  if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string') return false;
  const expected = Buffer.from(fontLinkSignature(secret, fontId, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return nowMs < Number(exp) * 1000;
}
