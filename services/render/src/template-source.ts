import { createHash } from 'node:crypto';
import { aspectRatioSchema, assetRefSchema, fontRefSchema, slugSchema } from '@flatrender/contracts';
import { parseTemplate, type Template } from '@flatrender/engine';
import {
  type BlobStore,
  HttpError,
  type InternalClient,
  type Logger,
  notFound,
  type Principal,
  type ScopedDatabase,
} from '@flatrender/platform';
import { z } from 'zod';
import type { CatalogRepository } from './catalog.repository';
import type { RenderDb, TemplateVersionRow } from './render.db';

/** What content's `GET /internal/templates/:id/versions/:version` answers that render uses. */
const contentVersionSchema = z.looseObject({
  template_id: z.uuid(),
  tenant_id: z.uuid(),
  version: z.int().min(1),
  slug: slugSchema,
  visibility: z.enum(['public', 'tenant']),
  engine: z.int().min(1),
  fps: z.int().min(1),
  aspects: z.array(aspectRatioSchema).min(1),
  document_key: z.string().min(1),
  content_hash: z.string().regex(/^[a-f0-9]{64}$/),
  fonts: z.array(fontRefSchema).default([]),
  assets: z.array(assetRefSchema).default([]),
  published_at: z.iso.datetime({ offset: true }),
  withdrawn_at: z.iso.datetime({ offset: true }).nullish(),
});

const contentTemplateSchema = z.looseObject({ current_version: z.int().min(1).nullable() });

export interface LoadedVersion {
  version: TemplateVersionRow;
  template: Template;
}

/**
 * The template versions render may dispatch: learnt from content.template.published.v1, and asked of
 * content once when a request names a version before its event arrived (then recorded the same way).
 * Documents come from the blob store by key, checked against their hash, kept parsed in memory.
 */
export class TemplateSource {
  private readonly documents = new Map<string, Promise<Template>>();

  constructor(
    private readonly options: {
      db: ScopedDatabase<RenderDb>;
      catalog: CatalogRepository;
      blobs: BlobStore;
      internal: InternalClient;
      logger: Logger;
      cacheSize: number;
    },
  ) {}

  /**
   * The version a new job of `principal` renders: the one asked for, or the newest live one. 404 when
   * the tenant may not see the template, 409 when the version was withdrawn.
   */
  async forNewJob(principal: Principal, templateId: string, version?: number): Promise<LoadedVersion> {
    const { db, catalog } = this.options;
    let row = await db.withTenant(principal.tenantId, (tx) =>
      version === undefined
        ? catalog.latestVersion(tx, templateId)
        : catalog.findVersion(tx, templateId, version),
    );
    if (!row) {
      const asked = version ?? (await this.currentFromContent(principal, templateId));
      row = await this.fetchFromContent(principal, principal.tenantId, templateId, asked);
    }
    if (row.withdrawn_at)
      throw new HttpError(
        409,
        'template_unpublished',
        `Version ${row.version} of template "${row.slug}" was withdrawn; render another version.`,
        'template_version',
      );
    return { version: row, template: await this.load(row) };
  }

  /**
   * A version for the platform's own work (preview clips) of the version's owner: from the catalogue,
   * else asked of content without a principal (content refuses the nil tenant as a principal, and a
   * system call sees every version). Withdrawn or not; undefined when content has no such version.
   */
  async forSystem(tenantId: string, templateId: string, version: number): Promise<LoadedVersion | undefined> {
    const { db, catalog } = this.options;
    let row = await db.withTenant(tenantId, (tx) => catalog.findVersion(tx, templateId, version));
    if (!row) {
      try {
        row = await this.fetchFromContent(undefined, tenantId, templateId, version);
      } catch (error) {
        if (error instanceof HttpError && error.statusCode === 404) return undefined;
        throw error;
      }
    }
    return { version: row, template: await this.load(row) };
  }

  /** A version by id for a tenant, withdrawn or not (jobs already accepted still finish). */
  async pinned(tenantId: string, templateId: string, version: number): Promise<LoadedVersion | undefined> {
    const { db, catalog } = this.options;
    const row = await db.withTenant(tenantId, (tx) => catalog.findVersion(tx, templateId, version));
    return row ? { version: row, template: await this.load(row) } : undefined;
  }

  /** The parsed document of a version; cached by content hash (a published document never changes). */
  load(version: Pick<TemplateVersionRow, 'document_key' | 'content_hash'>): Promise<Template> {
    const key = version.content_hash;
    let entry = this.documents.get(key);
    if (entry) this.documents.delete(key);
    else {
      entry = this.readDocument(version.document_key, key);
      entry.catch(() => this.documents.delete(key));
    }
    this.documents.set(key, entry);
    while (this.documents.size > this.options.cacheSize) {
      const oldest = this.documents.keys().next().value;
      if (oldest === undefined) break;
      this.documents.delete(oldest);
    }
    return entry;
  }

  private async readDocument(key: string, hash: string): Promise<Template> {
    const bytes = Buffer.concat(await (await this.options.blobs.get(key)).toArray());
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== hash)
      throw new Error(`template document ${key} has SHA-256 ${digest}, its version says ${hash}`);
    return parseTemplate(JSON.parse(bytes.toString('utf8')));
  }

  private async currentFromContent(principal: Principal, templateId: string): Promise<number> {
    const body = await this.askContent(principal, `/internal/templates/${templateId}`);
    const parsed = contentTemplateSchema.safeParse(body);
    if (!parsed.success) throw contentUnavailable();
    if (parsed.data.current_version === null) throw templateNotFound();
    return parsed.data.current_version;
  }

  /** Asks content for a version (as `principal`, or as the system), records it, reads it as `tenantId`. */
  private async fetchFromContent(
    principal: Principal | undefined,
    tenantId: string,
    templateId: string,
    version: number,
  ): Promise<TemplateVersionRow> {
    const { db, catalog, logger } = this.options;
    const body = await this.askContent(principal, `/internal/templates/${templateId}/versions/${version}`);
    const parsed = contentVersionSchema.safeParse(body);
    if (!parsed.success || parsed.data.template_id !== templateId || parsed.data.version !== version) {
      logger.error(
        { templateId, version, error: parsed.error?.message },
        'unexpected template version answer',
      );
      throw contentUnavailable();
    }
    const v = parsed.data;
    await db.asSystem(async (tx) => {
      await catalog.recordVersion(tx, {
        template_id: v.template_id,
        version: v.version,
        tenant_id: v.visibility === 'tenant' ? v.tenant_id : null,
        slug: v.slug,
        engine: v.engine,
        fps: v.fps,
        aspects: v.aspects,
        document_key: v.document_key,
        content_hash: v.content_hash,
        fonts: v.fonts,
        assets: v.assets,
        published_at: v.published_at,
      });
      if (v.withdrawn_at) await catalog.withdraw(tx, v.template_id, [v.version], v.withdrawn_at);
    });
    const row = await db.withTenant(tenantId, (tx) => catalog.findVersion(tx, templateId, version));
    if (!row) throw templateNotFound();
    return row;
  }

  private async askContent(principal: Principal | undefined, path: string): Promise<unknown> {
    let response: { status: number; body: unknown };
    try {
      response = await this.options.internal.request('content', {
        method: 'GET',
        path,
        ...(principal ? { principal } : {}),
      });
    } catch (error) {
      this.options.logger.warn({ err: error, path }, 'content unreachable');
      throw contentUnavailable();
    }
    if (response.status === 404) throw templateNotFound();
    if (response.status !== 200) throw contentUnavailable();
    return response.body;
  }
}

const templateNotFound = () => notFound('The template', 'template_not_found');
const contentUnavailable = () =>
  new HttpError(503, 'content_unavailable', 'The template catalogue cannot be reached; try again shortly.');
