import { fontRefSchema } from '@flatrender/contracts';
import { HttpError, type HttpServer, requireInternal, type ServiceContext } from '@flatrender/platform';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProjectService } from '../project.service';
import { projectView } from '../project.view';
import { projectParams, projectSchema } from './project.schemas';

export const renderViewSchema = z.object({
  project: projectSchema,
  template: z.object({
    template_id: z.uuid(),
    version: z.int(),
    engine: z.int().describe('Engine generation to render with'),
    document_key: z.string().describe('Blob key of the template document'),
    content_hash: z.string().describe('SHA-256 of the document'),
    fonts: z.array(fontRefSchema),
  }),
  values: z
    .object({
      fields: z.record(z.string(), z.unknown()).optional(),
      durations: z.record(z.string(), z.number()).optional(),
      scenes: z.array(z.object({ id: z.string(), block: z.string().optional() })).optional(),
    })
    .describe("The engine's FieldValues, as resolveComposition and prepareComposition take them"),
  scenes: z
    .array(z.object({ id: z.string(), block: z.string(), duration_seconds: z.number() }))
    .describe('Every scene in order with its length'),
  file_ids: z.array(z.uuid()).describe('Uploaded files the values reference (as `file:<id>`)'),
});

/**
 * Routes for other platform services (signed; the gateway never exposes them). A project is read for
 * the tenant of the principal the caller acts for, as if that principal asked.
 */
export function registerInternalRoutes(app: HttpServer, ctx: ServiceContext, projects: ProjectService): void {
  const principalOf = (req: FastifyRequest) => {
    const principal = requireInternal(req, ctx.secret);
    if (!principal)
      throw new HttpError(401, 'principal_required', 'Internal project reads act for a principal; send one.');
    return principal;
  };

  app.get(
    '/internal/projects/:id',
    {
      onRequest: async (req) => {
        principalOf(req);
      },
      schema: { hide: true, params: projectParams, response: { 200: renderViewSchema } },
    },
    async (req) => {
      const view = await projects.renderView(principalOf(req), req.params.id);
      const { version } = view.loaded;
      return {
        project: projectView(view.project),
        template: {
          template_id: version.template_id,
          version: version.version,
          engine: version.engine,
          document_key: version.document_key,
          content_hash: version.content_hash,
          fonts: version.fonts,
        },
        values: {
          ...(Object.keys(view.values.fields).length ? { fields: view.values.fields } : {}),
          ...(Object.keys(view.values.durations).length ? { durations: view.values.durations } : {}),
          ...(view.values.scenes ? { scenes: view.values.scenes } : {}),
        },
        scenes: view.scenes,
        file_ids: view.file_ids,
      };
    },
  );
}
