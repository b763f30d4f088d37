import { describe, expect, it } from 'vitest';
import { assertValidBlobKey, assertValidBlobPrefix, InvalidBlobKeyError, isValidBlobKey } from './blob-key';

describe('blob keys', () => {
  it.each([
    'a',
    'tenants/0a0a/files/x.png',
    'fonts/vazirmatn-800.woff2',
    'فایل‌ها/تصویر نهایی.png',
    '.hidden/..dots../x..y',
    'ب'.repeat(127), // 254 bytes in one segment
    `${'a'.repeat(255)}/${'b'.repeat(255)}/${'c'.repeat(255)}/${'d'.repeat(255)}`, // 1023 bytes
  ])('accepts %s', (key) => {
    expect(isValidBlobKey(key)).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['/abs', /relative/],
    ['../x', /\.\. segment/],
    ['a/../b', /\.\. segment/],
    ['a/./b', /\. or \.\. segment/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['a\\b', /backslash/],
    ['a\u0000b', /control/],
    ['a\nb', /control/],
    ['a\u007fb', /control/],
    ['x'.repeat(256), /segment longer than 255/],
    ['ب'.repeat(128), /segment longer than 255/],
    [`${'a'.repeat(255)}/`.repeat(4) + 'e', /longer than 1024 bytes/],
  ])('refuses %j', (key, reason) => {
    expect(() => assertValidBlobKey(key)).toThrow(InvalidBlobKeyError);
    expect(() => assertValidBlobKey(key)).toThrow(reason);
  });

  it('accepts listing prefixes that are empty or end with a slash, and refuses bad ones', () => {
    expect(() => assertValidBlobPrefix('')).not.toThrow();
    expect(() => assertValidBlobPrefix('tenants/')).not.toThrow();
    expect(() => assertValidBlobPrefix('tenants/t1/fi')).not.toThrow();
    for (const bad of ['../', '/tenants/', 'a//', 'a/../']) {
      expect(() => assertValidBlobPrefix(bad), bad).toThrow(InvalidBlobKeyError);
    }
  });
});
