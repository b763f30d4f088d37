import { describe, expect, it } from 'vitest';
import { signBlobUrl, verifyBlobUrl } from './blob-url-signer';

const SECRET = 's'.repeat(40);
const NOW = 1_800_000_000_000;

function queryOf(url: string) {
  const parsed = new URL(url);
  return { path: decodeURIComponent(parsed.pathname), query: Object.fromEntries(parsed.searchParams) };
}

describe('blob URL signatures', () => {
  const claims = {
    key: 'tenants/t/فایل.png',
    expiresAt: NOW / 1000 + 60,
    downloadName: 'نام.png',
    contentType: 'image/png',
  };

  it('builds a gateway URL that verifies with the same secret and carries its claims', () => {
    const url = signBlobUrl('https://example.com/', SECRET, claims);
    const { path, query } = queryOf(url);
    expect(url.startsWith('https://example.com/v1/blobs/tenants/t/')).toBe(true);
    expect(path).toBe('/v1/blobs/tenants/t/فایل.png');
    expect(verifyBlobUrl(SECRET, claims.key, query, NOW)).toEqual({ ok: true, claims });
  });

  it('refuses every changed claim and another secret', () => {
    const { query } = queryOf(signBlobUrl('https://example.com', SECRET, claims));
    expect(verifyBlobUrl(SECRET, 'tenants/t/other.png', query, NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    for (const field of ['exp', 'dn', 'ct'] as const) {
      expect(verifyBlobUrl(SECRET, claims.key, { ...query, [field]: '1' }, NOW), field).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    const { dn: _dropped, ...withoutName } = query;
    expect(verifyBlobUrl(SECRET, claims.key, withoutName, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyBlobUrl(`${SECRET}x`, claims.key, query, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a genuine URL once it has expired', () => {
    const { query } = queryOf(signBlobUrl('https://example.com', SECRET, claims));
    expect(verifyBlobUrl(SECRET, claims.key, query, claims.expiresAt * 1000 - 1).ok).toBe(true);
    expect(verifyBlobUrl(SECRET, claims.key, query, claims.expiresAt * 1000)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses names or types with line breaks when signing', () => {
    expect(() => signBlobUrl('https://example.com', SECRET, { ...claims, downloadName: 'a\nb' })).toThrow(
      /newline/,
    );
  });
});
