import { Readable } from 'node:stream';
import {
  HttpError,
  type HttpServer,
  notFound,
  type Principal,
  requirePrincipal,
  type ServiceContext,
} from '@flatrender/platform';
import { Server } from '@tus/server';
import type { Upload } from '@tus/utils';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { UPLOAD_PURPOSES, type UploadPurpose } from '../domain/file-types';
import { largestUpload } from '../domain/tenant-policy';
import { UploadRefusedError } from '../domain/upload-refusal';
import type { FileConfig } from '../file.config';
import { type FileIntake, sizeLimits } from '../file-intake';
import { concatStreams } from '../processing/stream-tools';
import type { TenantPolicyRepository } from '../tenant-policy.repository';
import type { UploadRepository } from '../upload.repository';
import { BlobUploadStore, uploadCaller } from './blob-upload.store';

export const UPLOADS_PATH = '/v1/uploads';

export interface UploadRoutesDeps {
  ctx: ServiceContext;
  config: FileConfig;
  intake: FileIntake;
  uploads: UploadRepository;
  policies: TenantPolicyRepository;
  clock: () => Date;
}

interface TusError {
  status_code: number;
  body: string;
}

const TUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  403: 'invalid_request',
  404: 'not_found',
  409: 'offset_conflict',
  410: 'upload_expired',
  412: 'tus_version_required',
  413: 'too_large',
  460: 'checksum_mismatch',
  501: 'not_supported',
};

function errorBody(code: string, message: string, details?: unknown): string {
  return JSON.stringify({ error: { code, message, ...(details !== undefined ? { details } : {}) } });
}

/** Any error of a tus request as the platform's error body. */
function toTusError(error: unknown): TusError {
  if (error instanceof UploadRefusedError) {
    return { status_code: error.status, body: errorBody(error.code, error.message, error.details) };
  }
  if (error instanceof HttpError)
    return { status_code: error.statusCode, body: errorBody(error.code, error.message) };
  const tus = error as Partial<TusError>;
  if (typeof tus.status_code === 'number' && typeof tus.body === 'string') {
    if (tus.body.startsWith('{')) return tus as TusError;
    const code =
      TUS_CODES[tus.status_code] ?? (tus.status_code >= 500 ? 'internal_error' : 'invalid_request');
    return { status_code: tus.status_code, body: errorBody(code, tus.body.trim()) };
  }
  return { status_code: 500, body: errorBody('internal_error', 'Something went wrong on our side.') };
}

const uploadStatusSchema = z.object({
  id: z.uuid(),
  offset: z.int().min(0).describe('Bytes received'),
  length: z.int().min(0).describe('Bytes announced at creation'),
  status: z.enum(['receiving', 'processing', 'completed']),
  file_id: z.uuid().nullable().describe('The file it became (equal to the upload id) once completed'),
  expires_at: z.iso.datetime().describe('An unfinished upload is discarded after this'),
});

/**
 * Resumable uploads (tus 1.0 with creation, creation-with-upload, termination and expiration) at
 * `/v1/uploads`, handled by @tus/server over our `BlobUploadStore`. A complete upload goes through the
 * same intake as a multipart one; the file gets the upload's id. `Upload-Metadata` keys: `filename`,
 * `filetype` (both only informative) and `purpose` (default `project_asset`).
 */
export async function registerUploadRoutes(app: HttpServer, deps: UploadRoutesDeps): Promise<void> {
  const { ctx, intake, uploads, policies, clock, config } = deps;
  const db = ctx.db;
  if (!db) throw new Error('file service: no database');
  const caller = (): Principal => {
    const store = uploadCaller.getStore();
    if (!store) throw new Error('tus hook outside a request');
    return store.principal;
  };
  const expiryMs = config.uploadExpiryHours * 3600 * 1000;

  const tus = new Server({
    path: UPLOADS_PATH,
    datastore: new BlobUploadStore({ ctx, uploads, expiryMs, tempDir: config.tempDir, clock }),
    relativeLocation: true,
    disableTerminationForFinishedUploads: true,
    namingFunction: () => crypto.randomUUID(),
    maxSize: async () => {
      const { tenantId } = caller();
      const policy = await db.withTenant(tenantId, (tx) => policies.get(tx, tenantId));
      return largestUpload(sizeLimits(config), policy);
    },
    onUploadCreate: async (_req, upload: Upload) => {
      const purpose = upload.metadata?.purpose ?? 'project_asset';
      if (!(UPLOAD_PURPOSES as readonly string[]).includes(purpose)) {
        throw {
          status_code: 400,
          body: errorBody(
            'invalid_request',
            `Upload-Metadata "purpose" must be one of ${UPLOAD_PURPOSES.join(', ')}.`,
          ),
        } satisfies TusError;
      }
      try {
        await intake.precheck(caller().tenantId, upload.size);
      } catch (error) {
        throw toTusError(error);
      }
      return { metadata: { ...upload.metadata, purpose } };
    },
    onUploadFinish: async (_req, upload: Upload) => {
      const principal = caller();
      const { tenantId } = principal;
      const claimed = await db.withTenant(tenantId, async (tx) => {
        if (!(await uploads.claimFinish(tx, upload.id, clock()))) return null;
        return { session: await uploads.find(tx, upload.id), parts: await uploads.parts(tx, upload.id) };
      });
      if (!claimed?.session) {
        throw {
          status_code: 409,
          body: errorBody('upload_finishing', 'This upload is already being completed.'),
        };
      }
      const { session, parts } = claimed;
      const dropParts = async () => {
        for (const part of parts) await ctx.blobs.delete(part.blobKey).catch(() => undefined);
      };
      try {
        const file = await intake.accept({
          principal,
          source: concatStreams(parts.map((part) => () => ctx.blobs.get(part.blobKey))),
          originalName: session.originalName,
          declaredMime: session.declaredMime,
          purpose: session.purpose as UploadPurpose,
          via: 'tus',
          fileId: session.id,
        });
        await db.withTenant(tenantId, (tx) => uploads.complete(tx, session.id, file.id, clock()));
        await dropParts();
        return { headers: { 'Upload-File-Id': file.id } };
      } catch (error) {
        // A refused upload keeps nothing: no pieces, no upload, no file.
        await dropParts();
        await db.withTenant(tenantId, (tx) => uploads.remove(tx, session.id));
        throw toTusError(error);
      }
    },
    onResponseError: (_req, error) => {
      const mapped = toTusError(error);
      if (mapped.status_code >= 500) ctx.logger.error({ err: error }, 'resumable upload failed');
      return mapped;
    },
  });

  // PATCH (and creation-with-upload POST) bodies stay unread streams for the tus server.
  app.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) =>
    done(null, undefined),
  );

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = requirePrincipal(request, { scope: 'files:write' });
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = request.headers['content-type']?.startsWith('application/offset+octet-stream') ?? false;
    const webRequest = new Request(`http://${request.headers.host ?? 'localhost'}${request.url}`, {
      method: request.method,
      headers,
      ...(hasBody ? { body: Readable.toWeb(request.raw) as ReadableStream, duplex: 'half' } : {}),
    } as RequestInit);
    const response = await uploadCaller.run({ principal }, () => tus.handleWeb(webRequest));
    reply.code(response.status);
    response.headers.forEach((value, name) => {
      // CORS is the platform's business (its allowed origins), not the tus server's `*`.
      if (name === 'access-control-allow-origin' || name === 'content-length') return;
      reply.header(name, value);
    });
    const text = response.body ? await response.text() : '';
    if (response.status >= 400) {
      // The tus server answers a few protocol errors itself, in plain text, without asking onResponseError.
      const error = toTusError({ status_code: response.status, body: text || 'Request refused.' });
      return reply.header('content-type', 'application/json; charset=utf-8').send(error.body);
    }
    return reply.send(text || undefined);
  };

  app.route({ method: ['POST'], url: UPLOADS_PATH, schema: { hide: true }, handler: handle });
  app.route({
    method: ['HEAD', 'PATCH', 'DELETE'],
    url: `${UPLOADS_PATH}/:id`,
    schema: { hide: true },
    handler: handle,
  });

  app.get(
    `${UPLOADS_PATH}/:id`,
    {
      // HEAD of this path is the tus offset request above.
      exposeHeadRoute: false,
      schema: {
        summary: 'Status of a resumable upload',
        tags: ['files'],
        params: z.object({ id: z.uuid() }),
        response: { 200: uploadStatusSchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request, { scope: 'files:read' });
      const { id } = request.params as { id: string };
      const session = await db.withTenant(principal.tenantId, (tx) => uploads.find(tx, id));
      if (!session) throw notFound('The upload');
      return {
        id: session.id,
        offset: session.offsetBytes,
        length: session.sizeBytes,
        status: session.completedAt ? 'completed' : session.finishingAt ? 'processing' : 'receiving',
        file_id: session.fileId,
        expires_at: new Date(session.createdAt.getTime() + expiryMs).toISOString(),
      } as const;
    },
  );
}
