import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import type { Tx } from '@flatrender/platform';
import { type Insertable, type Selectable, sql } from 'kysely';
import type { ContentTables, FontFaceTable } from './content.tables';

/*
 * SQL of font faces. In a tenant scope row-level security shows the platform's faces and the tenant's
 * own; the system scope (admin, seed) sees every face.
 */

export type FontRow = Selectable<FontFaceTable>;
type T = Tx<ContentTables>;

export function insertFont(tx: T, row: Insertable<FontFaceTable>): Promise<FontRow> {
  return tx.insertInto('font_face').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findFont(tx: T, id: string): Promise<FontRow | undefined> {
  return tx.selectFrom('font_face').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findFace(
  tx: T,
  face: { tenant_id: string; family: string; weight: number; style: FontRow['style'] },
): Promise<FontRow | undefined> {
  return tx
    .selectFrom('font_face')
    .selectAll()
    .where('tenant_id', '=', face.tenant_id)
    .where(sql<boolean>`lower(family) = lower(${face.family})`)
    .where('weight', '=', face.weight)
    .where('style', '=', face.style)
    .executeTakeFirst();
}

/**
 * Whether a family (case-insensitively, as browsers match) belongs to another owner than `tenantId`
 * among the rows this scope sees: a tenant may not take a platform family, nor the platform a family
 * some tenant uses, since engine aliases ("Family 700") are one name space on every render node.
 */
export async function familyTakenByOther(tx: T, family: string, tenantId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('font_face')
    .select('id')
    .where(sql<boolean>`lower(family) = lower(${family})`)
    .where('tenant_id', '<>', tenantId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function listFonts(tx: T, filter: { visibility?: 'platform' | 'tenant' } = {}): Promise<FontRow[]> {
  let q = tx.selectFrom('font_face').selectAll();
  if (filter.visibility === 'platform') q = q.where('tenant_id', '=', PLATFORM_TENANT_ID);
  if (filter.visibility === 'tenant') q = q.where('tenant_id', '<>', PLATFORM_TENANT_ID);
  return q.orderBy('family').orderBy('weight').orderBy('style').orderBy('id').execute();
}

/**
 * The upright faces of the given family+weight pairs that a template owned by this scope's tenant may
 * use (its own first, then the platform's). In the system scope pass `ownerTenantId` to limit it to
 * what that owner sees.
 */
export async function facesFor(
  tx: T,
  faces: readonly { family: string; weight: number }[],
  ownerTenantId: string,
): Promise<FontRow[]> {
  if (faces.length === 0) return [];
  return tx
    .selectFrom('font_face')
    .selectAll()
    .where('style', '=', 'normal')
    .where('tenant_id', 'in', [...new Set([ownerTenantId, PLATFORM_TENANT_ID])])
    .where((eb) =>
      eb.or(faces.map((f) => eb.and([eb('family', '=', f.family), eb('weight', '=', f.weight)]))),
    )
    .orderBy(sql`tenant_id = ${PLATFORM_TENANT_ID}::uuid`)
    .execute();
}

export function fontsByHash(tx: T, hashes: readonly string[]): Promise<FontRow[]> {
  if (hashes.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('font_face')
    .selectAll()
    .where('content_hash', 'in', [...hashes])
    .execute();
}
