import { createHash } from 'node:crypto';
import { aspectRatioSchema, fontRefSchema, localizedTextSchema, slugSchema } from '@flatrender/contracts';
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
import { draftTemplate } from './domain/project-values';
import type { StudioDb } from './studio.db';
import type {
  NewTemplateVersion,
  TemplateVersionRepository,
  TemplateVersionRow,
} from './template-version.repository';

/** A template version with its document, parsed by the engine. */
export interface LoadedTemplate {
  version: TemplateVersionRow;
  template: Template;
  /** The same template with every field optional: what a save is validated against. */
  draft: Template;
}

/**
 * What content's `GET /internal/templates/:id/versions/:version` answers: the facts of
 * `content.template.published.v1` about that version (extra keys are ignored).
 */
const contentVersionSchema = z.looseObject({
  template_id: z.uuid(),
  version: z.int().min(1),
  slug: slugSchema,
  title: localizedTextSchema,
  visibility: z.enum(['public', 'tenant']),
  engine: z.int().min(1),
  mode: z.enum(['fixed', 'flexible']),
  aspects: z.array(aspectRatioSchema).min(1),
  document_key: z.string().min(1),
  content_hash: z.string().regex(/^[a-f0-9]{64}$/),
  fonts: z.array(fontRefSchema).default([]),
  published_at: z.iso.datetime({ offset: true }),
  withdrawn_at: z.iso.datetime({ offset: true }).nullish(),
});

/** What content's `GET /internal/templates/:id` answers that studio uses. */
const contentTemplateSchema = z.looseObject({ current_version: z.int().min(1).nullable() });

export interface TemplateCatalogOptions {
  db: ScopedDatabase<StudioDb>;
  blobs: BlobStore;
  internal: InternalClient;
  logger: Logger;
  versions: TemplateVersionRepository;
  /** Parsed documents kept in memory. */
  cacheSize: number;
}

/**
 * The template versions studio can pin projects to, and their documents. Versions come from
 * content.template.published.v1; a version asked for before its event arrived (start-up) is fetched
 * from content once and recorded like the event would have.
 */
export class TemplateCatalog {
  private readonly documents = new Map<string, Promise<{ template: Template; draft: Template }>>();

  constructor(private readonly options: TemplateCatalogOptions) {}

  /**
   * The version a new project pins: the one asked for, or the newest published one the tenant may
   * use. 404 when the tenant may not see the template; 409 when the version asked for was withdrawn.
   */
  async forNewProject(
    principal: Principal,
    templateId: string,
    version?: number,
  ): Promise<TemplateVersionRow> {
    const { db, versions } = this.options;
    const local = await db.withTenant(principal.tenantId, (tx) =>
      version === undefined ? versions.latest(tx, templateId) : versions.find(tx, templateId, version),
    );
    if (local) {
      if (local.withdrawn_at)
        throw new HttpError(
          409,
          'template_withdrawn',
          `Version ${local.version} of template "${local.slug}" was withdrawn; choose another version.`,
          'version',
        );
      return local;
    }
    const asked = version ?? (await this.currentFromContent(principal, templateId));
    return this.fetchFromContent(principal, templateId, asked);
  }

  /** A version a project already pins (the foreign key guarantees it is recorded). */
  async pinned(tenantId: string, templateId: string, version: number): Promise<TemplateVersionRow> {
    const { db, versions } = this.options;
    const row = await db.withTenant(tenantId, (tx) => versions.find(tx, templateId, version));
    if (!row) throw templateNotFound();
    return row;
  }

  /** The version's document, parsed; cached by content hash (a published document never changes). */
  async load(version: TemplateVersionRow): Promise<LoadedTemplate> {
    const key = version.content_hash;
    let entry = this.documents.get(key);
    if (entry) {
      // Least recently used first: a hit moves the entry to the end.
      this.documents.delete(key);
    } else {
      entry = this.readDocument(version.document_key, key);
      entry.catch(() => this.documents.delete(key));
    }
    this.documents.set(key, entry);
    while (this.documents.size > this.options.cacheSize) {
      const oldest = this.documents.keys().next().value;
      if (oldest === undefined) break;
      this.documents.delete(oldest);
    }
    const { template, draft } = await entry;
    return { version, template, draft };
  }

  private async readDocument(key: string, hash: string): Promise<{ template: Template; draft: Template }> {
    const bytes = Buffer.concat(await (await this.options.blobs.get(key)).toArray());
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== hash)
      throw new Error(`template document ${key} has SHA-256 ${digest}, its version says ${hash}`);
    const template = parseTemplate(JSON.parse(bytes.toString('utf8')));
    return { template, draft: draftTemplate(template) };
  }

  /** The version content would pin now, for a template studio has heard nothing of yet. */
  private async currentFromContent(principal: Principal, templateId: string): Promise<number> {
    const body = await this.askContent(principal, `/internal/templates/${templateId}`);
    const parsed = contentTemplateSchema.safeParse(body);
    if (!parsed.success) {
      this.options.logger.error({ templateId, error: parsed.error.message }, 'unexpected template answer');
      throw contentUnavailable();
    }
    if (parsed.data.current_version === null) throw templateNotFound();
    return parsed.data.current_version;
  }

  private async fetchFromContent(
    principal: Principal,
    templateId: string,
    version: number,
  ): Promise<TemplateVersionRow> {
    const { db, versions, logger } = this.options;
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
    if (v.withdrawn_at)
      throw new HttpError(
        409,
        'template_withdrawn',
        `Version ${v.version} of template "${v.slug}" was withdrawn; choose another version.`,
        'version',
      );
    const row: NewTemplateVersion = {
      template_id: v.template_id,
      version: v.version,
      // Content answered for this principal, so a private version belongs to its tenant.
      tenant_id: v.visibility === 'tenant' ? principal.tenantId : null,
      slug: v.slug,
      title: v.title,
      engine: v.engine,
      mode: v.mode,
      aspects: v.aspects,
      document_key: v.document_key,
      content_hash: v.content_hash,
      fonts: v.fonts,
      published_at: v.published_at,
    };
    await db.asSystem((tx) => versions.record(tx, row));
    const recorded = await db.withTenant(principal.tenantId, (tx) => versions.find(tx, templateId, version));
    if (!recorded) throw templateNotFound();
    return recorded;
  }

  /** GET on a content internal route for `principal`; the body when 200, 404 as not found. */
  private async askContent(principal: Principal, path: string): Promise<unknown> {
    let response: { status: number; body: unknown };
    try {
      response = await this.options.internal.request('content', { method: 'GET', path, principal });
    } catch (error) {
      this.options.logger.warn({ err: error, path }, 'content unreachable');
      throw contentUnavailable();
    }
    if (response.status === 404) throw templateNotFound();
    if (response.status !== 200) {
      this.options.logger.warn({ status: response.status, path }, 'content refused a template request');
      throw contentUnavailable();
    }
    return response.body;
  }
}

const templateNotFound = () => notFound('The template', 'template_not_found');
const contentUnavailable = () =>
  new HttpError(503, 'content_unavailable', 'The template catalogue cannot be reached; try again shortly.');
