import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encrypts secrets kept at rest (webhook signing secrets must be readable to sign, so they cannot be
 * hashed): AES-256-GCM under a key derived from the platform secret with HKDF. A database dump alone
 * does not reveal them; changing FLATRENDER_SECRET makes stored ones unreadable (rotate them after).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(platformSecret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', platformSecret, Buffer.alloc(0), `flatrender:${purpose}`, 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')}`;
  }

  open(sealed: string): string {
    const [version, payload] = sealed.split('.');
    if (version !== VERSION || !payload) throw new Error('sealed secret: unknown format');
    const bytes = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}
