import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import type { Logger, ScopedDatabase, Tx } from '@flatrender/platform';
import type { JWK } from 'jose';
import { sql } from 'kysely';
import type { IdentityDb } from './identity.tables';

export interface ActiveSigningKey {
  kid: string;
  alg: 'EdDSA';
  privateKey: KeyObject;
}

export interface SigningKeyStoreOptions {
  db: ScopedDatabase<IdentityDb>;
  /** The platform secret; the private keys are encrypted under a key derived from it. */
  secret: string;
  logger: Logger;
  rotationDays: number;
  /** How long a retired key stays published: at least the access-token lifetime. */
  publishRetiredForMs: number;
  /** How long the active key and JWKS are cached in memory. */
  cacheMs?: number;
}

const ALG = 'EdDSA';
const DAY_MS = 86_400_000;

/**
 * The access-token signing keys (Ed25519), kept in the identity schema so every identity replica signs
 * with the same key and the JWKS lists what any of them may have used. Private keys are stored
 * encrypted (AES-256-GCM, key from HKDF over the platform secret); a key that no longer decrypts
 * (the secret changed) is skipped and replaced.
 */
export class SigningKeyStore {
  private readonly encryptionKey: Buffer;
  private active: { key: ActiveSigningKey; until: number } | undefined;
  private jwks: { keys: JWK[]; until: number } | undefined;
  private readonly cacheMs: number;

  constructor(private readonly options: SigningKeyStoreOptions) {
    this.encryptionKey = Buffer.from(
      hkdfSync('sha256', options.secret, 'flatrender-identity', 'signing-key-encryption-v1', 32),
    );
    this.cacheMs = options.cacheMs ?? 60_000;
  }

  /** The key to sign with now; creates the first one, or a new one when the current is due. */
  async current(): Promise<ActiveSigningKey> {
    if (this.active && this.active.until > Date.now()) return this.active.key;
    const key = (await this.loadActive()) ?? (await this.rotate(false));
    this.active = { key, until: Date.now() + this.cacheMs };
    return key;
  }

  /** Public keys of the active key and of retired ones whose tokens may still be valid. */
  async publicKeys(): Promise<{ keys: JWK[] }> {
    if (this.jwks && this.jwks.until > Date.now()) return { keys: this.jwks.keys };
    await this.current();
    const cutoff = new Date(Date.now() - this.options.publishRetiredForMs);
    const rows = await this.options.db.asSystem((tx) =>
      tx
        .selectFrom('signing_keys')
        .select(['kid', 'alg', 'public_jwk'])
        .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', cutoff)]))
        .orderBy('created_at', 'desc')
        .execute(),
    );
    const keys = rows.map((r) => ({ ...(r.public_jwk as JWK), kid: r.kid, alg: r.alg, use: 'sig' }));
    this.jwks = { keys, until: Date.now() + Math.min(this.cacheMs, 10_000) };
    return { keys };
  }

  /** Rotates when the active key is older than the rotation age (the scheduler calls this). */
  async rotateIfDue(now = new Date()): Promise<boolean> {
    const due = new Date(now.getTime() - this.options.rotationDays * DAY_MS);
    const current = await this.options.db.asSystem((tx) =>
      tx
        .selectFrom('signing_keys')
        .select(['kid', 'created_at'])
        .where('retired_at', 'is', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst(),
    );
    if (current && current.created_at > due) return false;
    await this.rotate(true);
    return true;
  }

  /**
   * Creates a new key and retires the others, under an advisory lock so concurrent replicas create one
   * key between them. With `force` false it only creates a key when no usable one exists.
   */
  async rotate(force: boolean): Promise<ActiveSigningKey> {
    const created = await this.options.db.asSystem(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext('identity.signing_keys'))`.execute(tx);
      if (!force) {
        const existing = await this.activeIn(tx);
        if (existing) return existing;
      }
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const kid = randomUUID();
      const der = privateKey.export({ format: 'der', type: 'pkcs8' });
      const now = new Date();
      await tx.updateTable('signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
      await tx
        .insertInto('signing_keys')
        .values({
          kid,
          alg: ALG,
          public_jwk: JSON.stringify(publicKey.export({ format: 'jwk' })),
          private_key: this.encrypt(der),
          created_at: now,
        })
        .execute();
      return { kid, alg: ALG, privateKey } as ActiveSigningKey;
    });
    this.options.logger.info({ kid: created.kid }, 'access-token signing key in use');
    this.active = { key: created, until: Date.now() + this.cacheMs };
    this.jwks = undefined;
    return created;
  }

  private loadActive(): Promise<ActiveSigningKey | undefined> {
    return this.options.db.asSystem((tx) => this.activeIn(tx));
  }

  private async activeIn(tx: Tx<IdentityDb>): Promise<ActiveSigningKey | undefined> {
    const row = await tx
      .selectFrom('signing_keys')
      .select(['kid', 'private_key'])
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!row) return undefined;
    try {
      const privateKey = createPrivateKey({
        key: this.decrypt(row.private_key),
        format: 'der',
        type: 'pkcs8',
      });
      return { kid: row.kid, alg: ALG, privateKey };
    } catch {
      this.options.logger.warn({ kid: row.kid }, 'signing key does not decrypt (platform secret changed?)');
      return undefined;
    }
  }

  private encrypt(plain: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  private decrypt(stored: string): Buffer {
    const [version, iv, tag, body] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown signing key format');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }
}
