import { describe, expect, it } from 'vitest';
import { apiKeyPrefix, hashSecret, newApiKey, newSecretToken, sameDigest } from './secret-token';

describe('secret tokens', () => {
  it('makes 256-bit URL-safe tokens, never twice the same', () => {
    const tokens = new Set(Array.from({ length: 200 }, newSecretToken));
    expect(tokens.size).toBe(200);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
  });

  it('hashes to SHA-256 hex and compares digests in constant time', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sameDigest(hashSecret('a'), hashSecret('a'))).toBe(true);
    expect(sameDigest(hashSecret('a'), hashSecret('b'))).toBe(false);
    expect(sameDigest(hashSecret('a'), 'ab')).toBe(false);
    expect(sameDigest('', '')).toBe(false);
  });
});

describe('API keys', () => {
  it('have a public prefix matching the catalog pattern and a 192-bit secret', () => {
    const { key, prefix, secretHash } = newApiKey();
    expect(prefix).toMatch(/^fr_[A-Za-z0-9]{4,12}$/);
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(key.slice(prefix.length + 1)).toMatch(/^[0-9a-f]{48}$/);
    expect(secretHash).toBe(hashSecret(key));
    expect(apiKeyPrefix(key)).toBe(prefix);
  });

  it('refuses malformed keys', () => {
    const { key } = newApiKey();
    for (const bad of ['', 'fr_', `${key}x`, key.toUpperCase(), key.replace('fr_', 'xx_'), `Bearer ${key}`]) {
      expect(apiKeyPrefix(bad)).toBeUndefined();
    }
  });
});
