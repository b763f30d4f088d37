import { randomUUID } from 'node:crypto';
import type { API_KEY_REVOKE_REASONS, ApiKeyScope } from '@flatrender/contracts';
import { forbidden, HttpError, notFound, type Principal, ROLE_SCOPES } from '@flatrender/platform';
import type { ApiKeyRow } from './api-key.repository';
import * as keys from './api-key.repository';
import type { BillingManager } from './billing.manager';
import { apiKeyPrefix, hashSecret, newApiKey, sameDigest } from './domain/secret-token';
import type { IdentityDeps } from './identity.deps';
import * as tenants from './tenant.repository';
import * as users from './user.repository';

/** API keys are exchanged for access tokens this short-lived (the gateway caches them). */
export const API_KEY_TOKEN_TTL_SECONDS = 300;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  created_by: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export function apiKeyView(k: ApiKeyRow): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    created_by: k.created_by,
    expires_at: k.expires_at?.toISOString() ?? null,
    last_used_at: k.last_used_at?.toISOString() ?? null,
    revoked_at: k.revoked_at?.toISOString() ?? null,
    created_at: k.created_at.toISOString(),
  };
}

const invalidKey = () => new HttpError(401, 'invalid_api_key', 'The API key is not valid.');

export class ApiKeyManager {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly billingManager: BillingManager,
  ) {}

  /**
   * Creates a key for the caller's tenant. Its scopes are at most the creator's (a viewer cannot mint
   * a writer), and the plan must allow API access. The key itself is returned here only.
   */
  async create(
    principal: Principal,
    input: { name: string; scopes: ApiKeyScope[]; expiresAt?: Date },
  ): Promise<{ key: string; api_key: ApiKeyView }> {
    const allowed = ROLE_SCOPES[principal.role];
    const beyond = input.scopes.filter((s) => !allowed.includes(s));
    if (beyond.length > 0) {
      throw new HttpError(
        403,
        'insufficient_scope',
        `body field "scopes": your role cannot grant ${beyond.join(', ')}.`,
        'scopes',
      );
    }
    if (input.expiresAt && input.expiresAt <= new Date()) {
      throw new HttpError(
        400,
        'invalid_request',
        'body field "expires_at": must be in the future.',
        'expires_at',
      );
    }
    const created = newApiKey();
    const row = await this.deps.db.withTenant(principal.tenantId, async (tx) => {
      const { plan } = await this.billingManager.currentPlan(tx, principal.tenantId);
      if (!plan.limits.api_access) {
        throw forbidden(`The ${plan.code} plan does not include API access.`, 'api_access_disabled');
      }
      const key = await keys.insertApiKey(tx, {
        id: randomUUID(),
        tenant_id: principal.tenantId,
        created_by: principal.userId,
        name: input.name,
        prefix: created.prefix,
        secret_hash: created.secretHash,
        scopes: JSON.stringify([...new Set(input.scopes)]),
        expires_at: input.expiresAt ?? null,
      });
      await this.deps.ctx.emit(
        tx,
        'identity.api_key.created.v1',
        {
          api_key_id: key.id,
          name: key.name,
          prefix: key.prefix,
          scopes: key.scopes,
          expires_at: key.expires_at?.toISOString() ?? null,
          created_at: key.created_at.toISOString(),
        },
        { tenantId: principal.tenantId, userId: principal.userId },
      );
      return key;
    });
    return { key: created.key, api_key: apiKeyView(row) };
  }

  async list(principal: Principal, limit: number, after?: { createdAt: Date; id: string }) {
    const rows = await this.deps.db.withTenant(principal.tenantId, (tx) =>
      keys.listApiKeys(tx, principal.tenantId, limit + 1, after),
    );
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  async revoke(
    principal: Principal,
    id: string,
    reason: (typeof API_KEY_REVOKE_REASONS)[number] = 'owner',
  ): Promise<ApiKeyView> {
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      const key = await keys.findApiKey(tx, id, { forUpdate: true });
      if (!key) throw notFound('API key');
      if (key.revoked_at) return apiKeyView(key);
      const now = new Date();
      await keys.revokeApiKey(tx, id, reason, now);
      await this.emitRevoked(tx, key, reason, now, principal.userId);
      return apiKeyView({ ...key, revoked_at: now, revoke_reason: reason });
    });
  }

  /** Marks keys past their expiry revoked (reason `expired`) so the gateway drops them from its cache. */
  async revokeExpired(now = new Date()): Promise<number> {
    return this.deps.db.asSystem(async (tx) => {
      const expired = await keys.expiredApiKeys(tx, now, 100);
      for (const key of expired) {
        await keys.revokeApiKey(tx, key.id, 'expired', now);
        await this.emitRevoked(tx, key, 'expired', now);
      }
      return expired.length;
    });
  }

  /**
   * Exchanges a key for a short-lived access token carrying `akid`, the key's tenant and its scopes
   * (cut to the creator's current role: a demoted or removed creator's keys shrink or stop).
   */
  async exchange(key: string) {
    const prefix = apiKeyPrefix(key);
    if (!prefix) throw invalidKey();
    const now = new Date();
    const found = await this.deps.db.asSystem(async (tx) => {
      const row = await keys.findApiKeyByPrefix(tx, prefix);
      if (!row || !sameDigest(row.secret_hash, hashSecret(key))) return undefined;
      if (row.revoked_at || (row.expires_at && row.expires_at <= now)) return undefined;
      const creator = await users.findUser(tx, row.created_by);
      if (!creator || users.isBanned(creator, now)) return undefined;
      const membership = await tenants.findMembership(tx, row.tenant_id, row.created_by);
      if (!membership) return undefined;
      const tenant = await tenants.findTenant(tx, row.tenant_id);
      if (!tenant) return undefined;
      if (tenants.isSuspended(tenant, now)) {
        throw forbidden('This tenant is suspended.', 'tenant_suspended');
      }
      const { plan } = await this.billingManager.currentPlan(tx, row.tenant_id);
      if (!plan.limits.api_access) {
        throw forbidden(`The ${plan.code} plan does not include API access.`, 'api_access_disabled');
      }
      await keys.touchApiKey(tx, row.id, now);
      return { row, role: membership.role };
    });
    if (!found) throw invalidKey();
    const scopes = found.row.scopes.filter((s) => ROLE_SCOPES[found.role].includes(s));
    const ttl = Math.min(API_KEY_TOKEN_TTL_SECONDS, this.deps.config.accessTokenTtlSeconds);
    const token = await this.deps.issuer.issue(
      {
        userId: found.row.created_by,
        tenantId: found.row.tenant_id,
        role: found.role,
        scopes,
        apiKeyId: found.row.id,
      },
      ttl,
    );
    const principal: Principal = {
      kind: 'api_key',
      userId: found.row.created_by,
      tenantId: found.row.tenant_id,
      role: found.role,
      scopes,
      platformAdmin: false,
      apiKeyId: found.row.id,
    };
    return { access_token: token.token, expires_at: token.expiresAt.toISOString(), principal };
  }

  private async emitRevoked(
    tx: Parameters<Parameters<IdentityDeps['db']['asSystem']>[0]>[0],
    key: ApiKeyRow,
    reason: (typeof API_KEY_REVOKE_REASONS)[number],
    at: Date,
    userId?: string,
  ) {
    await this.deps.ctx.emit(
      tx,
      'identity.api_key.revoked.v1',
      { api_key_id: key.id, prefix: key.prefix, reason_code: reason, revoked_at: at.toISOString() },
      { tenantId: key.tenant_id, ...(userId ? { userId } : {}) },
    );
  }
}
