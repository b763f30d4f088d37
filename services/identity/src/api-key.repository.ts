import type { Tx } from '@flatrender/platform';
import type { Selectable } from 'kysely';
import type { ApiKeyTable, IdentityDb } from './identity.tables';

export type ApiKeyRow = Selectable<ApiKeyTable>;
type T = Tx<IdentityDb>;

export function insertApiKey(
  tx: T,
  key: Omit<ApiKeyRow, 'last_used_at' | 'revoked_at' | 'revoke_reason' | 'created_at' | 'scopes'> & {
    scopes: string;
  },
): Promise<ApiKeyRow> {
  return tx.insertInto('api_keys').values(key).returningAll().executeTakeFirstOrThrow();
}

export function findApiKeyByPrefix(tx: T, prefix: string): Promise<ApiKeyRow | undefined> {
  return tx.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
}

export function findApiKey(
  tx: T,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ApiKeyRow | undefined> {
  let q = tx.selectFrom('api_keys').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function listApiKeys(tx: T, tenantId: string, limit: number, after?: { createdAt: Date; id: string }) {
  let q = tx.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId);
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

export async function revokeApiKey(tx: T, id: string, reason: string, at: Date): Promise<void> {
  await tx
    .updateTable('api_keys')
    .set({ revoked_at: at, revoke_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function touchApiKey(tx: T, id: string, at: Date): Promise<void> {
  await tx.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}

export function expiredApiKeys(tx: T, now: Date, limit: number): Promise<ApiKeyRow[]> {
  return tx
    .selectFrom('api_keys')
    .selectAll()
    .where('revoked_at', 'is', null)
    .where('expires_at', '<=', now)
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}
