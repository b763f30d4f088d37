import { checkProject, type FieldValues, validateValues } from '@flatrender/engine';
import { nodeSurfaceFactory } from '@flatrender/engine/node';
import { forbidden, type HttpServer, notFound, type Principal, requirePrincipal } from '@flatrender/platform';
import { z } from 'zod';
import {
  type Access,
  adminAccess,
  inScope,
  ownerTenant,
  tenantAccess,
  visibilityOf,
} from '../content-access';
import { canonicalJson, sha256Hex } from '../domain/canonical-json';
import { searchTerms } from '../domain/search-text';
import { fontsByHash } from '../font.repository';
import {
  findTemplate,
  findVersion,
  listCatalogue,
  listVersions,
  previewsOf,
  type TemplateRow,
} from '../template.repository';
import type { Problem } from '../template.service';
import {
  adminUnpublishBody,
  catalogueQuery,
  catalogueResponse,
  documentBody,
  draftResponse,
  errorResponses,
  idParams,
  publishResponse,
  templateDetailSchema,
  unpublishBody,
  unpublishResponse,
  validateBody,
  validateResponse,
  versionDetailSchema,
  versionParams,
  versionSummarySchema,
} from './content.schemas';
import type { ContentRouteDeps } from './route-deps';

const TAG = ['templates'];

/** Whether `access` may see and edit the working copy of `row`. */
function ownsDraft(access: Access, row: TemplateRow): boolean {
  return row.tenant_id === ownerTenant(access);
}

function sourceHash(draft: Record<string, unknown>): string {
  const { version: _version, ...source } = draft;
  return sha256Hex(canonicalJson(source));
}

/**
 * `/v1/templates` (the catalogue, a tenant's private templates, validation, the JSON Schema) and
 * `/v1/admin/templates` (the platform catalogue, for platform administrators).
 */
export function registerTemplateRoutes(app: HttpServer, deps: ContentRouteDeps): void {
  const { db, service, presenter, documents, fonts, templateSchemaJson } = deps;

  // ----- reading -----------------------------------------------------------------------------

  async function catalogue(
    access: Access,
    query: z.infer<typeof catalogueQuery>,
    principal: Principal,
    admin: boolean,
  ) {
    const terms = query.q ? searchTerms(query.q) : [];
    const { rows, total } = await inScope(db, access, (tx) =>
      listCatalogue(tx, {
        ...(admin ? { anyStatus: true, visibility: 'public' as const } : {}),
        // In a tenant scope row-level security still hides platform drafts and withdrawn ones.
        ...(query.status === 'any' ? { anyStatus: true } : {}),
        ...(query.visibility && !admin ? { visibility: query.visibility } : {}),
        ...(query.category ? { category: query.category.trim().toLowerCase() } : {}),
        ...(query.tag ? { tag: query.tag.trim().toLowerCase() } : {}),
        ...(query.aspect ? { aspect: query.aspect } : {}),
        ...(query.mode ? { mode: query.mode } : {}),
        terms,
        sort: query.sort,
        locale: query.locale ?? principal.locale ?? 'fa',
        limit: query.limit,
        offset: (query.page - 1) * query.limit,
      }),
    );
    const keys = rows.flatMap((r) => (r.version ? [{ template_id: r.id, version: r.version.version }] : []));
    const previews = await inScope(db, access, (tx) => previewsOf(tx, keys));
    return {
      items: await Promise.all(rows.map((r) => presenter.summary(r, previews))),
      page: query.page,
      limit: query.limit,
      total,
    };
  }

  async function detail(access: Access, id: string): Promise<z.infer<typeof templateDetailSchema>> {
    const found = await inScope(db, access, async (tx) => {
      const row = await findTemplate(tx, id);
      if (!row) return undefined;
      const versions = await listVersions(tx, id);
      const previews = row.current_version
        ? await previewsOf(tx, [{ template_id: id, version: row.current_version }])
        : [];
      return { row, versions, previews };
    });
    if (!found) throw notFound(`Template ${id}`);
    const { row, versions, previews } = found;
    const current = versions.find((v) => v.version === row.current_version);
    return {
      id: row.id,
      slug: row.slug,
      visibility: visibilityOf(row.tenant_id),
      status: row.status,
      current: current ? await presenter.version(current, previews) : null,
      versions: versions.map((v) => presenter.versionSummary(v)),
      draft: ownsDraft(access, row) ? presenter.draftInfo(row, versions[0], sourceHash(row.draft)) : null,
      created_at: row.created_at.toISOString(),
    };
  }

  async function draftView(access: Access, row: TemplateRow) {
    const check = await service.check(row.draft, row.tenant_id, access);
    return {
      id: row.id,
      slug: row.slug,
      status: row.status,
      draft_updated_at: row.draft_updated_at.toISOString(),
      document: row.draft,
      validation: { ok: check.ok, errors: check.errors, warnings: check.warnings },
    };
  }

  async function ownDraft(access: Access, id: string): Promise<TemplateRow> {
    const row = await inScope(db, access, (tx) => findTemplate(tx, id));
    if (!row || (access.kind === 'admin' && !ownsDraft(access, row))) throw notFound(`Template ${id}`);
    if (!ownsDraft(access, row))
      throw forbidden('Platform templates are managed by platform administrators.', 'platform_template');
    return row;
  }

  app.get(
    '/v1/templates',
    {
      schema: {
        tags: TAG,
        summary: 'The template catalogue: the platform gallery and your own templates',
        querystring: catalogueQuery,
        response: { 200: catalogueResponse, ...errorResponses },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'templates:read' });
      return catalogue(tenantAccess(principal), req.query, principal, false);
    },
  );

  app.get(
    '/v1/templates/schema',
    {
      schema: {
        tags: TAG,
        summary: 'JSON Schema of template documents (public)',
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    // Public on purpose: the document format is documentation, not tenant data.
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return templateSchemaJson;
    },
  );

  app.post(
    '/v1/templates/validate',
    {
      schema: {
        tags: TAG,
        summary: 'Check a template document, or field values against a published version, without rendering',
        body: validateBody,
        response: { 200: validateResponse, ...errorResponses },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'templates:read' });
      const access = tenantAccess(principal);
      const body = req.body;
      if ('document' in body) {
        const check = await service.check(body.document, ownerTenant(access), access);
        return { ok: check.ok, errors: check.errors, warnings: check.warnings };
      }
      const loaded = await inScope(db, access, async (tx) => {
        const version = await findVersion(tx, body.template_id, body.version);
        if (!version) return undefined;
        return {
          version,
          fontRows: await fontsByHash(
            tx,
            version.fonts.map((f) => f.content_hash),
          ),
        };
      });
      if (!loaded) throw notFound(`Version ${body.version} of template ${body.template_id}`);
      const { template } = await documents.load(loaded.version.document_key, loaded.version.content_hash);
      const values = body.values as FieldValues;
      const valueCheck = validateValues(template, values);
      const toProblem = (e: { path: string; code: string; message: string }): Problem => ({
        path: e.path,
        code: e.code,
        message: e.message,
      });
      if (!valueCheck.ok) return { ok: false, errors: valueCheck.errors.map(toProblem), warnings: [] };
      if (body.aspect && !(body.aspect in template.aspects))
        return {
          ok: false,
          errors: [
            {
              path: 'aspect',
              code: 'unknown_aspect',
              message: `this version supports ${Object.keys(template.aspects).join(', ')}`,
            },
          ],
          warnings: [],
        };
      await fonts.register(loaded.fontRows);
      const result = await checkProject(template, values, {
        locale: body.locale ?? principal.locale ?? 'fa',
        fonts: fonts.provider(loaded.fontRows),
        createSurface: nodeSurfaceFactory,
        ...(body.aspect ? { aspects: [body.aspect] } : {}),
      });
      return {
        ok: result.ok,
        errors: result.errors.map(toProblem),
        warnings: result.warnings.map(toProblem),
      };
    },
  );

  app.get(
    '/v1/templates/:id',
    {
      schema: {
        tags: TAG,
        summary: 'A template: its current version with fields and previews, its versions, your draft',
        params: idParams,
        response: { 200: templateDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'templates:read' });
      return detail(tenantAccess(principal), req.params.id);
    },
  );

  app.get(
    '/v1/templates/:id/versions',
    {
      schema: {
        tags: TAG,
        summary: 'Published versions of a template, newest first',
        params: idParams,
        response: { 200: z.object({ items: z.array(versionSummarySchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'templates:read' });
      const versions = await inScope(db, tenantAccess(principal), (tx) => listVersions(tx, req.params.id));
      if (versions.length === 0) throw notFound(`Template ${req.params.id}`);
      return { items: versions.map((v) => presenter.versionSummary(v)) };
    },
  );

  app.get(
    '/v1/templates/:id/versions/:version',
    {
      schema: {
        tags: TAG,
        summary: 'One published version (also a withdrawn one: projects pinned to it keep working)',
        params: versionParams,
        response: { 200: versionDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'templates:read' });
      const { id, version } = req.params;
      const found = await inScope(db, tenantAccess(principal), async (tx) => {
        const row = await findVersion(tx, id, version);
        return row ? { row, previews: await previewsOf(tx, [{ template_id: id, version }]) } : undefined;
      });
      if (!found) throw notFound(`Version ${version} of template ${id}`);
      return presenter.version(found.row, found.previews);
    },
  );

  app.get(
    '/v1/templates/:id/versions/:version/document',
    {
      schema: {
        tags: TAG,
        summary: 'The template document of a version (immutable; the studio draws with it)',
        params: versionParams,
        response: { 200: z.record(z.string(), z.unknown()), ...errorResponses },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { scope: 'templates:read' });
      const { id, version } = req.params;
      const row = await inScope(db, tenantAccess(principal), (tx) => findVersion(tx, id, version));
      if (!row) throw notFound(`Version ${version} of template ${id}`);
      const { document } = await documents.load(row.document_key, row.content_hash);
      reply
        .header('etag', `"${row.content_hash}"`)
        .header('cache-control', 'private, max-age=31536000, immutable');
      return document;
    },
  );

  // ----- writing: tenants (/v1/templates) and administrators (/v1/admin/templates) -------------

  const writers: {
    prefix: string;
    who: string;
    access: (req: Parameters<typeof requirePrincipal>[0]) => Access;
  }[] = [
    {
      prefix: '/v1/templates',
      who: 'your tenant',
      access: (req) => tenantAccess(requirePrincipal(req, { role: 'editor' })),
    },
    {
      prefix: '/v1/admin/templates',
      who: 'the platform catalogue',
      access: (req) => adminAccess(requirePrincipal(req, { platformAdmin: true })),
    },
  ];

  for (const { prefix, who, access: accessOf } of writers) {
    const tags = prefix.startsWith('/v1/admin') ? ['admin'] : TAG;

    app.post(
      prefix,
      {
        schema: {
          tags,
          summary: `Create a template draft in ${who}`,
          body: documentBody,
          response: { 201: draftResponse, ...errorResponses },
        },
      },
      async (req, reply) => {
        const access = accessOf(req);
        const row = await service.createDraft(access, req.body.document);
        reply.code(201);
        return draftView(access, row);
      },
    );

    app.get(
      `${prefix}/:id/draft`,
      {
        schema: {
          tags,
          summary: 'The working copy of a template, with what publishing would say about it',
          params: idParams,
          response: { 200: draftResponse, ...errorResponses },
        },
      },
      async (req) => {
        const access = accessOf(req);
        return draftView(access, await ownDraft(access, req.params.id));
      },
    );

    app.put(
      `${prefix}/:id/draft`,
      {
        schema: {
          tags,
          summary: 'Replace the working copy (saved even when invalid; publishing checks it)',
          params: idParams,
          body: documentBody,
          response: { 200: draftResponse, ...errorResponses },
        },
      },
      async (req) => {
        const access = accessOf(req);
        return draftView(access, await service.saveDraft(access, req.params.id, req.body.document));
      },
    );

    app.delete(
      `${prefix}/:id`,
      {
        schema: {
          tags,
          summary: 'Delete a template that was never published (published ones are unpublished instead)',
          params: idParams,
          response: { 204: z.null().describe('Deleted'), ...errorResponses },
        },
      },
      async (req, reply) => {
        await service.deleteDraft(accessOf(req), req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      `${prefix}/:id/publish`,
      {
        schema: {
          tags,
          summary:
            'Publish the draft as the next immutable version (422 with the engine errors when invalid)',
          params: idParams,
          response: { 201: publishResponse, ...errorResponses },
        },
      },
      async (req, reply) => {
        const access = accessOf(req);
        const { version, warnings } = await service.publish(access, req.params.id);
        reply.code(201);
        return {
          template_id: version.template_id,
          version: version.version,
          content_hash: version.content_hash,
          document_key: version.document_key,
          published_at: version.published_at.toISOString(),
          warnings,
        };
      },
    );
  }

  app.post(
    '/v1/templates/:id/unpublish',
    {
      schema: {
        tags: TAG,
        summary: 'Withdraw versions of your template from the catalogue (pinned projects keep them)',
        params: idParams,
        body: unpublishBody,
        response: { 200: unpublishResponse, ...errorResponses },
      },
    },
    async (req) => {
      const access = tenantAccess(requirePrincipal(req, { role: 'editor' }));
      const result = await service.unpublish(access, req.params.id, req.body.versions, 'author');
      return { template_id: req.params.id, ...result };
    },
  );

  app.post(
    '/v1/admin/templates/:id/unpublish',
    {
      schema: {
        tags: ['admin'],
        summary: 'Withdraw versions of any template (platform or tenant) from the catalogue',
        params: idParams,
        body: adminUnpublishBody,
        response: { 200: unpublishResponse, ...errorResponses },
      },
    },
    async (req) => {
      const access = adminAccess(requirePrincipal(req, { platformAdmin: true }));
      const result = await service.unpublish(access, req.params.id, req.body.versions, req.body.reason);
      return { template_id: req.params.id, ...result };
    },
  );

  app.get(
    '/v1/admin/templates',
    {
      schema: {
        tags: ['admin'],
        summary: 'Platform templates, drafts and withdrawn ones included',
        querystring: catalogueQuery,
        response: { 200: catalogueResponse, ...errorResponses },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { platformAdmin: true });
      return catalogue(adminAccess(principal), req.query, principal, true);
    },
  );

  app.get(
    '/v1/admin/templates/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'A template of any owner, with the draft of platform templates',
        params: idParams,
        response: { 200: templateDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { platformAdmin: true });
      return detail(adminAccess(principal), req.params.id);
    },
  );
}
