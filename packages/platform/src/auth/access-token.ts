import { API_KEY_SCOPES, type ApiKeyScope, TENANT_ROLES, type TenantRole } from '@flatrender/contracts';
import { type JWTPayload, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { KeySetUnavailableError } from './identity-key-set';
import type { Principal } from './principal';

/** `iss` and `aud` of access tokens; a token for another audience is refused. */
export const ACCESS_TOKEN_ISSUER = 'flatrender-identity';
export const ACCESS_TOKEN_AUDIENCE = 'flatrender-api';
/** Asymmetric only, so that services verify without being able to mint (ASVS: algorithm allowlist). */
export const ACCESS_TOKEN_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Claims beyond the registered ones (`sub` = user id). */
export interface AccessTokenClaims extends JWTPayload {
  tid: string;
  role: TenantRole;
  scp: ApiKeyScope[];
  adm?: boolean;
  akid?: string;
  sid?: string;
  loc?: 'fa' | 'en';
}

export class InvalidAccessTokenError extends Error {
  constructor(
    readonly code: 'token_expired' | 'invalid_token',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Verifies an access token against the identity service's public keys (a JWKS, fetched or local):
 * signature with an allowed algorithm, `iss`, `aud`, `exp`/`nbf`, token type, and the claims' shapes.
 */
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey): Promise<Principal> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      algorithms: [...ACCESS_TOKEN_ALGORITHMS],
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ['sub', 'exp', 'iat', 'tid'],
      clockTolerance: 5,
    }));
  } catch (error) {
    if (error instanceof KeySetUnavailableError) throw error;
    if (error instanceof joseErrors.JWTExpired)
      throw new InvalidAccessTokenError('token_expired', 'The access token has expired.');
    throw new InvalidAccessTokenError('invalid_token', 'The access token is not valid.');
  }
  const claims = payload as AccessTokenClaims;
  const scopes = Array.isArray(claims.scp) ? claims.scp : [];
  if (
    typeof claims.sub !== 'string' ||
    typeof claims.tid !== 'string' ||
    !TENANT_ROLES.includes(claims.role) ||
    !scopes.every((s) => (API_KEY_SCOPES as readonly string[]).includes(s))
  ) {
    throw new InvalidAccessTokenError('invalid_token', 'The access token is not valid.');
  }
  return {
    kind: claims.akid ? 'api_key' : 'user',
    userId: claims.sub,
    tenantId: claims.tid,
    role: claims.role,
    scopes,
    platformAdmin: claims.akid ? false : claims.adm === true,
    ...(claims.akid ? { apiKeyId: claims.akid } : {}),
    ...(claims.sid ? { sessionId: claims.sid } : {}),
    ...(claims.loc ? { locale: claims.loc } : {}),
    ...(typeof claims.iat === 'number' ? { issuedAt: claims.iat } : {}),
  };
}
