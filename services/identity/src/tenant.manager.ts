import { randomUUID } from 'node:crypto';
import type { Locale, TENANT_SUSPENSION_REASONS } from '@flatrender/contracts';
import {
  conflict,
  forbidden,
  HttpError,
  notFound,
  type Principal,
  roleAtLeast,
  type Tx,
} from '@flatrender/platform';
import type { BillingManager } from './billing.manager';
import * as billing from './billing.repository';
import { hashSecret, newSecretToken } from './domain/secret-token';
import { tenantSlug } from './domain/slug';
import { DAY_MS, type IdentityDeps, type TenantView, tenantView } from './identity.deps';
import type { IdentityDb, InvitableRole, TenantKind } from './identity.tables';
import type { InvitationRow, TenantRow } from './tenant.repository';
import * as tenants from './tenant.repository';
import type { UserRow } from './user.repository';
import * as users from './user.repository';

type T = Tx<IdentityDb>;

export interface InvitationView {
  id: string;
  email: string;
  role: InvitableRole;
  invited_by: string;
  expires_at: string;
  created_at: string;
}

export function invitationView(i: InvitationRow): InvitationView {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    invited_by: i.invited_by,
    expires_at: i.expires_at.toISOString(),
    created_at: i.created_at.toISOString(),
  };
}

/** Tenants, their members and invitations, and suspension. */
export class TenantManager {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly billingManager: BillingManager,
  ) {}

  /** Creates a tenant owned by `owner`, on the free plan, announcing both (inside the caller's transaction). */
  async createTenant(
    tx: T,
    owner: Pick<UserRow, 'id' | 'email'>,
    input: { name: string; kind: TenantKind; locale: Locale },
  ): Promise<TenantRow> {
    const tenant = await tenants.insertTenant(tx, {
      id: randomUUID(),
      name: input.name,
      slug: tenantSlug(input.name, input.kind === 'personal' ? slugWord(owner.email) : 'team'),
      kind: input.kind,
      locale: input.locale,
      created_by: owner.id,
    });
    await tenants.insertMembership(tx, tenant.id, owner.id, 'owner');
    await this.deps.ctx.emit(
      tx,
      'identity.tenant.created.v1',
      {
        tenant_id: tenant.id,
        name: tenant.name,
        slug: tenant.slug,
        kind: tenant.kind,
        owner_user_id: owner.id,
        locale: tenant.locale,
        created_at: tenant.created_at.toISOString(),
      },
      { tenantId: tenant.id, userId: owner.id },
    );
    await this.billingManager.startFreePlan(tx, tenant.id, owner.id);
    return tenant;
  }

  async createTeam(principal: Principal, name: string, locale?: Locale): Promise<TenantView> {
    return this.deps.db.asSystem(async (tx) => {
      const user = await users.findUser(tx, principal.userId);
      if (!user) throw notFound('User');
      const tenant = await this.createTenant(tx, user, {
        name,
        kind: 'organization',
        locale: locale ?? user.locale,
      });
      return tenantView(tenant, 'owner');
    });
  }

  async listMine(userId: string, currentTenantId: string) {
    const rows = await this.deps.db.asSystem((tx) => tenants.tenantsOfUser(tx, userId));
    return rows.map((row) => ({ ...tenantView(row, row.role), current: row.id === currentTenantId }));
  }

  /** The caller's current tenant with its plan, balance and this month's usage. */
  async details(principal: Principal, tenantId: string) {
    this.assertCurrent(principal, tenantId);
    return this.deps.db.withTenant(tenantId, async (tx) => {
      const tenant = await tenants.findTenant(tx, tenantId);
      if (!tenant) throw notFound('Tenant');
      const { subscription, plan } = await this.billingManager.currentPlan(tx, tenantId);
      const period = new Date().toISOString().slice(0, 7);
      const usage = await billing.usageOfPeriod(tx, tenantId, period);
      return {
        ...tenantView(tenant, principal.role),
        locale: tenant.locale,
        balance: Number(tenant.balance),
        currency: 'IRR' as const,
        plan: {
          code: plan.code,
          name: plan.name,
          limits: plan.limits,
          subscription_id: subscription.id,
          starts_at: subscription.starts_at.toISOString(),
          expires_at: subscription.expires_at?.toISOString() ?? null,
        },
        usage: { period, totals: Object.fromEntries(usage.map((u) => [u.metric, Number(u.total)])) },
        created_at: tenant.created_at.toISOString(),
      };
    });
  }

  async rename(principal: Principal, tenantId: string, name: string): Promise<TenantView> {
    this.assertCurrent(principal, tenantId);
    return this.deps.db.withTenant(tenantId, async (tx) => {
      const tenant = await tenants.updateTenant(tx, tenantId, { name });
      return tenantView(tenant, principal.role);
    });
  }

  // Members

  async listMembers(principal: Principal, tenantId: string, limit: number, after?: string) {
    this.assertCurrent(principal, tenantId);
    const rows = await this.deps.db.withTenant(tenantId, (tx) =>
      tenants.listMembers(tx, tenantId, limit + 1, after),
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((m) => ({
        user_id: m.user_id,
        email: m.email,
        display_name: m.display_name,
        role: m.role,
        joined_at: m.created_at.toISOString(),
      })),
      next_cursor: rows.length > limit ? (page.at(-1)?.user_id ?? null) : null,
    };
  }

  /**
   * Owners set any role but owner; admins manage editors and viewers only. The owner's own role is
   * never changed here (one owner per tenant).
   */
  async changeRole(principal: Principal, tenantId: string, userId: string, role: InvitableRole) {
    this.assertCurrent(principal, tenantId);
    return this.deps.db.withTenant(tenantId, async (tx) => {
      const member = await tenants.findMembership(tx, tenantId, userId);
      if (!member) throw notFound('Member');
      if (member.role === 'owner') throw forbidden("The owner's role cannot be changed.", 'owner_immutable');
      if (principal.role !== 'owner' && (member.role === 'admin' || role === 'admin')) {
        throw forbidden('Only the owner grants or withdraws the admin role.', 'insufficient_role');
      }
      await tenants.setMemberRole(tx, tenantId, userId, role);
      return { user_id: userId, role };
    });
  }

  async removeMember(principal: Principal, tenantId: string, userId: string): Promise<void> {
    this.assertCurrent(principal, tenantId);
    const self = userId === principal.userId;
    if (!self && !roleAtLeast(principal.role, 'admin')) {
      throw forbidden('This needs the admin role or higher in this team.', 'insufficient_role');
    }
    await this.deps.db.withTenant(tenantId, async (tx) => {
      const member = await tenants.findMembership(tx, tenantId, userId);
      if (!member) throw notFound('Member');
      if (member.role === 'owner')
        throw forbidden('The owner cannot leave or be removed.', 'owner_immutable');
      if (!self && member.role === 'admin' && principal.role !== 'owner') {
        throw forbidden('Only the owner removes an admin.', 'insufficient_role');
      }
      await tenants.deleteMembership(tx, tenantId, userId);
    });
  }

  // Invitations

  async invite(
    principal: Principal,
    tenantId: string,
    email: string,
    role: InvitableRole,
  ): Promise<InvitationView> {
    this.assertCurrent(principal, tenantId);
    if (role === 'admin' && principal.role !== 'owner') {
      throw forbidden('Only the owner invites admins.', 'insufficient_role');
    }
    const normalized = email.toLowerCase();
    const { config, ctx } = this.deps;
    const invitation = await this.deps.db.withTenant(tenantId, async (tx) => {
      const tenant = await tenants.findTenant(tx, tenantId, { forUpdate: true });
      if (!tenant) throw notFound('Tenant');
      if (tenant.kind === 'personal') {
        throw conflict(
          'personal_tenant',
          'A personal workspace has one member; create a team to invite people.',
        );
      }
      const invitee = await users.findUserByEmail(tx, normalized);
      if (invitee && (await tenants.findMembership(tx, tenantId, invitee.id))) {
        throw conflict('already_member', 'body field "email": this person is a member already.');
      }
      await tenants.revokeOpenInvitation(tx, tenantId, normalized);
      await this.assertSeat(tx, tenantId, 1);
      const inviter = await users.findUser(tx, principal.userId);
      const token = newSecretToken();
      const row = await tenants.insertInvitation(tx, {
        id: randomUUID(),
        tenant_id: tenantId,
        email: normalized,
        role,
        token_hash: hashSecret(token),
        invited_by: principal.userId,
        expires_at: new Date(Date.now() + config.invitationTtlDays * DAY_MS),
      });
      await ctx.emit(
        tx,
        'notify.channel.email',
        {
          source: 'transactional',
          idempotency_key: `team.invitation:${row.id}:email`,
          locale: invitee?.locale ?? tenant.locale,
          channel: 'email',
          recipient: { email: normalized, name: invitee?.display_name ?? null },
          recipient_user_id: invitee?.id ?? null,
          template: {
            kind: 'team.invitation',
            params: {
              invitation_id: row.id,
              token,
              expires_at: row.expires_at.toISOString(),
              tenant_name: tenant.name,
              inviter_name: inviter?.display_name ?? 'FlatRender',
              role,
            },
          },
        },
        { tenantId, userId: principal.userId },
      );
      return row;
    });
    return invitationView(invitation);
  }

  async listInvitations(
    principal: Principal,
    tenantId: string,
    limit: number,
    after?: { createdAt: Date; id: string },
  ) {
    this.assertCurrent(principal, tenantId);
    const rows = await this.deps.db.withTenant(tenantId, (tx) =>
      tenants.openInvitations(tx, tenantId, limit + 1, after),
    );
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  async revokeInvitation(principal: Principal, tenantId: string, invitationId: string): Promise<void> {
    this.assertCurrent(principal, tenantId);
    await this.deps.db.withTenant(tenantId, async (tx) => {
      const invitation = await tenants.findInvitation(tx, invitationId);
      if (!invitation || invitation.accepted_at || invitation.revoked_at) throw notFound('Invitation');
      await tenants.updateInvitation(tx, invitationId, { revoked_at: new Date() });
    });
  }

  /**
   * Joins the invited tenant. The invitation names an email address: only the user with that address
   * accepts it, and accepting proves the address (the link arrived there).
   */
  async accept(principal: Principal, token: string): Promise<TenantView> {
    return this.deps.db.asSystem(async (tx) => {
      const invitation = await tenants.findInvitationByTokenHash(tx, hashSecret(token));
      const now = new Date();
      if (!invitation || invitation.revoked_at || invitation.expires_at <= now) {
        throw new HttpError(
          404,
          'invitation_not_found',
          'This invitation does not exist or is no longer valid.',
        );
      }
      const user = await users.findUser(tx, principal.userId, { forUpdate: true });
      if (!user) throw notFound('User');
      if (user.email !== invitation.email) {
        throw forbidden('This invitation was sent to another email address.', 'invitation_email_mismatch');
      }
      const tenant = await tenants.findTenant(tx, invitation.tenant_id);
      if (!tenant) throw notFound('Tenant');
      const existing = await tenants.findMembership(tx, tenant.id, user.id);
      if (existing) return tenantView(tenant, existing.role);
      if (invitation.accepted_at) {
        throw new HttpError(
          404,
          'invitation_not_found',
          'This invitation does not exist or is no longer valid.',
        );
      }
      await this.assertSeat(tx, tenant.id, 0);
      await tenants.insertMembership(tx, tenant.id, user.id, invitation.role);
      await tenants.updateInvitation(tx, invitation.id, { accepted_at: now, accepted_by: user.id });
      if (!user.email_verified_at) {
        await users.updateUser(tx, user.id, { email_verified_at: now });
        await this.deps.ctx.emit(
          tx,
          'identity.user.email_verified.v1',
          { user_id: user.id, email: user.email, verified_at: now.toISOString() },
          { tenantId: tenant.id, userId: user.id },
        );
      }
      return tenantView(tenant, invitation.role);
    });
  }

  // Suspension (platform admins)

  async suspend(
    adminId: string,
    tenantId: string,
    input: { reasonCode: (typeof TENANT_SUSPENSION_REASONS)[number]; note?: string; until?: Date },
  ): Promise<void> {
    await this.deps.db.asSystem(async (tx) => {
      const tenant = await tenants.findTenant(tx, tenantId, { forUpdate: true });
      if (!tenant) throw notFound('Tenant');
      const now = new Date();
      await tenants.updateTenant(tx, tenantId, {
        suspended_at: now,
        suspended_until: input.until ?? null,
        suspension_reason: input.reasonCode,
        suspension_note: input.note ?? null,
      });
      await this.deps.ctx.emit(
        tx,
        'identity.tenant.suspended.v1',
        {
          tenant_id: tenantId,
          reason_code: input.reasonCode,
          ...(input.note ? { note: input.note } : {}),
          suspended_until: input.until?.toISOString() ?? null,
          suspended_at: now.toISOString(),
        },
        { tenantId, userId: adminId },
      );
    });
  }

  async unsuspend(tenantId: string): Promise<void> {
    await this.deps.db.asSystem(async (tx) => {
      const tenant = await tenants.findTenant(tx, tenantId, { forUpdate: true });
      if (!tenant) throw notFound('Tenant');
      await tenants.updateTenant(tx, tenantId, {
        suspended_at: null,
        suspended_until: null,
        suspension_reason: null,
        suspension_note: null,
      });
    });
  }

  async liftEndedSuspensions(now = new Date()): Promise<number> {
    return this.deps.db.asSystem(async (tx) => {
      const ended = await tenants.tenantsWithEndedSuspensions(tx, now, 100);
      for (const tenant of ended) {
        await tenants.updateTenant(tx, tenant.id, {
          suspended_at: null,
          suspended_until: null,
          suspension_reason: null,
          suspension_note: null,
        });
      }
      return ended.length;
    });
  }

  /** Another tenant's id answers 404 (not 403): its existence is not the caller's business. */
  assertCurrent(principal: Principal, tenantId: string): void {
    if (principal.tenantId !== tenantId.toLowerCase()) throw notFound('Tenant');
  }

  /** Members plus open invitations (plus `adding`) must fit the plan's team seats. */
  private async assertSeat(tx: T, tenantId: string, adding: number): Promise<void> {
    const { plan } = await this.billingManager.currentPlan(tx, tenantId);
    const taken =
      (await tenants.countMembers(tx, tenantId)) +
      (await tenants.countOpenInvitations(tx, tenantId, new Date()));
    if (taken + adding > plan.limits.team_seats) {
      throw conflict(
        'seat_limit_reached',
        `The ${plan.code} plan allows ${plan.limits.team_seats} members including open invitations.`,
      );
    }
  }
}

function slugWord(email: string): string {
  return (
    email
      .split('@')[0]
      ?.toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 20)
      .replace(/^-+|-+$/g, '') || 'user'
  );
}
