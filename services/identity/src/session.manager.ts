import { randomUUID } from 'node:crypto';
import type { TenantRole } from '@flatrender/contracts';
import { forbidden, HttpError, notFound, ROLE_SCOPES, type Tx } from '@flatrender/platform';
import { hashSecret, newSecretToken } from './domain/secret-token';
import {
  DAY_MS,
  type IdentityDeps,
  type TenantView,
  tenantView,
  type UserView,
  userView,
} from './identity.deps';
import type { IdentityDb } from './identity.tables';
import * as sessions from './session.repository';
import type { TenantRow } from './tenant.repository';
import * as tenants from './tenant.repository';
import type { UserRow } from './user.repository';
import * as users from './user.repository';

type T = Tx<IdentityDb>;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  user: UserView;
  tenant: TenantView;
}

const invalidCredentials = () => new HttpError(401, 'invalid_credentials', 'The email or password is wrong.');
const invalidRefresh = () =>
  new HttpError(401, 'invalid_refresh_token', 'The refresh token is not valid; sign in again.');

type Rotation =
  | { ok: true; user: UserRow; tenant: TenantRow; role: TenantRole; familyId: string; refreshToken: string }
  | { ok: false; error: HttpError };

/**
 * Sign-in sessions: one refresh-token family per login. Refresh tokens rotate on every use, keep the
 * family's absolute expiry, and a used one presented again revokes the family (ASVS 10.4.5).
 */
export class SessionManager {
  constructor(private readonly deps: IdentityDeps) {}

  /**
   * Checks email and password with the same work and the same answer whether the account exists or
   * not; account state (banned, unverified) is told only to someone who knows the password.
   */
  async login(email: string, password: string, tenantId?: string): Promise<TokenResponse> {
    const user = await this.deps.db.asSystem((tx) => users.findUserByEmail(tx, email));
    const ok = await this.deps.hasher.verify(user?.password_hash, password);
    if (!user || !ok) throw invalidCredentials();
    if (users.isBanned(user)) throw forbidden('This account is banned.', 'account_banned');
    if (this.deps.config.requireEmailVerification && !user.email_verified_at) {
      throw forbidden('Verify your email address first; we have sent you a link.', 'email_not_verified');
    }
    const started = await this.deps.db.asSystem(async (tx) => {
      const { tenant, role } = await this.pickTenant(tx, user, tenantId);
      const familyId = randomUUID();
      const expiresAt = new Date(Date.now() + this.deps.config.refreshTokenTtlDays * DAY_MS);
      await sessions.insertFamily(tx, {
        id: familyId,
        user_id: user.id,
        current_tenant_id: tenant.id,
        expires_at: expiresAt,
      });
      const refreshToken = newSecretToken();
      await sessions.insertRefreshToken(tx, familyId, hashSecret(refreshToken));
      const updated = await users.updateUser(tx, user.id, {
        last_login_at: new Date(),
        last_tenant_id: tenant.id,
      });
      return { user: updated, tenant, role, familyId, refreshToken };
    });
    return this.respond(started);
  }

  /** Rotates a refresh token; with `tenantId`, the session moves to that tenant of the user. */
  async refresh(refreshToken: string, tenantId?: string, expectedUserId?: string): Promise<TokenResponse> {
    const rotation = await this.deps.db.asSystem((tx) =>
      this.rotate(tx, refreshToken, tenantId, expectedUserId),
    );
    if (!rotation.ok) throw rotation.error;
    return this.respond(rotation);
  }

  /** Ends the session of the refresh token and/or of the caller's access token; unknown ones are ignored. */
  async logout(refreshToken: string | undefined, sessionId: string | undefined): Promise<void> {
    await this.deps.db.asSystem(async (tx) => {
      if (refreshToken) {
        const row = await sessions.findRefreshToken(tx, hashSecret(refreshToken));
        if (row) await sessions.revokeFamily(tx, row.family_id, 'logout');
      }
      if (sessionId) await sessions.revokeFamily(tx, sessionId, 'logout');
    });
  }

  private async rotate(
    tx: T,
    refreshToken: string,
    tenantId?: string,
    expectedUserId?: string,
  ): Promise<Rotation> {
    const row = await sessions.findRefreshToken(tx, hashSecret(refreshToken));
    const now = new Date();
    // A signed-in caller may only move its own session.
    if (!row || (expectedUserId && row.user_id !== expectedUserId))
      return { ok: false, error: invalidRefresh() };
    if (row.revoked_at) {
      return {
        ok: false,
        error: new HttpError(401, 'session_revoked', 'This session has ended; sign in again.'),
      };
    }
    if (row.used_at) {
      // Someone holds a copy of a rotated token: end the whole session for both holders.
      await sessions.revokeFamily(tx, row.family_id, 'reuse_detected');
      this.deps.ctx.logger.warn(
        { family_id: row.family_id, user_id: row.user_id },
        'refresh token reuse; session revoked',
      );
      return {
        ok: false,
        error: new HttpError(
          401,
          'refresh_token_reused',
          'This refresh token was used already; the session has ended.',
        ),
      };
    }
    if (row.expires_at <= now) {
      return {
        ok: false,
        error: new HttpError(401, 'session_expired', 'This session has expired; sign in again.'),
      };
    }
    const user = await users.findUser(tx, row.user_id);
    if (!user || users.isBanned(user)) {
      await sessions.revokeFamily(tx, row.family_id, 'banned');
      return { ok: false, error: new HttpError(401, 'account_banned', 'This account is banned.') };
    }
    let target: { tenant: TenantRow; role: TenantRole };
    if (tenantId) {
      const membership = await tenants.findMembership(tx, tenantId, user.id);
      const tenant = membership ? await tenants.findTenant(tx, tenantId) : undefined;
      if (!membership || !tenant) throw notFound('Tenant');
      target = { tenant, role: membership.role };
    } else {
      // The member may have left or been removed since: fall back to the personal tenant.
      target = await this.pickTenant(tx, user, row.current_tenant_id);
    }
    await sessions.markRefreshTokenUsed(tx, row.token_hash, now);
    const next = newSecretToken();
    await sessions.insertRefreshToken(tx, row.family_id, hashSecret(next));
    if (target.tenant.id !== row.current_tenant_id)
      await sessions.setFamilyTenant(tx, row.family_id, target.tenant.id);
    const updated = tenantId
      ? await users.updateUser(tx, user.id, { last_tenant_id: target.tenant.id })
      : user;
    return { ok: true, user: updated, ...target, familyId: row.family_id, refreshToken: next };
  }

  /** The requested tenant if the user is a member, else the last one used, else the personal one. */
  private async pickTenant(
    tx: T,
    user: UserRow,
    requested?: string | null,
  ): Promise<{ tenant: TenantRow; role: TenantRole }> {
    for (const id of [requested, user.last_tenant_id, user.personal_tenant_id]) {
      if (!id) continue;
      const membership = await tenants.findMembership(tx, id, user.id);
      const tenant = membership ? await tenants.findTenant(tx, id) : undefined;
      if (membership && tenant) return { tenant, role: membership.role };
    }
    const [first] = await tenants.tenantsOfUser(tx, user.id);
    const tenant = first ? await tenants.findTenant(tx, first.id) : undefined;
    if (!first || !tenant) throw new HttpError(409, 'no_tenant', 'This account belongs to no tenant.');
    return { tenant, role: first.role };
  }

  private async respond(session: {
    user: UserRow;
    tenant: TenantRow;
    role: TenantRole;
    familyId: string;
    refreshToken: string;
  }): Promise<TokenResponse> {
    const access = await this.deps.issuer.issue(
      {
        userId: session.user.id,
        tenantId: session.tenant.id,
        role: session.role,
        scopes: ROLE_SCOPES[session.role],
        platformAdmin: session.user.platform_admin,
        sessionId: session.familyId,
        locale: session.user.locale,
      },
      this.deps.config.accessTokenTtlSeconds,
    );
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      refresh_token: session.refreshToken,
      user: userView(session.user),
      tenant: tenantView(session.tenant, session.role),
    };
  }
}
