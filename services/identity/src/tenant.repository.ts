import type { TenantRole } from '@flatrender/contracts';
import type { Tx } from '@flatrender/platform';
import type { Selectable } from 'kysely';
import type { IdentityDb, InvitationTable, MembershipTable, TenantTable } from './identity.tables';

export type TenantRow = Selectable<TenantTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type InvitationRow = Selectable<InvitationTable>;
type T = Tx<IdentityDb>;

export function insertTenant(
  tx: T,
  tenant: Pick<TenantRow, 'id' | 'name' | 'slug' | 'kind' | 'locale' | 'created_by'>,
): Promise<TenantRow> {
  return tx.insertInto('tenants').values(tenant).returningAll().executeTakeFirstOrThrow();
}

export function findTenant(
  tx: T,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<TenantRow | undefined> {
  let q = tx.selectFrom('tenants').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function updateTenant(
  tx: T,
  id: string,
  changes: Partial<
    Pick<TenantRow, 'name' | 'suspended_at' | 'suspended_until' | 'suspension_reason' | 'suspension_note'>
  > & { balance?: number },
): Promise<TenantRow> {
  return tx.updateTable('tenants').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function isSuspended(
  tenant: Pick<TenantRow, 'suspended_at' | 'suspended_until'>,
  now = new Date(),
): boolean {
  return tenant.suspended_at !== null && (tenant.suspended_until === null || tenant.suspended_until > now);
}

export interface TenantListQuery {
  search?: string;
  suspended?: boolean;
  limit: number;
  after?: { createdAt: Date; id: string };
}

export function listTenants(tx: T, query: TenantListQuery): Promise<TenantRow[]> {
  let q = tx.selectFrom('tenants').selectAll();
  if (query.search) {
    const like = `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('slug', 'like', like), eb(eb.fn('lower', ['name']), 'like', like)]));
  }
  if (query.suspended !== undefined) q = q.where('suspended_at', query.suspended ? 'is not' : 'is', null);
  if (query.after) {
    const { createdAt, id } = query.after;
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

export function tenantsWithEndedSuspensions(tx: T, now: Date, limit: number): Promise<TenantRow[]> {
  return tx
    .selectFrom('tenants')
    .selectAll()
    .where('suspended_at', 'is not', null)
    .where('suspended_until', '<=', now)
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

// Memberships

export function insertMembership(tx: T, tenantId: string, userId: string, role: TenantRole): Promise<void> {
  return tx
    .insertInto('memberships')
    .values({ tenant_id: tenantId, user_id: userId, role })
    .execute()
    .then(() => undefined);
}

export function findMembership(tx: T, tenantId: string, userId: string): Promise<MembershipRow | undefined> {
  return tx
    .selectFrom('memberships')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The user's tenants with their role (system scope: spans tenants). */
export function tenantsOfUser(tx: T, userId: string) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('tenants as t', 't.id', 'm.tenant_id')
    .select([
      't.id',
      't.name',
      't.slug',
      't.kind',
      't.locale',
      't.suspended_at',
      't.suspended_until',
      'm.role',
    ])
    .where('m.user_id', '=', userId)
    .orderBy('t.kind', 'desc')
    .orderBy('t.created_at')
    .execute();
}

export function listMembers(tx: T, tenantId: string, limit: number, afterUserId?: string) {
  let q = tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.role', 'm.created_at', 'u.email', 'u.display_name'])
    .where('m.tenant_id', '=', tenantId);
  if (afterUserId) q = q.where('m.user_id', '>', afterUserId);
  return q.orderBy('m.user_id').limit(limit).execute();
}

export async function countMembers(tx: T, tenantId: string): Promise<number> {
  const row = await tx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setMemberRole(
  tx: T,
  tenantId: string,
  userId: string,
  role: TenantRole,
): Promise<void> {
  await tx
    .updateTable('memberships')
    .set({ role })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(tx: T, tenantId: string, userId: string): Promise<void> {
  await tx
    .deleteFrom('memberships')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
}

// Invitations

export function insertInvitation(
  tx: T,
  invitation: Pick<
    InvitationRow,
    'id' | 'tenant_id' | 'email' | 'role' | 'token_hash' | 'invited_by' | 'expires_at'
  >,
): Promise<InvitationRow> {
  return tx.insertInto('invitations').values(invitation).returningAll().executeTakeFirstOrThrow();
}

export function findInvitationByTokenHash(tx: T, tokenHash: string): Promise<InvitationRow | undefined> {
  return tx
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export function findInvitation(tx: T, id: string): Promise<InvitationRow | undefined> {
  return tx.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function openInvitations(
  tx: T,
  tenantId: string,
  limit: number,
  after?: { createdAt: Date; id: string },
) {
  let q = tx
    .selectFrom('invitations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function countOpenInvitations(tx: T, tenantId: string, now: Date): Promise<number> {
  const row = await tx
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function revokeOpenInvitation(tx: T, tenantId: string, email: string): Promise<void> {
  await tx
    .updateTable('invitations')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function updateInvitation(
  tx: T,
  id: string,
  changes: Partial<Pick<InvitationRow, 'accepted_at' | 'accepted_by' | 'revoked_at'>>,
): Promise<void> {
  await tx.updateTable('invitations').set(changes).where('id', '=', id).execute();
}
