import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UnsubscribeClaim {
  userId: string;
  /** A notification kind, or `*` for every mail that can be refused. */
  kind: string;
}

const PURPOSE = 'flatrender-unsubscribe-v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`${PURPOSE}\n${payload}`).digest('base64url');

/**
 * The token of an unsubscribe link: who and which kind, signed with the platform secret so that it
 * works without signing in and cannot be made for someone else. It never expires (an old mail's link
 * must still work) and only ever switches mail off.
 */
export function signUnsubscribe(secret: string, claim: UnsubscribeClaim): string {
  const payload = Buffer.from(`${claim.userId}:${claim.kind}`).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The claim of a token this platform signed, or undefined. */
export function verifyUnsubscribe(secret: string, token: string): UnsubscribeClaim | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const text = Buffer.from(payload, 'base64url').toString('utf8');
  const at = text.indexOf(':');
  const userId = text.slice(0, at);
  const kind = text.slice(at + 1);
  if (at < 0 || !UUID.test(userId) || !/^(\*|[a-z_]+\.[a-z_]+)$/.test(kind)) return undefined;
  return { userId, kind };
}
