import { type HttpServer, requireInternal, type ServiceContext } from '@flatrender/platform';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { LeaseService } from '../lease.service';

const itemParams = z.object({ id: z.uuid() });
const nodeFields = {
  node_id: z.uuid(),
  fencing_token: z
    .int()
    .min(1)
    .optional()
    .describe('The token of the message; stills (which carry none) may omit it'),
};
const claimBody = z.object(nodeFields);
const completeBody = z.object({
  ...nodeFields,
  output_key: z.string().min(1).max(1024),
  size_bytes: z.int().min(1),
  content_hash: z.string().regex(/^[a-f0-9]{64}$/),
  probe: z
    .object({
      frames: z.int().min(0).optional(),
      duration_seconds: z.number().min(0).optional(),
      video_codec: z.string().nullable().optional(),
      width: z.int().nullable().optional(),
      height: z.int().nullable().optional(),
    })
    .optional(),
  render_ms: z.number().min(0).optional(),
});
const failBody = z.object({
  ...nodeFields,
  error_code: z.string().min(1).max(64),
  message: z.string().max(4000).default(''),
  retryable: z.boolean(),
});

/**
 * The lease protocol's routes for render nodes (signed internal calls; the gateway never exposes
 * them). 409 `stale_lease` tells a node to ack and drop its message; see docs/services/render.md.
 */
export function registerInternalRoutes(app: HttpServer, ctx: ServiceContext, leases: LeaseService): void {
  const internalOnly = async (req: FastifyRequest) => {
    requireInternal(req, ctx.secret);
  };

  app.post(
    '/internal/render/items/:id/claim',
    { onRequest: internalOnly, schema: { hide: true, params: itemParams, body: claimBody } },
    async (req) => leases.claim(req.params.id, req.body),
  );

  app.post(
    '/internal/render/items/:id/complete',
    { onRequest: internalOnly, schema: { hide: true, params: itemParams, body: completeBody } },
    async (req) => leases.complete(req.params.id, req.body),
  );

  app.post(
    '/internal/render/items/:id/fail',
    { onRequest: internalOnly, schema: { hide: true, params: itemParams, body: failBody } },
    async (req) => {
      await leases.fail(req.params.id, req.body);
      return { status: 'recorded' };
    },
  );
}
