import { randomUUID } from 'node:crypto';
import type { ApiKeyScope, Locale, TenantRole } from '@flatrender/contracts';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
  type AccessTokenClaims,
} from '@flatrender/platform';
import { SignJWT } from 'jose';
import type { SigningKeyStore } from './signing-key.store';

export interface AccessTokenSubject {
  userId: string;
  tenantId: string;
  role: TenantRole;
  scopes: readonly ApiKeyScope[];
  platformAdmin?: boolean;
  sessionId?: string;
  apiKeyId?: string;
  locale?: Locale;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
  expiresIn: number;
}

/** Signs access tokens that `verifyAccessToken` (platform/auth) accepts: the claim names live there. */
export class AccessTokenIssuer {
  constructor(private readonly keys: SigningKeyStore) {}

  async issue(subject: AccessTokenSubject, ttlSeconds: number): Promise<IssuedAccessToken> {
    const key = await this.keys.current();
    const now = Math.floor(Date.now() / 1000);
    const claims: Omit<AccessTokenClaims, 'sub'> = {
      tid: subject.tenantId,
      role: subject.role,
      scp: [...subject.scopes],
      ...(subject.platformAdmin && !subject.apiKeyId ? { adm: true } : {}),
      ...(subject.apiKeyId ? { akid: subject.apiKeyId } : {}),
      ...(subject.sessionId ? { sid: subject.sessionId } : {}),
      ...(subject.locale ? { loc: subject.locale } : {}),
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setSubject(subject.userId)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(key.privateKey);
    return { token, expiresAt: new Date((now + ttlSeconds) * 1000), expiresIn: ttlSeconds };
  }
}
