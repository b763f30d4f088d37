import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import {
  checkProject,
  type EngineError,
  EngineValidationError,
  type Template,
  validateTemplate,
} from '@flatrender/engine';
import { builtinAssetPath, nodeAssetLoader, nodeSurfaceFactory } from '@flatrender/engine/node';
import {
  conflict,
  forbidden,
  HttpError,
  notFound,
  type ScopedDatabase,
  type ServiceContext,
  type Tx,
} from '@flatrender/platform';
import type { ContentTables } from './content.tables';
import { type Access, inScope, ownerTenant, visibilityOf } from './content-access';
import { isUniqueViolation } from './db-errors';
import { canonicalJson, sha256Hex } from './domain/canonical-json';
import {
  searchableText,
  type TemplateMetadata,
  templateAssetRefs,
  templateFontFaces,
  templateMetadata,
} from './domain/template-metadata';
import { type FontRow, facesFor } from './font.repository';
import type { FontFiles } from './font-files';
import {
  deleteTemplate,
  findTemplate,
  highestVersion,
  insertPendingPreviews,
  insertTemplate,
  insertVersion,
  liveVersions,
  setCurrentVersion,
  type TemplateRow,
  updateDraft,
  type VersionRow,
  withdrawVersions,
} from './template.repository';
import type { TemplateDocuments } from './template-documents';

/** One problem in a template, as the API reports it (the engine's own codes, paths and messages). */
export interface Problem {
  path: string;
  code: string;
  message: string;
}

export interface TemplateCheck {
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
  /** Present when the document is valid. */
  template?: Template;
  metadata?: TemplateMetadata;
  fonts?: FontRow[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

const problem = (e: EngineError): Problem => ({ path: e.path, code: e.code, message: e.message });

/** 422 with every problem, the first one named in the message. */
export function templateInvalid(errors: readonly Problem[], what = 'The template is invalid'): HttpError {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new HttpError(
    422,
    'template_invalid',
    first ? `${what}: ${first.path}: ${first.message}${more}` : what,
    first?.path,
    errors,
  );
}

/** The document minus its `version`, which publishing sets: the content a publish compares. */
function sourceOf(document: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, ...source } = document;
  return source;
}

/**
 * Drafts, publishing and withdrawal of templates, for tenants (their private templates) and for
 * administrators (the platform catalogue). A published version is immutable: publishing always
 * creates the next version and never touches an earlier one.
 */
export class TemplateService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly db: ScopedDatabase<ContentTables>,
    private readonly documents: TemplateDocuments,
    private readonly fonts: FontFiles,
    private readonly onPublished: () => void,
  ) {}

  /**
   * Everything the engine says about a document before it may be published: the document model,
   * the references inside it, the fonts it needs (installed and visible to `ownerTenantId`), its
   * assets, and the pre-render checks of its defaults at every aspect and language (missing
   * glyphs, text that does not fit, images too small). Nothing is rendered.
   */
  async check(document: unknown, ownerTenantId: string, access: Access): Promise<TemplateCheck> {
    const validation = validateTemplate(document);
    if (!validation.template) return { ok: false, errors: validation.errors.map(problem), warnings: [] };
    const template = validation.template;
    let metadata: TemplateMetadata;
    let faces: ReturnType<typeof templateFontFaces>;
    let assets: string[];
    try {
      metadata = templateMetadata(template);
      faces = templateFontFaces(template);
      assets = templateAssetRefs(template);
    } catch (error) {
      if (error instanceof EngineValidationError)
        return { ok: false, errors: error.errors.map(problem), warnings: [] };
      throw error;
    }
    const errors: Problem[] = [];
    for (const ref of assets) {
      if (!builtinAssetPath(ref))
        errors.push({
          path: '$',
          code: 'asset_missing',
          message: `asset "${ref}" is not an engine asset ("builtin:..."); images and audio of a project are set per project`,
        });
    }
    const rows = await inScope(this.db, access, (tx) => facesFor(tx, faces, ownerTenantId));
    for (const face of faces) {
      if (!rows.some((r) => r.family === face.family && r.weight === face.weight))
        errors.push({
          path: '$.fonts',
          code: 'font_missing',
          message: `font ${face.family} ${face.weight} is not installed${ownerTenantId === PLATFORM_TENANT_ID ? ' on the platform' : ''}`,
        });
    }
    const warnings: Problem[] = [];
    if (errors.length === 0) {
      await this.fonts.register(rows);
      for (const locale of template.locales) {
        const result = await checkProject(
          template,
          {},
          {
            locale,
            fonts: this.fonts.provider(rows),
            assets: nodeAssetLoader(),
            createSurface: nodeSurfaceFactory,
          },
        );
        errors.push(...result.errors.map(problem));
        warnings.push(...result.warnings.map(problem));
      }
    }
    if (errors.length > 0) return { ok: false, errors, warnings };
    return { ok: true, errors, warnings, template, metadata, fonts: rows };
  }

  async createDraft(access: Access, document: Record<string, unknown>): Promise<TemplateRow> {
    const slug = document.id;
    if (typeof slug !== 'string' || !SLUG.test(slug))
      throw templateInvalid(
        [
          {
            path: '$.id',
            code: 'invalid_value',
            message: 'must be lower-case letters, digits and "-" (2 to 63)',
          },
        ],
        'The template needs an id',
      );
    try {
      return await inScope(this.db, access, (tx) =>
        insertTemplate(tx, {
          tenant_id: ownerTenant(access),
          slug,
          draft: document,
          created_by: access.userId,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict('slug_taken', `A template with id "${slug}" exists already.`);
      throw error;
    }
  }

  /** The template `access` may change: its own (a tenant) or a platform one (an administrator). */
  private writable(access: Access, row: TemplateRow | undefined, id: string): TemplateRow {
    if (!row) throw notFound(`Template ${id}`);
    if (access.kind === 'tenant' && row.tenant_id !== access.tenantId)
      throw forbidden('Platform templates are managed by platform administrators.', 'platform_template');
    if (access.kind === 'admin' && row.tenant_id !== PLATFORM_TENANT_ID)
      throw notFound(`Platform template ${id}`);
    return row;
  }

  /**
   * Locks the template `access` may change. The check reads first without the lock: a row the scope
   * can read but not update (a platform template, for a tenant) is invisible to SELECT ... FOR UPDATE.
   */
  private async lockWritable(tx: Tx<ContentTables>, access: Access, id: string): Promise<TemplateRow> {
    this.writable(access, await findTemplate(tx, id), id);
    return (await findTemplate(tx, id, { forUpdate: true })) as TemplateRow;
  }

  async saveDraft(access: Access, id: string, document: Record<string, unknown>): Promise<TemplateRow> {
    return inScope(this.db, access, async (tx) => {
      const row = await this.lockWritable(tx, access, id);
      if (document.id !== row.slug)
        throw templateInvalid(
          [
            {
              path: '$.id',
              code: 'invalid_value',
              message: `must stay "${row.slug}" (a template's id never changes)`,
            },
          ],
          'The template id cannot change',
        );
      await updateDraft(tx, id, document);
      return (await findTemplate(tx, id)) as TemplateRow;
    });
  }

  /** Deletes a template that was never published; published ones are withdrawn, never deleted. */
  async deleteDraft(access: Access, id: string): Promise<void> {
    await inScope(this.db, access, async (tx) => {
      await this.lockWritable(tx, access, id);
      if (await highestVersion(tx, id))
        throw conflict(
          'template_published',
          'This template has published versions, which projects may use; unpublish it instead.',
        );
      await deleteTemplate(tx, id);
    });
  }

  async publish(access: Access, id: string): Promise<{ version: VersionRow; warnings: Problem[] }> {
    const draftRow = await inScope(this.db, access, async (tx) =>
      this.writable(access, await findTemplate(tx, id), id),
    );
    const owner = draftRow.tenant_id;
    const source = sourceOf(draftRow.draft);
    const check = await this.check(draftRow.draft, owner, access);
    if (!check.ok || !check.template || !check.metadata || !check.fonts) throw templateInvalid(check.errors);
    const { metadata, fonts } = check;
    const sourceHash = sha256Hex(canonicalJson(source));
    const fontRefs = templateFontFaces(check.template).map((face) => {
      const row = fonts.find((r) => r.family === face.family && r.weight === face.weight) as FontRow;
      return {
        family: row.family,
        weight: row.weight,
        style: 'normal' as const,
        content_hash: row.content_hash,
        blob_key: row.blob_key,
      };
    });

    const version = await inScope(this.db, access, async (tx) => {
      const row = await this.lockWritable(tx, access, id);
      if (sha256Hex(canonicalJson(sourceOf(row.draft))) !== sourceHash)
        throw conflict('draft_changed', 'The draft changed while it was being checked; publish again.');
      const highest = await highestVersion(tx, id);
      if (highest && highest.withdrawn_at === null && highest.source_hash === sourceHash)
        throw conflict('nothing_to_publish', `Version ${highest.version} already has exactly this draft.`);
      const number = (highest?.version ?? 0) + 1;
      const stored = await this.documents.put({ ...source, version: number });
      const inserted = await insertVersion(tx, {
        template_id: id,
        version: number,
        tenant_id: owner,
        slug: row.slug,
        engine: metadata.engine,
        mode: metadata.mode,
        fps: metadata.fps,
        locales: metadata.locales,
        title_fa: metadata.title.fa,
        title_en: metadata.title.en,
        description_fa: metadata.description?.fa ?? null,
        description_en: metadata.description?.en ?? null,
        category: metadata.category,
        tags: metadata.tags,
        aspects: metadata.aspects,
        duration_seconds: metadata.durationSeconds,
        fields: JSON.stringify(metadata.fields),
        scenes: JSON.stringify(metadata.scenes),
        fonts: JSON.stringify(fontRefs),
        assets: JSON.stringify([]),
        search_text: searchableText(metadata),
        document_key: stored.key,
        content_hash: stored.hash,
        size_bytes: stored.size,
        source_hash: sourceHash,
        published_by: access.userId,
      });
      await setCurrentVersion(tx, id, number);
      await insertPendingPreviews(
        tx,
        { template_id: id, version: number, tenant_id: owner },
        metadata.aspects,
      );
      await this.ctx.emit(
        tx,
        'content.template.published.v1',
        {
          template_id: id,
          slug: row.slug,
          version: number,
          title: metadata.title,
          visibility: visibilityOf(owner),
          engine: metadata.engine,
          mode: metadata.mode,
          fps: metadata.fps,
          aspects: metadata.aspects,
          document_key: stored.key,
          content_hash: stored.hash,
          size_bytes: stored.size,
          fonts: fontRefs,
          // Engine assets ship with every render node; templates reference no others (checked above).
          assets: [],
          published_at: inserted.published_at.toISOString(),
        },
        { tenantId: owner, userId: access.userId },
      );
      return inserted;
    });
    this.onPublished();
    return { version, warnings: check.warnings };
  }

  /**
   * Withdraws versions from the catalogue (all live ones by default). Projects pinned to them keep
   * reading them; render refuses new jobs of them. Tenants withdraw their own templates; administrators
   * withdraw any.
   */
  async unpublish(
    access: Access,
    id: string,
    versions: readonly number[] | undefined,
    reason: 'author' | 'admin' | 'policy',
  ): Promise<{ withdrawn: number[]; current_version: number | null }> {
    return inScope(this.db, access, async (tx) => {
      const seen = await findTemplate(tx, id);
      if (!seen) throw notFound(`Template ${id}`);
      if (access.kind === 'tenant' && seen.tenant_id !== access.tenantId)
        throw forbidden('Platform templates are managed by platform administrators.', 'platform_template');
      const row = (await findTemplate(tx, id, { forUpdate: true })) as TemplateRow;
      const live = await liveVersions(tx, id);
      const wanted = versions ?? live;
      const unknown = wanted.filter((v) => !live.includes(v));
      if (unknown.length > 0)
        throw new HttpError(
          409,
          'version_not_live',
          `versions: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a published, live version of this template`,
          'versions',
        );
      if (wanted.length === 0)
        throw conflict('nothing_to_unpublish', 'This template has no published version.');
      const withdrawn = await withdrawVersions(tx, id, wanted);
      const remaining = live.filter((v) => !withdrawn.includes(v));
      const current = remaining.length > 0 ? Math.max(...remaining) : null;
      await setCurrentVersion(tx, id, current);
      await this.ctx.emit(
        tx,
        'content.template.unpublished.v1',
        {
          template_id: id,
          slug: row.slug,
          versions: withdrawn,
          reason_code: reason,
          unpublished_at: new Date().toISOString(),
        },
        { tenantId: row.tenant_id, userId: access.userId },
      );
      return { withdrawn, current_version: current };
    });
  }
}
