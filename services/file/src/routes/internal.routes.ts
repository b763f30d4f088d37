import { blobKeySchema, FILE_KINDS, FILE_PURPOSES, sha256Schema } from '@flatrender/contracts';
import {
  HttpError,
  type HttpServer,
  notFound,
  requireInternal,
  type ServiceContext,
} from '@flatrender/platform';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FileRecord, FileRepository } from '../file.repository';
import type { FileLifecycle } from '../file-lifecycle';

export interface InternalRoutesDeps {
  ctx: ServiceContext;
  files: FileRepository;
  lifecycle: FileLifecycle;
}

const registerBody = z.strictObject({
  tenant_id: z.uuid().describe('Tenant the output belongs to'),
  file_id: z.uuid().describe('File id allocated by render'),
  kind: z.literal('render_output').default('render_output').describe('Only render outputs are registered'),
  blob_key: blobKeySchema,
  mime: z.string().min(3).max(100),
  size_bytes: z.int().min(0),
  content_hash: sha256Schema,
  width: z.int().min(1).nullable().default(null),
  height: z.int().min(1).nullable().default(null),
  duration_seconds: z.number().min(0).nullable().default(null),
  name: z.string().min(1).max(255).optional().describe('Name offered on download'),
  job_id: z.uuid().optional().describe('Render job (or snapshot) that made it'),
});

const internalFileSchema = z.object({
  id: z.uuid(),
  tenant_id: z.uuid(),
  purpose: z.enum(FILE_PURPOSES),
  kind: z.enum(FILE_KINDS),
  mime: z.string(),
  original_name: z.string(),
  size_bytes: z.int(),
  content_hash: z.string(),
  blob_key: z.string(),
  width: z.int().nullable(),
  height: z.int().nullable(),
  duration_seconds: z.number().nullable(),
  details: z.record(z.string(), z.unknown()),
  variants: z.array(
    z.object({
      name: z.string(),
      blob_key: z.string(),
      mime: z.string(),
      width: z.int(),
      height: z.int(),
      size_bytes: z.int(),
    }),
  ),
  status: z.enum(['ready', 'deleting']),
  created_at: z.iso.datetime(),
});

function internalView(file: FileRecord): z.infer<typeof internalFileSchema> {
  return {
    id: file.id,
    tenant_id: file.tenantId,
    purpose: file.purpose,
    kind: file.kind,
    mime: file.mime,
    original_name: file.originalName,
    size_bytes: file.sizeBytes,
    content_hash: file.contentHash,
    blob_key: file.blobKey,
    width: file.width,
    height: file.height,
    duration_seconds: file.durationSeconds,
    details: file.details,
    variants: file.variants,
    status: file.status,
    created_at: file.createdAt.toISOString(),
  };
}

/**
 * Service-to-service routes (signed by a platform process): render registers its outputs, render and
 * studio look up a file's blob and hash. With a principal the lookup is confined to its tenant.
 */
export function registerInternalRoutes(app: HttpServer, deps: InternalRoutesDeps): void {
  const { ctx, files, lifecycle } = deps;
  const db = ctx.db;
  if (!db) throw new Error('file service: no database');
  // Checked before the body is validated: an unsigned caller learns nothing about the schema.
  const internalOnly = async (request: FastifyRequest) => {
    requireInternal(request, ctx.secret);
  };

  app.post(
    '/internal/files',
    {
      onRequest: internalOnly,
      schema: {
        hide: true,
        body: registerBody,
        response: { 200: internalFileSchema, 201: internalFileSchema },
      },
    },
    async (request, reply) => {
      const principal = requireInternal(request, ctx.secret);
      const body = request.body as z.infer<typeof registerBody>;
      if (principal && principal.tenantId !== body.tenant_id) {
        throw new HttpError(
          403,
          'tenant_mismatch',
          'Field "tenant_id" must be the tenant of the principal.',
          'tenant_id',
        );
      }
      const blob = await ctx.blobs.head(body.blob_key);
      if (!blob)
        throw new HttpError(
          422,
          'blob_missing',
          `Field "blob_key": nothing is stored at ${body.blob_key}.`,
          'blob_key',
        );
      if (blob.size !== body.size_bytes) {
        throw new HttpError(
          422,
          'size_mismatch',
          `Field "size_bytes" is ${body.size_bytes} but the blob has ${blob.size} bytes.`,
          'size_bytes',
        );
      }
      const { file, created } = await db.asSystem((tx) =>
        lifecycle.registerRenderOutput(
          tx,
          body.tenant_id,
          {
            file_id: body.file_id,
            blob_key: body.blob_key,
            mime: body.mime,
            size_bytes: body.size_bytes,
            content_hash: body.content_hash,
            width: body.width,
            height: body.height,
            duration_seconds: body.duration_seconds,
            ...(body.name ? { name: body.name } : {}),
            ...(body.job_id ? { details: { job_id: body.job_id } } : {}),
          },
          { tenantId: body.tenant_id, ...(principal ? { userId: principal.userId } : {}) },
        ),
      );
      reply.code(created ? 201 : 200);
      return internalView(file);
    },
  );

  app.get(
    '/internal/files/:id',
    {
      onRequest: internalOnly,
      schema: { hide: true, params: z.object({ id: z.uuid() }), response: { 200: internalFileSchema } },
    },
    async (request) => {
      const principal = requireInternal(request, ctx.secret);
      const { id } = request.params as { id: string };
      const file = principal
        ? await db.withTenant(principal.tenantId, (tx) => files.find(tx, id))
        : await db.asSystem((tx) => files.find(tx, id));
      if (!file) throw notFound('The file');
      return internalView(file);
    },
  );
}
