import {
  DELIVERY_CHANNELS,
  localeSchema,
  NOTIFICATION_CHANNELS,
  notificationKindSchema,
  WEBHOOK_ERROR_CODES,
  webhookEventKeySchema,
} from '@flatrender/contracts';
import { z } from 'zod';

/* The REST shapes of the notification service (they feed the OpenAPI document). */

const isoTime = z.string().describe('ISO 8601 time');
export const idParams = z.strictObject({ id: z.uuid().describe('Id') });
export const deliveryParams = z.strictObject({
  id: z.uuid().describe('Webhook endpoint id'),
  deliveryId: z.uuid().describe('Delivery id'),
});
const limit = z.coerce.number().int().min(1).max(100).default(20).describe('Page size (1-100)');
const cursor = z.string().min(1).max(200).optional().describe('`next_cursor` of the previous page');

export const inboxQuery = z.strictObject({
  limit,
  cursor,
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('Only unread notifications'),
});

export const notificationSchema = z.object({
  id: z.uuid(),
  kind: notificationKindSchema,
  locale: localeSchema,
  title: z.string(),
  body: z.string(),
  link: z.string().nullable().describe('Path in the web app'),
  channels: z.array(z.enum(NOTIFICATION_CHANNELS)).describe('Channels it went out on'),
  created_at: isoTime,
  read_at: isoTime.nullable(),
});

export const notificationDetailSchema = notificationSchema.extend({
  deliveries: z
    .array(
      z.object({
        channel: z.enum(DELIVERY_CHANNELS),
        state: z.enum(['pending', 'sending', 'sent', 'failed']),
        attempts: z.int(),
        error_code: z.string().nullable(),
        updated_at: isoTime,
      }),
    )
    .describe('What became of it on each channel'),
});

export const inboxPage = z.object({
  items: z.array(notificationSchema),
  next_cursor: z.string().nullable(),
  unread_count: z.int().describe('Unread notifications in this workspace'),
});

const channelChoices = z
  .strictObject(
    Object.fromEntries(DELIVERY_CHANNELS.map((c) => [c, z.boolean().optional()])) as Record<
      (typeof DELIVERY_CHANNELS)[number],
      z.ZodOptional<z.ZodBoolean>
    >,
  )
  .describe('Channels switched on (true) or off (false); unnamed ones keep their setting');

export const preferencesBody = z.strictObject({
  kinds: z.partialRecord(notificationKindSchema, channelChoices).describe('Choices per notification kind'),
});

export const preferencesSchema = z.object({
  kinds: z.array(
    z.object({
      kind: notificationKindSchema,
      configurable: z.boolean().describe('False for notices about the account itself, which are always sent'),
      channels: z.record(z.enum(DELIVERY_CHANNELS), z.boolean()),
    }),
  ),
  channels: z
    .record(
      z.enum(DELIVERY_CHANNELS),
      z.object({
        available: z.boolean().describe('The platform has this channel configured'),
        ready: z
          .boolean()
          .describe('You can be reached on it (verified address, linked chat, a subscribed browser)'),
      }),
    )
    .describe('In-app notifications are always on'),
  contact: z.object({
    email: z.string().nullable(),
    email_verified: z.boolean(),
    phone: z.string().nullable(),
    phone_verified: z.boolean(),
    telegram_linked: z.boolean(),
    push_subscriptions: z.int(),
  }),
});

export const unsubscribeQuery = z.strictObject({
  token: z.string().min(10).max(500).optional().describe('Token of the unsubscribe link'),
});
export const unsubscribeBody = z
  .object({
    token: z.string().min(10).max(500).optional(),
    'List-Unsubscribe': z.literal('One-Click').optional(),
  })
  .nullish();

export const phoneBody = z.strictObject({
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be a phone number in international form, such as +989121234567')
    .describe('Phone number (E.164)'),
});
export const phoneCodeBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code from the text message'),
});

export const telegramLinkSchema = z.object({
  code: z.string().describe('Send `/start <code>` to the bot'),
  expires_at: isoTime,
  bot_url: z
    .string()
    .nullable()
    .describe('Opens the bot with the code filled in (`https://t.me/<bot>?start=<code>`)'),
});

export const vapidKeySchema = z.object({
  public_key: z.string().describe('VAPID public key (base64url) for `applicationServerKey`'),
});

export const pushSubscriptionBody = z.strictObject({
  endpoint: z
    .url({ protocol: /^https$/, message: 'must be an https URL' })
    .max(2048)
    .describe('PushSubscription.endpoint'),
  keys: z.strictObject({
    p256dh: z
      .string()
      .regex(/^[A-Za-z0-9_-]{80,100}=*$/, 'must be the base64url P-256 public key of the subscription'),
    auth: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,32}=*$/, 'must be the base64url auth secret of the subscription'),
  }),
  user_agent: z.string().max(300).optional().describe('Shown in the list of subscribed browsers'),
});

export const pushSubscriptionSchema = z.object({
  id: z.uuid(),
  endpoint_origin: z
    .string()
    .describe('Origin of the push service (the full endpoint is a secret of the browser)'),
  user_agent: z.string().nullable(),
  created_at: isoTime,
  last_used_at: isoTime.nullable(),
});

const eventTypes = z
  .array(webhookEventKeySchema)
  .min(1)
  .max(20)
  .refine((a) => new Set(a).size === a.length, 'must not repeat an event type')
  .describe('Events delivered to the endpoint');

export const createWebhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }).max(2048),
  event_types: eventTypes,
  description: z.string().trim().min(1).max(200).optional(),
});

export const updateWebhookBody = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, message: 'must be an http or https URL' })
      .max(2048)
      .optional(),
    event_types: eventTypes.optional(),
    description: z.string().trim().min(1).max(200).nullable().optional(),
    enabled: z
      .boolean()
      .optional()
      .describe('true enables a disabled endpoint again (its failure count restarts)'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'nothing to change: send url, event_types, description or enabled',
  });

export const rotateBody = z
  .strictObject({
    grace_seconds: z
      .int()
      .min(0)
      .max(7 * 86_400)
      .optional()
      .describe(
        'How long the old secret keeps signing next to the new one (default WEBHOOK_SECRET_GRACE_HOURS)',
      ),
  })
  .nullish();

export const webhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  event_types: z.array(webhookEventKeySchema),
  enabled: z.boolean(),
  disabled_at: isoTime.nullable(),
  disabled_reason: z.string().nullable(),
  consecutive_failures: z.int().describe('Deliveries in a row that failed for good'),
  previous_secret_expires_at: isoTime
    .nullable()
    .describe('Until then the previous secret signs too (after a rotation)'),
  created_at: isoTime,
  updated_at: isoTime,
});
export const webhookWithSecretSchema = webhookSchema.extend({
  secret: z.string().describe('Signing secret (`whsec_...`); shown only now'),
});
export const webhookPage = z.object({ items: z.array(webhookSchema), next_cursor: z.string().nullable() });

export const jobCallbacksSchema = z.object({
  id: z.uuid().describe('Webhook id of deliveries to render jobs’ `webhook_url` (their delivery log)'),
  previous_secret_expires_at: isoTime.nullable(),
  created_at: isoTime,
  updated_at: isoTime,
});
export const jobCallbacksWithSecretSchema = jobCallbacksSchema.extend({
  secret: z.string().describe('Signing secret (`whsec_...`); shown only now'),
});

export const deliveriesQuery = z.strictObject({
  limit,
  cursor,
  state: z.enum(['pending', 'succeeded', 'failed', 'cancelled']).optional(),
});

export const deliverySchema = z.object({
  id: z.uuid(),
  webhook_id: z.uuid(),
  event_id: z.uuid(),
  event_type: webhookEventKeySchema,
  url: z.string(),
  state: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
  attempts: z.int(),
  next_attempt_at: isoTime.nullable().describe('When the next attempt is due (pending deliveries)'),
  last_status_code: z.int().nullable(),
  last_error_code: z.enum(WEBHOOK_ERROR_CODES).nullable(),
  replay_of: z.uuid().nullable(),
  created_at: isoTime,
  completed_at: isoTime.nullable(),
  attempt_log: z.array(
    z.object({
      attempt: z.int(),
      status_code: z.int().nullable(),
      error_code: z.enum(WEBHOOK_ERROR_CODES).nullable(),
      error_message: z.string().nullable(),
      duration_ms: z.int().describe('Time until the answer (or the failure)'),
      attempted_at: isoTime,
    }),
  ),
});
export const deliveryPage = z.object({ items: z.array(deliverySchema), next_cursor: z.string().nullable() });
