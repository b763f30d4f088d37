import type { Tx } from '@flatrender/platform';
import type { Selectable } from 'kysely';
import type {
  EmailTokenPurpose,
  EmailTokenTable,
  IdentityDb,
  RefreshTokenTable,
  SessionFamilyTable,
} from './identity.tables';

export type SessionFamilyRow = Selectable<SessionFamilyTable>;
export type RefreshTokenRow = Selectable<RefreshTokenTable>;
export type EmailTokenRow = Selectable<EmailTokenTable>;
type T = Tx<IdentityDb>;

export async function insertFamily(
  tx: T,
  family: Pick<SessionFamilyRow, 'id' | 'user_id' | 'current_tenant_id' | 'expires_at'>,
): Promise<void> {
  await tx.insertInto('session_families').values(family).execute();
}

export async function insertRefreshToken(tx: T, familyId: string, tokenHash: string): Promise<void> {
  await tx.insertInto('refresh_tokens').values({ family_id: familyId, token_hash: tokenHash }).execute();
}

/** The token and its family, locked: concurrent refreshes of one token are serialised here. */
export function findRefreshToken(tx: T, tokenHash: string) {
  return tx
    .selectFrom('refresh_tokens as r')
    .innerJoin('session_families as f', 'f.id', 'r.family_id')
    .select([
      'r.token_hash',
      'r.used_at',
      'f.id as family_id',
      'f.user_id',
      'f.current_tenant_id',
      'f.expires_at',
      'f.revoked_at',
    ])
    .where('r.token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRefreshTokenUsed(tx: T, tokenHash: string, at: Date): Promise<void> {
  await tx.updateTable('refresh_tokens').set({ used_at: at }).where('token_hash', '=', tokenHash).execute();
}

export async function setFamilyTenant(tx: T, familyId: string, tenantId: string): Promise<void> {
  await tx
    .updateTable('session_families')
    .set({ current_tenant_id: tenantId })
    .where('id', '=', familyId)
    .execute();
}

export async function revokeFamily(tx: T, familyId: string, reason: string): Promise<void> {
  await tx
    .updateTable('session_families')
    .set({ revoked_at: new Date(), revoke_reason: reason })
    .where('id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every live session of a user (ban, password reset), optionally keeping one. */
export async function revokeUserFamilies(
  tx: T,
  userId: string,
  reason: string,
  keep?: string,
): Promise<number> {
  let q = tx
    .updateTable('session_families')
    .set({ revoked_at: new Date(), revoke_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep) q = q.where('id', '!=', keep);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteExpiredFamilies(tx: T, before: Date): Promise<number> {
  const result = await tx.deleteFrom('session_families').where('expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Email tokens

export async function insertEmailToken(
  tx: T,
  token: Pick<EmailTokenRow, 'id' | 'user_id' | 'purpose' | 'token_hash' | 'expires_at'>,
): Promise<void> {
  await tx.insertInto('email_tokens').values(token).execute();
}

export function findEmailToken(tx: T, tokenHash: string, purpose: EmailTokenPurpose) {
  return tx
    .selectFrom('email_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .forUpdate()
    .executeTakeFirst();
}

/** Spends every open token of the purpose: only the newest link may work. */
export async function useEmailTokens(tx: T, userId: string, purpose: EmailTokenPurpose): Promise<void> {
  await tx
    .updateTable('email_tokens')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

export async function deleteExpiredEmailTokens(tx: T, before: Date): Promise<number> {
  const result = await tx.deleteFrom('email_tokens').where('expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
