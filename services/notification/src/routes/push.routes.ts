import { randomUUID } from 'node:crypto';
import {
  badRequest,
  type HttpServer,
  notFound,
  requirePrincipal,
  type ScopedDatabase,
} from '@flatrender/platform';
import { z } from 'zod';
import type { WebPushSender } from '../channels/web-push.sender';
import { BlockedTargetError, type OutboundHttp } from '../http/outbound-http';
import type { NotificationDb } from '../notification.db';
import {
  deleteSubscription,
  type PushSubscriptionRow,
  subscriptionsOf,
  upsertSubscription,
} from '../push.repository';
import { idParams, pushSubscriptionBody, pushSubscriptionSchema, vapidKeySchema } from './schemas';

interface Deps {
  db: ScopedDatabase<NotificationDb>;
  push: WebPushSender;
  http: OutboundHttp;
}

const TAGS = ['notifications'];
const USER = { userOnly: true } as const;

function view(row: PushSubscriptionRow) {
  return {
    id: row.id,
    endpoint_origin: new URL(row.endpoint).origin,
    user_agent: row.user_agent,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
  };
}

/** Web push subscriptions of the signed-in user's browsers (the service worker registers them). */
export function registerPushRoutes(app: HttpServer, deps: Deps): void {
  const { db } = deps;

  app.get(
    '/v1/push-subscriptions/vapid-key',
    {
      schema: {
        tags: TAGS,
        summary: 'The VAPID public key browsers subscribe with (`applicationServerKey`)',
        response: { 200: vapidKeySchema },
      },
    },
    async (req) => {
      requirePrincipal(req, USER);
      return { public_key: deps.push.publicKey };
    },
  );

  app.post(
    '/v1/push-subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: 'Subscribe this browser to web push (the body is `PushSubscription.toJSON()`)',
        body: pushSubscriptionBody,
        response: { 201: pushSubscriptionSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, USER);
      try {
        // The endpoint is where the platform will POST: the same SSRF rules as webhooks apply.
        await deps.http.target(req.body.endpoint);
      } catch (error) {
        if (error instanceof BlockedTargetError) {
          throw badRequest('blocked_url', `body field "endpoint": ${error.message}.`, 'endpoint');
        }
        throw error;
      }
      const row = await db.asSystem((tx) =>
        upsertSubscription(tx, {
          id: randomUUID(),
          user_id: principal.userId,
          endpoint: req.body.endpoint,
          p256dh: req.body.keys.p256dh,
          auth: req.body.keys.auth,
          user_agent: req.body.user_agent ?? null,
        }),
      );
      reply.code(201).header('location', `/v1/push-subscriptions/${row.id}`);
      return view(row);
    },
  );

  app.get(
    '/v1/push-subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: 'Your browsers subscribed to web push',
        response: { 200: z.object({ items: z.array(pushSubscriptionSchema) }) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      return { items: (await db.asSystem((tx) => subscriptionsOf(tx, principal.userId))).map(view) };
    },
  );

  app.delete(
    '/v1/push-subscriptions/:id',
    { schema: { tags: TAGS, summary: 'Unsubscribe a browser', params: idParams } },
    async (req, reply) => {
      const principal = requirePrincipal(req, USER);
      const deleted = await db.asSystem((tx) => deleteSubscription(tx, principal.userId, req.params.id));
      if (!deleted) throw notFound('Push subscription', 'push_subscription_not_found');
      reply.code(204);
    },
  );
}
