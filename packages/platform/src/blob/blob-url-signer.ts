import { createHmac, timingSafeEqual } from 'node:crypto';

/** Path under the gateway where `blob-download.route` serves disk blobs; the signer builds URLs to it. */
export const BLOB_DOWNLOAD_PATH = '/v1/blobs/';

export interface BlobUrlClaims {
  key: string;
  /** Unix seconds after which the URL is refused. */
  expiresAt: number;
  downloadName?: string;
  contentType?: string;
}

export type BlobUrlVerdict =
  | { ok: true; claims: BlobUrlClaims }
  | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Everything the URL grants is signed: key, expiry, download name and content type. Newline-joined;
 * none of them may contain a newline (keys cannot hold control characters; the others are checked).
 */
function signature(secret: string, claims: BlobUrlClaims): string {
  const payload = [
    'v1',
    claims.key,
    claims.expiresAt,
    claims.downloadName ?? '',
    claims.contentType ?? '',
  ].join('\n');
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function encodeBlobKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** `<publicUrl>/v1/blobs/<key>?exp=&dn=&ct=&sig=`: a download link the gateway verifies without state. */
export function signBlobUrl(publicUrl: string, secret: string, claims: BlobUrlClaims): string {
  for (const [name, value] of [
    ['downloadName', claims.downloadName],
    ['contentType', claims.contentType],
  ] as const) {
    if (value !== undefined && /[\r\n]/.test(value))
      throw new Error(`signed URL: ${name} must not contain a newline`);
  }
  const base = publicUrl.endsWith('/') ? publicUrl.slice(0, -1) : publicUrl;
  const url = new URL(`${base}${BLOB_DOWNLOAD_PATH}${encodeBlobKeyPath(claims.key)}`);
  url.searchParams.set('exp', String(claims.expiresAt));
  if (claims.downloadName !== undefined) url.searchParams.set('dn', claims.downloadName);
  if (claims.contentType !== undefined) url.searchParams.set('ct', claims.contentType);
  url.searchParams.set('sig', signature(secret, claims));
  return url.toString();
}

/** Checks a request's key and query against the signature; expiry is checked only for a genuine URL. */
export function verifyBlobUrl(
  secret: string,
  key: string,
  query: Record<string, unknown>,
  nowMs: number = Date.now(),
): BlobUrlVerdict {
  const { exp, sig, dn, ct } = query;
  if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string')
    return { ok: false, reason: 'invalid' };
  if ((dn !== undefined && typeof dn !== 'string') || (ct !== undefined && typeof ct !== 'string')) {
    return { ok: false, reason: 'invalid' };
  }
  const claims: BlobUrlClaims = {
    key,
    expiresAt: Number(exp),
    ...(dn !== undefined ? { downloadName: dn } : {}),
    ...(ct !== undefined ? { contentType: ct } : {}),
  };
  const expected = Buffer.from(signature(secret, claims));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid' };
  if (nowMs >= claims.expiresAt * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
