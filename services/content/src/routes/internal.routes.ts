import { type HttpServer, notFound, requireInternal } from '@flatrender/platform';
import { z } from 'zod';
import { type Access, inScope, tenantAccess, visibilityOf } from '../content-access';
import { completeClip, findTemplate, findVersion, liveVersions, pendingClips } from '../template.repository';
import { clipBody, internalVersionSchema, pendingClipsResponse, versionParams } from './content.schemas';
import type { ContentRouteDeps } from './route-deps';

/**
 * Routes other platform services call (signed with the platform secret, never exposed by the
 * gateway). With a principal, a call sees what that principal's tenant sees; without one (render,
 * schedulers), everything.
 */
export function registerInternalRoutes(app: HttpServer, deps: ContentRouteDeps): void {
  const { ctx, db, documents } = deps;

  const accessOf = (principal: ReturnType<typeof requireInternal>): Access =>
    principal ? tenantAccess(principal) : { kind: 'admin', userId: '00000000-0000-0000-0000-000000000000' };

  // A version's document and everything a render or a project needs to use it.
  app.get(
    '/internal/templates/:id/versions/:version',
    { schema: { params: versionParams, response: { 200: internalVersionSchema } } },
    async (req) => {
      const access = accessOf(requireInternal(req, ctx.secret));
      const { id, version } = req.params;
      const row = await inScope(db, access, (tx) => findVersion(tx, id, version));
      if (!row) throw notFound(`Version ${version} of template ${id}`);
      const { document } = await documents.load(row.document_key, row.content_hash);
      return {
        template_id: row.template_id,
        tenant_id: row.tenant_id,
        slug: row.slug,
        version: row.version,
        title: { fa: row.title_fa, en: row.title_en },
        visibility: visibilityOf(row.tenant_id),
        engine: row.engine,
        mode: row.mode,
        fps: row.fps,
        aspects: row.aspects as z.infer<typeof internalVersionSchema>['aspects'],
        document_key: row.document_key,
        content_hash: row.content_hash,
        size_bytes: row.size_bytes,
        fonts: row.fonts,
        assets: row.assets,
        published_at: row.published_at.toISOString(),
        withdrawn_at: row.withdrawn_at ? row.withdrawn_at.toISOString() : null,
        document,
      };
    },
  );

  // The current version of a template (what a new project pins).
  app.get(
    '/internal/templates/:id',
    {
      schema: {
        params: z.strictObject({ id: z.uuid() }),
        response: {
          200: z.object({
            template_id: z.uuid(),
            slug: z.string(),
            visibility: z.enum(['public', 'tenant']),
            current_version: z.int().nullable(),
            live_versions: z.array(z.int()),
          }),
        },
      },
    },
    async (req) => {
      const access = accessOf(requireInternal(req, ctx.secret));
      const found = await inScope(db, access, async (tx) => {
        const row = await findTemplate(tx, req.params.id);
        return row ? { row, live: await liveVersions(tx, row.id) } : undefined;
      });
      if (!found) throw notFound(`Template ${req.params.id}`);
      return {
        template_id: found.row.id,
        slug: found.row.slug,
        visibility: visibilityOf(found.row.tenant_id),
        current_version: found.row.current_version,
        live_versions: found.live,
      };
    },
  );

  // Preview clips still wanted, oldest first: the render service renders them (docs/services/content.md).
  app.get(
    '/internal/previews/clips',
    {
      schema: {
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: pendingClipsResponse },
      },
    },
    async (req) => {
      requireInternal(req, ctx.secret);
      const items = await db.asSystem(async (tx) => {
        const clips = await pendingClips(tx, req.query.limit);
        return Promise.all(
          clips.map(async (clip) => {
            const version = await findVersion(tx, clip.template_id, clip.version);
            return { clip, version };
          }),
        );
      });
      return {
        items: items.flatMap(({ clip, version }) =>
          version
            ? [
                {
                  template_id: clip.template_id,
                  version: clip.version,
                  aspect: clip.aspect as z.infer<typeof pendingClipsResponse>['items'][number]['aspect'],
                  tenant_id: clip.tenant_id,
                  document_key: version.document_key,
                  content_hash: version.content_hash,
                  requested_at: clip.created_at.toISOString(),
                },
              ]
            : [],
        ),
      };
    },
  );

  // The render service reports a finished preview clip.
  app.put(
    '/internal/templates/:id/versions/:version/previews/:aspect/clip',
    {
      schema: {
        params: versionParams.extend({ aspect: z.enum(['16:9', '9:16', '1:1', '4:5']) }),
        body: clipBody,
      },
    },
    async (req, reply) => {
      requireInternal(req, ctx.secret);
      const { id, version, aspect } = req.params;
      const clip = req.body;
      const done = await db.asSystem((tx) =>
        completeClip(
          tx,
          { template_id: id, version, aspect },
          {
            clip_key: clip.blob_key,
            clip_hash: clip.content_hash,
            clip_size: clip.size_bytes,
            clip_mime: clip.mime,
            clip_width: clip.width,
            clip_height: clip.height,
            clip_duration_seconds: clip.duration_seconds,
          },
        ),
      );
      if (!done) throw notFound(`Preview ${aspect} of version ${version} of template ${id}`);
      return reply.code(204).send();
    },
  );
}
