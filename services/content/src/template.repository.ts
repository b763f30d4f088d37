import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import type { Tx } from '@flatrender/platform';
import { type Insertable, type Selectable, sql } from 'kysely';
import type {
  ContentTables,
  TemplatePreviewTable,
  TemplateTable,
  TemplateVersionTable,
} from './content.tables';
import { containsPattern } from './domain/search-text';

/*
 * SQL of templates, versions and previews. Every function runs inside a scoped transaction: in a
 * tenant scope row-level security shows the tenant's rows plus the published platform catalogue and
 * lets it write only its own; the system scope (admin, seed, preview worker) sees everything.
 */

export type TemplateRow = Selectable<TemplateTable>;
export type VersionRow = Selectable<TemplateVersionTable>;
export type PreviewRow = Selectable<TemplatePreviewTable>;
type T = Tx<ContentTables>;

export function insertTemplate(
  tx: T,
  row: { tenant_id: string; slug: string; draft: Record<string, unknown>; created_by: string },
): Promise<TemplateRow> {
  return tx
    .insertInto('template')
    .values({ ...row, draft: JSON.stringify(row.draft) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findTemplate(
  tx: T,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<TemplateRow | undefined> {
  let q = tx.selectFrom('template').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function findTemplateBySlug(tx: T, tenantId: string, slug: string): Promise<TemplateRow | undefined> {
  return tx
    .selectFrom('template')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** Updates the working copy; returns false when no row was writable (RLS or absent). */
export async function updateDraft(tx: T, id: string, draft: Record<string, unknown>): Promise<boolean> {
  const result = await tx
    .updateTable('template')
    .set({ draft: JSON.stringify(draft), draft_updated_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteTemplate(tx: T, id: string): Promise<void> {
  await tx.deleteFrom('template').where('id', '=', id).execute();
}

export async function setCurrentVersion(tx: T, id: string, version: number | null): Promise<void> {
  await tx
    .updateTable('template')
    .set({
      current_version: version,
      status: version === null ? 'unpublished' : 'published',
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export function insertVersion(tx: T, row: Insertable<TemplateVersionTable>): Promise<VersionRow> {
  return tx.insertInto('template_version').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findVersion(tx: T, templateId: string, version: number): Promise<VersionRow | undefined> {
  return tx
    .selectFrom('template_version')
    .selectAll()
    .where('template_id', '=', templateId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function listVersions(tx: T, templateId: string): Promise<VersionRow[]> {
  return tx
    .selectFrom('template_version')
    .selectAll()
    .where('template_id', '=', templateId)
    .orderBy('version', 'desc')
    .execute();
}

/** The highest version number ever published (withdrawn ones included): versions only grow. */
export async function highestVersion(tx: T, templateId: string): Promise<VersionRow | undefined> {
  return tx
    .selectFrom('template_version')
    .selectAll()
    .where('template_id', '=', templateId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Marks versions withdrawn; returns the ones that were still live. */
export async function withdrawVersions(
  tx: T,
  templateId: string,
  versions: readonly number[],
): Promise<number[]> {
  if (versions.length === 0) return [];
  const rows = await tx
    .updateTable('template_version')
    .set({ withdrawn_at: new Date() })
    .where('template_id', '=', templateId)
    .where('version', 'in', [...versions])
    .where('withdrawn_at', 'is', null)
    .returning('version')
    .execute();
  return rows.map((r) => r.version).sort((a, b) => a - b);
}

export async function liveVersions(tx: T, templateId: string): Promise<number[]> {
  const rows = await tx
    .selectFrom('template_version')
    .select('version')
    .where('template_id', '=', templateId)
    .where('withdrawn_at', 'is', null)
    .orderBy('version', 'asc')
    .execute();
  return rows.map((r) => r.version);
}

export const CATALOGUE_SORTS = ['newest', 'oldest', 'title', 'duration'] as const;
export type CatalogueSort = (typeof CATALOGUE_SORTS)[number];

export interface CatalogueFilter {
  visibility?: 'public' | 'tenant';
  /** Include drafts and unpublished templates (admin and own listings); the catalogue shows published only. */
  anyStatus?: boolean;
  category?: string;
  tag?: string;
  aspect?: string;
  mode?: 'fixed' | 'flexible';
  /** Normalised words, each of which must occur in the search text. */
  terms?: readonly string[];
  sort: CatalogueSort;
  locale: 'fa' | 'en';
  limit: number;
  offset: number;
}

export type CatalogueRow = TemplateRow & {
  version: VersionRow | null;
};

/**
 * A page of templates with their current version, in a stable order (the sort key, then the id).
 * Published templates only unless `anyStatus`; then drafts come without a version.
 */
export async function listCatalogue(
  tx: T,
  filter: CatalogueFilter,
): Promise<{ rows: CatalogueRow[]; total: number }> {
  let q = tx
    .selectFrom('template as t')
    .leftJoin('template_version as v', (join) =>
      join.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
    )
    .selectAll('t')
    .select(
      sql<VersionRow | null>`case when v.template_id is null then null else to_jsonb(v) end`.as(
        'version_json',
      ),
    )
    .select(sql<number>`count(*) over ()`.as('total'));
  if (!filter.anyStatus) q = q.where('t.status', '=', 'published');
  if (filter.visibility === 'public') q = q.where('t.tenant_id', '=', PLATFORM_TENANT_ID);
  if (filter.visibility === 'tenant') q = q.where('t.tenant_id', '<>', PLATFORM_TENANT_ID);
  if (filter.category) q = q.where('v.category', '=', filter.category);
  if (filter.tag) q = q.where(sql<boolean>`${filter.tag} = any(v.tags)`);
  if (filter.aspect) q = q.where(sql<boolean>`${filter.aspect} = any(v.aspects)`);
  if (filter.mode) q = q.where('v.mode', '=', filter.mode);
  for (const term of filter.terms ?? [])
    q = q.where(sql<boolean>`v.search_text like ${containsPattern(term)}`);

  const title = filter.locale === 'en' ? sql`v.title_en` : sql`v.title_fa`;
  switch (filter.sort) {
    case 'newest':
      q = q.orderBy(sql`coalesce(v.published_at, t.created_at)`, 'desc');
      break;
    case 'oldest':
      q = q.orderBy(sql`coalesce(v.published_at, t.created_at)`, 'asc');
      break;
    case 'title':
      q = q.orderBy(sql`coalesce(${title}, t.slug)`, 'asc');
      break;
    case 'duration':
      q = q.orderBy(sql`v.duration_seconds`, sql`asc nulls last`);
      break;
  }
  const rows = await q.orderBy('t.id', 'asc').limit(filter.limit).offset(filter.offset).execute();
  let total = rows[0] ? Number(rows[0].total) : 0;
  // Past the last page the window count has no row to ride on.
  if (rows.length === 0 && filter.offset > 0) {
    const first = await q.orderBy('t.id', 'asc').limit(1).execute();
    total = first[0] ? Number(first[0].total) : 0;
  }
  return {
    total,
    rows: rows.map(({ version_json, total: _total, ...template }) => ({
      ...(template as TemplateRow),
      version: version_json ? versionFromJson(version_json as unknown as Record<string, unknown>) : null,
    })),
  };
}

/** A version row read back through to_jsonb: timestamps are ISO strings there. */
function versionFromJson(json: Record<string, unknown>): VersionRow {
  return {
    ...(json as unknown as VersionRow),
    published_at: new Date(json.published_at as string),
    withdrawn_at: json.withdrawn_at ? new Date(json.withdrawn_at as string) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Previews

export async function insertPendingPreviews(
  tx: T,
  key: { template_id: string; version: number; tenant_id: string },
  aspects: readonly string[],
): Promise<void> {
  await tx
    .insertInto('template_preview')
    .values(aspects.map((aspect) => ({ ...key, aspect })))
    .execute();
}

export function previewsOf(
  tx: T,
  keys: readonly { template_id: string; version: number }[],
): Promise<PreviewRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('template_preview')
    .selectAll()
    .where((eb) =>
      eb.or(keys.map((k) => eb.and([eb('template_id', '=', k.template_id), eb('version', '=', k.version)]))),
    )
    .orderBy('aspect')
    .execute();
}

/**
 * Claims the oldest pending still preview for `leaseSeconds` (another worker skips it meanwhile; an
 * expired claim, after a crash, is taken again). Short transaction: drawing happens outside it.
 */
export async function claimPendingStill(tx: T, leaseSeconds: number): Promise<PreviewRow | undefined> {
  const candidate = await tx
    .selectFrom('template_preview')
    .select(['template_id', 'version', 'aspect'])
    .where('still_status', '=', 'pending')
    .where((eb) =>
      eb.or([eb('still_claimed_until', 'is', null), eb('still_claimed_until', '<', sql<Date>`now()`)]),
    )
    .orderBy('created_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!candidate) return undefined;
  return tx
    .updateTable('template_preview')
    .set({
      still_claimed_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      still_attempts: sql<number>`still_attempts + 1`,
      updated_at: new Date(),
    })
    .where('template_id', '=', candidate.template_id)
    .where('version', '=', candidate.version)
    .where('aspect', '=', candidate.aspect)
    .returningAll()
    .executeTakeFirst();
}

export interface StillResultRow {
  width: number;
  height: number;
  svg_key: string;
  svg_hash: string;
  svg_size: number;
  thumb_key: string;
  thumb_hash: string;
  thumb_size: number;
  thumb_mime: string;
  thumb_width: number;
  thumb_height: number;
}

export async function completeStill(
  tx: T,
  key: { template_id: string; version: number; aspect: string },
  result: StillResultRow,
): Promise<void> {
  await tx
    .updateTable('template_preview')
    .set({
      ...result,
      still_status: 'ready',
      still_claimed_until: null,
      still_error: null,
      updated_at: new Date(),
    })
    .where('template_id', '=', key.template_id)
    .where('version', '=', key.version)
    .where('aspect', '=', key.aspect)
    .execute();
}

/** Records a failed attempt: retried after `retryInSeconds`, or failed for good when `final`. */
export async function failStill(
  tx: T,
  key: { template_id: string; version: number; aspect: string },
  error: string,
  options: { final: boolean; retryInSeconds: number },
): Promise<void> {
  await tx
    .updateTable('template_preview')
    .set({
      still_status: options.final ? 'failed' : 'pending',
      still_error: error.slice(0, 2000),
      still_claimed_until: options.final
        ? null
        : sql<Date>`now() + make_interval(secs => ${options.retryInSeconds})`,
      updated_at: new Date(),
    })
    .where('template_id', '=', key.template_id)
    .where('version', '=', key.version)
    .where('aspect', '=', key.aspect)
    .execute();
}

export function pendingClips(tx: T, limit: number): Promise<PreviewRow[]> {
  return tx
    .selectFrom('template_preview')
    .selectAll()
    .where('clip_status', '=', 'pending')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

export interface ClipResultRow {
  clip_key: string;
  clip_hash: string;
  clip_size: number;
  clip_mime: string;
  clip_width: number;
  clip_height: number;
  clip_duration_seconds: number;
}

/** Records the clip of one preview; false when there is no such preview. */
export async function completeClip(
  tx: T,
  key: { template_id: string; version: number; aspect: string },
  clip: ClipResultRow,
): Promise<boolean> {
  const result = await tx
    .updateTable('template_preview')
    .set({ ...clip, clip_status: 'ready', updated_at: new Date() })
    .where('template_id', '=', key.template_id)
    .where('version', '=', key.version)
    .where('aspect', '=', key.aspect)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
