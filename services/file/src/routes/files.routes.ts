import multipart from '@fastify/multipart';
import { FILE_KINDS, FILE_PURPOSES } from '@flatrender/contracts';
import {
  badRequest,
  forbidden,
  HttpError,
  type HttpServer,
  notFound,
  requirePrincipal,
  type ServiceContext,
  signBlobUrl,
} from '@flatrender/platform';
import { z } from 'zod';
import { extensionOf, variantDownloadName } from '../domain/file-names';
import { UPLOAD_PURPOSES, type UploadPurpose } from '../domain/file-types';
import { decodeCursor, encodeCursor } from '../domain/list-cursor';
import { remainingBytes, usedPercent } from '../domain/quota';
import { isSuspended, largestUpload } from '../domain/tenant-policy';
import { UploadRefusedError } from '../domain/upload-refusal';
import type { FileConfig } from '../file.config';
import type { FileRepository } from '../file.repository';
import { type FileIntake, sizeLimits } from '../file-intake';
import type { FileLifecycle } from '../file-lifecycle';
import type { TenantPolicyRepository } from '../tenant-policy.repository';
import { fileView, fileViewSchema, refusalAsHttp } from './file-view';

export interface FileRoutesDeps {
  ctx: ServiceContext;
  config: FileConfig;
  files: FileRepository;
  policies: TenantPolicyRepository;
  intake: FileIntake;
  lifecycle: FileLifecycle;
  clock: () => Date;
}

const idParams = z.object({ id: z.uuid() });

const listQuery = z.object({
  kind: z.enum(FILE_KINDS).optional().describe('Only files of this kind'),
  purpose: z.enum(FILE_PURPOSES).optional().describe('Only files for this purpose'),
  mime: z
    .string()
    .regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'a media type such as image/png')
    .optional()
    .describe('Only files of this media type'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
});

const usageSchema = z.object({
  used_bytes: z.int(),
  quota_bytes: z.int(),
  remaining_bytes: z.int(),
  used_percent: z.number(),
  file_count: z.int(),
  max_upload_bytes: z.int().describe('Largest single upload the plan allows'),
  plan_code: z.string(),
  retention_days: z.int().describe('Days render outputs are kept'),
  suspended: z.boolean(),
});

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    details: z.unknown().optional(),
  }),
});

/** `/v1/files`: multipart upload, list, detail, usage, delete and signed downloads. */
export async function registerFileRoutes(app: HttpServer, deps: FileRoutesDeps): Promise<void> {
  const { ctx, config, files, policies, intake, lifecycle, clock } = deps;
  const db = ctx.db;
  if (!db) throw new Error('file service: no database');

  await app.register(multipart, { throwFileSizeLimit: true });

  app.post(
    '/v1/files',
    {
      schema: {
        summary: 'Upload a file (multipart/form-data, part "file")',
        description:
          'The type is taken from the content (PNG, JPEG, WebP, GIF, SVG, MP4, WebM, MP3, WAV, OGG, TTF, OTF, WOFF2); ' +
          'anything else is refused with 415. Images are re-encoded without metadata, SVGs sanitised.',
        tags: ['files'],
        consumes: ['multipart/form-data'],
        querystring: z.object({
          purpose: z
            .enum(UPLOAD_PURPOSES)
            .optional()
            .describe('What the file is for (or a "purpose" field before the file)'),
        }),
        response: {
          201: fileViewSchema,
          403: errorSchema,
          413: errorSchema,
          415: errorSchema,
          422: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request, { scope: 'files:write' });
      if (!request.isMultipart()) {
        throw new HttpError(
          415,
          'unsupported_media_type',
          'Send the file as multipart/form-data in a part named "file".',
          'file',
        );
      }
      try {
        const { policy } = await intake.precheck(principal.tenantId);
        const part = await request.file({
          limits: {
            fileSize: largestUpload(sizeLimits(config), policy),
            files: 1,
            fields: 4,
            fieldSize: 256,
            parts: 6,
          },
        });
        if (part?.fieldname !== 'file')
          throw badRequest('missing_file', 'The form has no part named "file".', 'file');
        const field = part.fields.purpose;
        const fieldValue =
          field && !Array.isArray(field) && field.type === 'field' ? String(field.value) : undefined;
        const purpose =
          (request.query as { purpose?: UploadPurpose }).purpose ?? fieldValue ?? 'project_asset';
        if (!(UPLOAD_PURPOSES as readonly string[]).includes(purpose)) {
          throw badRequest(
            'invalid_request',
            `Field "purpose" must be one of ${UPLOAD_PURPOSES.join(', ')}.`,
            'purpose',
          );
        }
        const record = await intake
          .accept({
            principal,
            source: part.file,
            originalName: part.filename,
            declaredMime: part.mimetype,
            purpose: purpose as UploadPurpose,
            via: 'multipart',
          })
          .catch((error: unknown) => {
            // The multipart parser stops at the largest upload the tenant may make.
            if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
              throw new UploadRefusedError(
                'too_large',
                `An upload may have at most ${largestUpload(sizeLimits(config), policy)} bytes.`,
              );
            }
            throw error;
          });
        reply.code(201);
        return fileView(record);
      } catch (error) {
        throw refusalAsHttp(error);
      }
    },
  );

  app.get(
    '/v1/files',
    {
      schema: {
        summary: "List the team's files, newest first",
        tags: ['files'],
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(fileViewSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request, { scope: 'files:read' });
      const query = request.query as z.infer<typeof listQuery>;
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (after === null)
        throw badRequest('invalid_cursor', 'Query "cursor" is not a cursor this API returned.', 'cursor');
      const page = await db.withTenant(principal.tenantId, (tx) =>
        files.list(tx, {
          limit: query.limit + 1,
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.purpose ? { purpose: query.purpose } : {}),
          ...(query.mime ? { mime: query.mime } : {}),
          ...(after ? { after } : {}),
        }),
      );
      const items = page.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(fileView),
        next_cursor:
          page.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
      };
    },
  );

  app.get(
    '/v1/files/usage',
    {
      schema: {
        summary: "The team's storage use and limits",
        tags: ['files'],
        response: { 200: usageSchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request, { scope: 'files:read' });
      const { policy, usage } = await db.withTenant(principal.tenantId, async (tx) => ({
        policy: await policies.get(tx, principal.tenantId),
        usage: await files.usage(tx, principal.tenantId),
      }));
      const figures = { usedBytes: usage.usedBytes, quotaBytes: policy.storageBytes };
      return {
        used_bytes: usage.usedBytes,
        quota_bytes: policy.storageBytes,
        remaining_bytes: remainingBytes(figures),
        used_percent: Math.round(usedPercent(figures) * 100) / 100,
        file_count: usage.fileCount,
        max_upload_bytes: largestUpload(sizeLimits(config), policy),
        plan_code: policy.planCode,
        retention_days: policy.retentionDays,
        suspended: isSuspended(policy, clock()),
      };
    },
  );

  app.get(
    '/v1/files/:id',
    { schema: { summary: 'A file', tags: ['files'], params: idParams, response: { 200: fileViewSchema } } },
    async (request) => {
      const principal = requirePrincipal(request, { scope: 'files:read' });
      const { id } = request.params as z.infer<typeof idParams>;
      const file = await db.withTenant(principal.tenantId, (tx) => files.find(tx, id));
      if (!file) throw notFound('The file');
      return fileView(file);
    },
  );

  app.delete(
    '/v1/files/:id',
    {
      schema: { summary: 'Delete a file (its storage is freed at once)', tags: ['files'], params: idParams },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request, { scope: 'files:write' });
      const { id } = request.params as z.infer<typeof idParams>;
      const deleted = await db.withTenant(principal.tenantId, (tx) =>
        lifecycle.markDeleted(tx, id, 'user', {
          actor: { tenantId: principal.tenantId, userId: principal.userId },
        }),
      );
      if (!deleted) throw notFound('The file');
      await lifecycle.removeBlobs([deleted]);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/files/:id/download',
    {
      schema: {
        summary: 'Download a file by a short-lived signed URL',
        description:
          'Redirects (302) to a signed URL that serves the file as an attachment with `X-Content-Type-Options: nosniff`; ' +
          'with `redirect=false` the URL is returned as JSON instead.',
        tags: ['files'],
        params: idParams,
        querystring: z.object({
          variant: z
            .enum(['thumbnail', 'preview'])
            .optional()
            .describe('A derived image instead of the file'),
          redirect: z
            .enum(['true', 'false'])
            .default('true')
            .transform((v) => v === 'true'),
        }),
        response: {
          200: z.object({ url: z.string(), expires_at: z.iso.datetime() }),
          302: z.undefined().describe('Location: the signed URL'),
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request, { scope: 'files:read' });
      const { id } = request.params as z.infer<typeof idParams>;
      const query = request.query as { variant?: 'thumbnail' | 'preview'; redirect: boolean };
      const { file, policy } = await db.withTenant(principal.tenantId, async (tx) => ({
        file: await files.find(tx, id),
        policy: await policies.get(tx, principal.tenantId),
      }));
      if (isSuspended(policy, clock()))
        throw forbidden('This team is suspended; downloads are refused.', 'tenant_suspended');
      if (!file) throw notFound('The file');
      let key = file.blobKey;
      let name = file.originalName;
      let mime = file.mime;
      if (query.variant) {
        const variant = file.variants.find((v) => v.name === query.variant);
        if (!variant) throw notFound(`The ${query.variant} of this file`);
        key = variant.blob_key;
        mime = variant.mime;
        name = variantDownloadName(file.originalName, variant.name, extensionOf(variant.mime));
      }
      const expiresAt = Math.floor(Date.now() / 1000) + config.downloadUrlSeconds;
      // Signed for our own /v1/blobs route whatever the store: only it can promise `nosniff`.
      const url = signBlobUrl(ctx.config.publicUrl, ctx.secret, {
        key,
        expiresAt,
        downloadName: name,
        contentType: mime,
      });
      reply.header('cache-control', 'no-store');
      if (query.redirect) return reply.code(302).header('location', url).send(undefined);
      return { url, expires_at: new Date(expiresAt * 1000).toISOString() };
    },
  );
}
