import { hash, verify } from '@node-rs/argon2';
import { normalizePassword } from './domain/password-policy';

/** OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane (ASVS 6.2 / password storage sheet). */
export const ARGON2_OPTIONS = {
  // Algorithm.Argon2id (an ambient const enum, which isolated modules cannot read).
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Hashes and verifies passwords with argon2id. `verifyOrDummy` spends the same work when there is no
 * hash to check (an unknown email), so response time does not tell whether an account exists.
 */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  /** Computes the dummy hash ahead, so the first unknown-email login is not slower than the rest. */
  async warm(): Promise<void> {
    this.dummy ??= hash('flatrender-dummy-password', ARGON2_OPTIONS);
    await this.dummy;
  }

  hash(password: string): Promise<string> {
    return hash(normalizePassword(password), ARGON2_OPTIONS);
  }

  async verify(storedHash: string | null | undefined, password: string): Promise<boolean> {
    const normalized = normalizePassword(password);
    if (!storedHash) {
      this.dummy ??= hash('flatrender-dummy-password', ARGON2_OPTIONS);
      await verify(await this.dummy, normalized).catch(() => false);
      return false;
    }
    try {
      return await verify(storedHash, normalized);
    } catch {
      return false;
    }
  }
}
