import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An opaque secret for links and refresh tokens: 256 random bits, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a secret: its SHA-256 (hex). Secrets are high-entropy, so no salt is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const API_KEY = /^(fr_[a-z0-9]{8})_([0-9a-f]{48})$/;

export interface NewApiKey {
  /** Shown to its creator once, never stored. */
  key: string;
  /** Public part, stored and shown in lists (`fr_ab12cd34`). */
  prefix: string;
  secretHash: string;
}

/**
 * `fr_<8 public chars>_<48 hex>`: 192 bits of secret (ASVS: >= 128). The whole key is hashed, so the
 * prefix cannot be swapped onto another key's secret.
 */
export function newApiKey(): NewApiKey {
  const bytes = randomBytes(8);
  const publicPart = [...bytes].map((b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join('');
  const prefix = `fr_${publicPart}`;
  const key = `${prefix}_${randomBytes(24).toString('hex')}`;
  return { key, prefix, secretHash: hashSecret(key) };
}

/** The prefix of a well-formed API key, or undefined for anything else. */
export function apiKeyPrefix(key: string): string | undefined {
  return API_KEY.exec(key)?.[1];
}
