import { API_KEY_SCOPES, type ApiKeyScope, TENANT_ROLES, type TenantRole } from '@flatrender/contracts';

/**
 * Who is calling, as established by the gateway's authentication (an access JWT or an API key) and
 * verified again by each service from the access token. Every tenant-owned query is scoped by
 * `tenantId`; nothing else in a request may choose the tenant.
 */
export interface Principal {
  kind: 'user' | 'api_key';
  /** The user, or for an API key the user who created it. */
  userId: string;
  tenantId: string;
  /** The user's role in the tenant (for an API key: the role its scopes were granted under). */
  role: TenantRole;
  /** What this caller may do; users get every scope their role allows, API keys the ones they hold. */
  scopes: readonly ApiKeyScope[];
  /** Operator of the whole platform (admin console). Never true for API keys. */
  platformAdmin: boolean;
  apiKeyId?: string;
  /** The refresh-token family of a user session (logout ends it). */
  sessionId?: string;
  locale?: 'fa' | 'en';
  /** `iat` of the access token (epoch seconds): the deny list refuses tokens issued before a ban. */
  issuedAt?: number;
}

const READ: readonly ApiKeyScope[] = API_KEY_SCOPES.filter((s) => s.endsWith(':read'));
const EDIT: readonly ApiKeyScope[] = [...READ, 'projects:write', 'renders:write', 'files:write'];

/** The scopes a tenant role carries; API keys can be granted at most their creator's. */
export const ROLE_SCOPES: Readonly<Record<TenantRole, readonly ApiKeyScope[]>> = {
  owner: API_KEY_SCOPES,
  admin: API_KEY_SCOPES,
  editor: EDIT,
  viewer: READ,
};

/** True when `role` is at least `minimum` (owner > admin > editor > viewer). */
export function roleAtLeast(role: TenantRole, minimum: TenantRole): boolean {
  return TENANT_ROLES.indexOf(role) <= TENANT_ROLES.indexOf(minimum);
}
