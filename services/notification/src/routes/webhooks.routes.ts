import type { WebhookEventKey } from '@flatrender/contracts';
import {
  badRequest,
  conflict,
  type HttpServer,
  notFound,
  requirePrincipal,
  type ScopedDatabase,
} from '@flatrender/platform';
import { decodeCursor, encodeCursor } from '../domain/page-cursor';
import type { WebhookErrorCode } from '../domain/webhook-retry';
import { BlockedTargetError, type OutboundHttp } from '../http/outbound-http';
import type { NotificationConfig } from '../notification.config';
import type { NotificationDb, NotificationTx } from '../notification.db';
import {
  type AttemptRow,
  attemptsOf,
  cancelPending,
  type DeliveryRow,
  deleteEndpoint,
  type EndpointRow,
  findDelivery,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  updateEndpoint,
} from '../webhooks/webhook.repository';
import type { WebhookService } from '../webhooks/webhook.service';
import {
  createWebhookBody,
  deliveriesQuery,
  deliveryPage,
  deliveryParams,
  deliverySchema,
  idParams,
  jobCallbacksSchema,
  jobCallbacksWithSecretSchema,
  rotateBody,
  updateWebhookBody,
  webhookPage,
  webhookSchema,
  webhookWithSecretSchema,
} from './schemas';

interface Deps {
  db: ScopedDatabase<NotificationDb>;
  config: NotificationConfig;
  webhooks: WebhookService;
  http: OutboundHttp;
}

const TAGS = ['webhooks'];
const READ = { scope: 'webhooks:read' } as const;
const WRITE = { scope: 'webhooks:write' } as const;

function endpointView(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url ?? '',
    description: row.description,
    event_types: row.event_types as WebhookEventKey[],
    enabled: row.enabled,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    disabled_reason: row.disabled_reason,
    consecutive_failures: row.consecutive_failures,
    previous_secret_expires_at: previousExpiry(row),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function previousExpiry(row: EndpointRow): string | null {
  const at = row.previous_secret_expires_at;
  return row.previous_secret_enc && at && at > new Date() ? at.toISOString() : null;
}

function jobCallbacksView(row: EndpointRow) {
  return {
    id: row.id,
    previous_secret_expires_at: previousExpiry(row),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function deliveryView(row: DeliveryRow, attempts: AttemptRow[]) {
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    event_type: row.event_type as WebhookEventKey,
    url: row.url,
    state: row.state,
    attempts: row.attempts,
    next_attempt_at: row.state === 'pending' ? (row.next_attempt_at?.toISOString() ?? null) : null,
    last_status_code: row.last_status_code,
    last_error_code: row.last_error_code as WebhookErrorCode | null,
    replay_of: row.replay_of,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
    attempt_log: attempts
      .filter((a) => a.delivery_id === row.id)
      .map((a) => ({
        attempt: a.attempt,
        status_code: a.status_code,
        error_code: a.error_code as WebhookErrorCode | null,
        error_message: a.error_message,
        duration_ms: a.duration_ms,
        attempted_at: a.attempted_at.toISOString(),
      })),
  };
}

/**
 * Tenant webhooks: endpoints with the events they want, secrets shown once and rotatable, the delivery
 * log and manual replay. Everything runs in the caller's tenant (row-level security): another tenant's
 * ids are simply not found.
 */
export function registerWebhookRoutes(app: HttpServer, deps: Deps): void {
  const { db, webhooks, config } = deps;

  /** Refuses a URL the platform would not deliver to, naming the reason. */
  const checkUrl = async (url: string) => {
    try {
      await deps.http.target(url);
    } catch (error) {
      if (error instanceof BlockedTargetError)
        throw badRequest('blocked_url', `body field "url": ${error.message}.`, 'url');
      throw error;
    }
  };

  const endpointOf = async (tx: NotificationTx, id: string, options: { forUpdate?: boolean } = {}) => {
    const row = await findEndpoint(tx, id, options);
    if (!row) throw notFound('Webhook', 'webhook_not_found');
    return row;
  };

  app.post(
    '/v1/webhooks',
    {
      schema: {
        tags: TAGS,
        summary: 'Register an endpoint; the answer carries its signing secret, shown only this once',
        body: createWebhookBody,
        response: { 201: webhookWithSecretSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, WRITE);
      await checkUrl(req.body.url);
      const { endpoint, secret } = await db.withTenant(principal.tenantId, (tx) =>
        webhooks.createEndpoint(tx, {
          tenantId: principal.tenantId,
          createdBy: principal.userId,
          url: req.body.url,
          eventTypes: req.body.event_types,
          description: req.body.description ?? null,
        }),
      );
      reply.code(201).header('location', `/v1/webhooks/${endpoint.id}`);
      return { ...endpointView(endpoint), secret };
    },
  );

  app.get(
    '/v1/webhooks',
    {
      schema: {
        tags: TAGS,
        summary: 'The endpoints of this workspace, oldest first',
        querystring: deliveriesQuery.pick({ limit: true, cursor: true }),
        response: { 200: webhookPage },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, READ);
      const after = req.query.cursor === undefined ? undefined : decodeCursor('webhooks', req.query.cursor);
      if (req.query.cursor !== undefined && after === undefined) {
        throw badRequest('invalid_cursor', 'query field "cursor": not a cursor of this list.', 'cursor');
      }
      const rows = await db.withTenant(principal.tenantId, (tx) =>
        listEndpoints(tx, { limit: req.query.limit + 1, ...(after ? { after } : {}) }),
      );
      const page = rows.slice(0, req.query.limit);
      const last = page.at(-1);
      return {
        items: page.map(endpointView),
        next_cursor: rows.length > req.query.limit && last ? encodeCursor('webhooks', last.seq) : null,
      };
    },
  );

  app.get(
    '/v1/webhooks/job-callbacks',
    {
      schema: {
        tags: TAGS,
        summary:
          'The signer of deliveries to render jobs’ own `webhook_url` (its id names their delivery log)',
        response: { 200: jobCallbacksSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, READ);
      const row = await db.withTenant(principal.tenantId, (tx) =>
        webhooks.jobCallbacks(tx, principal.tenantId, principal.userId),
      );
      return jobCallbacksView(row);
    },
  );

  app.post(
    '/v1/webhooks/job-callbacks/rotate-secret',
    {
      schema: {
        tags: TAGS,
        summary: 'A new secret for render jobs’ `webhook_url` deliveries, shown only this once',
        body: rotateBody,
        response: { 200: jobCallbacksWithSecretSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, WRITE);
      const grace = req.body?.grace_seconds ?? config.webhookSecretGraceHours * 3600;
      const { endpoint, secret } = await db.withTenant(principal.tenantId, async (tx) => {
        const current = await webhooks.jobCallbacks(tx, principal.tenantId, principal.userId);
        return webhooks.rotate(tx, current, grace);
      });
      return { ...jobCallbacksView(endpoint), secret };
    },
  );

  app.get(
    '/v1/webhooks/:id',
    { schema: { tags: TAGS, summary: 'An endpoint', params: idParams, response: { 200: webhookSchema } } },
    async (req) => {
      const principal = requirePrincipal(req, READ);
      const row = await db.withTenant(principal.tenantId, (tx) => endpointOf(tx, req.params.id));
      if (row.kind !== 'endpoint') throw notFound('Webhook', 'webhook_not_found');
      return endpointView(row);
    },
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change an endpoint, or enable a disabled one again',
        params: idParams,
        body: updateWebhookBody,
        response: { 200: webhookSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, WRITE);
      if (req.body.url !== undefined) await checkUrl(req.body.url);
      const row = await db.withTenant(principal.tenantId, async (tx) => {
        const current = await endpointOf(tx, req.params.id, { forUpdate: true });
        if (current.kind !== 'endpoint') throw notFound('Webhook', 'webhook_not_found');
        const { enabled, description, url, event_types } = req.body;
        const updated = await updateEndpoint(tx, current.id, {
          ...(url !== undefined ? { url } : {}),
          ...(event_types !== undefined ? { event_types } : {}),
          ...(description !== undefined ? { description } : {}),
          ...(enabled === true && !current.enabled
            ? { enabled: true, disabled_at: null, disabled_reason: null, consecutive_failures: 0 }
            : {}),
          ...(enabled === false && current.enabled
            ? { enabled: false, disabled_at: new Date(), disabled_reason: 'disabled by a member' }
            : {}),
        });
        if (enabled === false) await cancelPending(tx, current.id);
        return updated;
      });
      return endpointView(row);
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    { schema: { tags: TAGS, summary: 'Remove an endpoint and its delivery log', params: idParams } },
    async (req, reply) => {
      const principal = requirePrincipal(req, WRITE);
      const deleted = await db.withTenant(principal.tenantId, (tx) => deleteEndpoint(tx, req.params.id));
      if (!deleted) throw notFound('Webhook', 'webhook_not_found');
      reply.code(204);
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        tags: TAGS,
        summary:
          'A new signing secret, shown only this once; the old one keeps signing during the grace period',
        params: idParams,
        body: rotateBody,
        response: { 200: webhookWithSecretSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, WRITE);
      const grace = req.body?.grace_seconds ?? config.webhookSecretGraceHours * 3600;
      const { endpoint, secret } = await db.withTenant(principal.tenantId, async (tx) => {
        const current = await endpointOf(tx, req.params.id, { forUpdate: true });
        if (current.kind !== 'endpoint') throw notFound('Webhook', 'webhook_not_found');
        return webhooks.rotate(tx, current, grace);
      });
      return { ...endpointView(endpoint), secret };
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags: TAGS,
        summary:
          'The delivery log of an endpoint, newest first, with every attempt’s status and response time',
        params: idParams,
        querystring: deliveriesQuery,
        response: { 200: deliveryPage },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, READ);
      const before =
        req.query.cursor === undefined ? undefined : decodeCursor('deliveries', req.query.cursor);
      if (req.query.cursor !== undefined && before === undefined) {
        throw badRequest('invalid_cursor', 'query field "cursor": not a cursor of this list.', 'cursor');
      }
      return db.withTenant(principal.tenantId, async (tx) => {
        await endpointOf(tx, req.params.id);
        const rows = await listDeliveries(tx, req.params.id, {
          limit: req.query.limit + 1,
          ...(before ? { before } : {}),
          ...(req.query.state ? { state: req.query.state } : {}),
        });
        const page = rows.slice(0, req.query.limit);
        const attempts = await attemptsOf(
          tx,
          page.map((d) => d.id),
        );
        const last = page.at(-1);
        return {
          items: page.map((d) => deliveryView(d, attempts)),
          next_cursor: rows.length > req.query.limit && last ? encodeCursor('deliveries', last.seq) : null,
        };
      });
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries/:deliveryId',
    {
      schema: {
        tags: TAGS,
        summary: 'One delivery with its attempts',
        params: deliveryParams,
        response: { 200: deliverySchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, READ);
      return db.withTenant(principal.tenantId, async (tx) => {
        const delivery = await findDelivery(tx, req.params.deliveryId);
        if (!delivery || delivery.webhook_id !== req.params.id)
          throw notFound('Delivery', 'delivery_not_found');
        return deliveryView(delivery, await attemptsOf(tx, [delivery.id]));
      });
    },
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        tags: TAGS,
        summary: 'Send a delivered (or failed) event again, as a new delivery with the same `webhook-id`',
        params: deliveryParams,
        response: { 202: deliverySchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, WRITE);
      const replayed = await db.withTenant(principal.tenantId, async (tx) => {
        const delivery = await findDelivery(tx, req.params.deliveryId);
        if (!delivery || delivery.webhook_id !== req.params.id)
          throw notFound('Delivery', 'delivery_not_found');
        const endpoint = await endpointOf(tx, delivery.webhook_id);
        if (endpoint.kind === 'endpoint' && !endpoint.enabled) {
          throw conflict('webhook_disabled', 'The endpoint is disabled; enable it before replaying.');
        }
        return webhooks.replay(tx, delivery);
      });
      reply.code(202);
      return deliveryView(replayed, []);
    },
  );
}
