import type { ApiKeyScope, TenantRole } from '@flatrender/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JWTVerifyGetKey } from 'jose';
import { badRequest, forbidden, HttpError, unauthorized } from '../http/http-error';
import { currentTrace } from '../log/trace-context';
import { InvalidAccessTokenError, verifyAccessToken } from './access-token';
import { isApiKey } from './api-key-exchanger';
import { KeySetUnavailableError } from './identity-key-set';
import { type Principal, roleAtLeast } from './principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` when the request carries a valid access token. */
    principal?: Principal;
    /**
     * The verified access token of this request: the caller's JWT, or the one an API key was exchanged
     * for. The gateway's proxy forwards it, so services behind it never see API keys.
     */
    accessToken?: string;
  }
}

export interface AuthenticateOptions {
  /** The identity service's public keys (its JWKS: local in one process, fetched otherwise). */
  keys: JWTVerifyGetKey;
  /**
   * Refuses principals that are valid cryptographically but no longer allowed (a banned user, a
   * suspended tenant, a revoked key): the gateway's deny list, fed by identity events.
   */
  isRevoked?: (principal: Principal) => boolean | Promise<boolean>;
  /**
   * Turns an API key (`Bearer fr_...`) into an access token (the gateway's `ApiKeyExchanger`).
   * Without it, API keys are refused: services behind the gateway only ever see access tokens.
   */
  exchangeApiKey?: (key: string) => Promise<string>;
}

/** Query parameters that would put a credential into URLs (logs, proxies, browser history). */
const CREDENTIAL_PARAMS = ['api_key', 'apikey', 'access_token'];

/**
 * An `onRequest` hook that reads `Authorization: Bearer <access token>` and sets `request.principal`.
 * Requests without a token pass through (public routes); a bad token is a 401 at once. Routes demand
 * what they need with `requirePrincipal`.
 */
export function authenticate(options: AuthenticateOptions) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const query = request.url.indexOf('?');
    if (query !== -1) {
      const params = new URLSearchParams(request.url.slice(query + 1));
      const param = CREDENTIAL_PARAMS.find((name) => params.has(name));
      if (param) {
        throw badRequest(
          'credentials_in_url',
          `Query parameter "${param}": credentials never go in URLs; send "Authorization: Bearer <key or token>".`,
          param,
        );
      }
    }
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw unauthorized('The Authorization header must be "Bearer <token>".', 'invalid_token');
    let token = match[1];
    let principal: Principal;
    try {
      if (isApiKey(token)) {
        if (!options.exchangeApiKey) {
          throw unauthorized('API keys are accepted at the gateway only.', 'invalid_token');
        }
        token = await options.exchangeApiKey(token);
        // Past this hook nothing sees the key, in one process as behind the proxy: only its token.
        request.headers.authorization = `Bearer ${token}`;
      }
      principal = await verifyAccessToken(token, options.keys);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw new HttpError(401, error.code, error.message);
      if (error instanceof KeySetUnavailableError) {
        request.log.error({ err: error }, 'authentication unavailable');
        throw new HttpError(
          503,
          'auth_unavailable',
          'Authentication is temporarily unavailable; retry shortly.',
          undefined,
          undefined,
          { 'retry-after': '5' },
        );
      }
      throw error;
    }
    if (await options.isRevoked?.(principal)) {
      throw new HttpError(401, 'session_revoked', 'This session is no longer valid; sign in again.');
    }
    request.principal = principal;
    request.accessToken = token;
    const trace = currentTrace();
    if (trace) {
      trace.tenantId = principal.tenantId;
      trace.userId = principal.userId;
    }
  };
}

export interface Requirement {
  /** The caller must hold this scope (users hold their role's scopes, API keys their own). */
  scope?: ApiKeyScope;
  /** Minimum tenant role (owner > admin > editor > viewer). */
  role?: TenantRole;
  /** Operators of the platform only. */
  platformAdmin?: boolean;
  /** Signed-in users only (not API keys): account, billing, keys, members. */
  userOnly?: boolean;
}

/** The caller, or a 401/403 error body naming what is missing. */
export function requirePrincipal(request: FastifyRequest, requirement: Requirement = {}): Principal {
  const principal = request.principal;
  if (!principal) throw unauthorized();
  if (requirement.userOnly && principal.kind !== 'user') {
    throw forbidden('This action needs a signed-in user; API keys cannot do it.', 'user_required');
  }
  if (requirement.platformAdmin && !principal.platformAdmin) {
    throw forbidden('This action is for platform administrators.', 'admin_required');
  }
  if (requirement.scope && !principal.scopes.includes(requirement.scope)) {
    throw forbidden(`This needs the "${requirement.scope}" scope.`, 'insufficient_scope');
  }
  if (requirement.role && !roleAtLeast(principal.role, requirement.role)) {
    throw forbidden(`This needs the ${requirement.role} role or higher in this team.`, 'insufficient_role');
  }
  return principal;
}
