import { z } from 'zod';
import { defineMessage } from '../catalog';
import { localeSchema, timestampSchema, uuidSchema } from '../common.schemas';
import { DELIVERY_CHANNELS, NOTIFICATION_KINDS } from '../vocabulary';

export const notificationKindSchema = z.enum(NOTIFICATION_KINDS);

/** Where a user can be reached: the in-app inbox and the delivery channels of `flatrender.notify`. */
export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'sms', 'telegram', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const DELIVERY_ERROR_CODES = [
  'invalid_recipient',
  'bounced',
  'rejected',
  'unsubscribed',
  'rate_limited',
  'provider_error',
  'timeout',
  'template_error',
] as const;

const deliveryRef = {
  notification_id: uuidSchema
    .nullable()
    .describe('Stored notification; null for transactional mail sent by identity'),
  idempotency_key: z
    .string()
    .min(1)
    .max(200)
    .describe('Key of the delivery (one per notification and channel)'),
  channel: z.enum(DELIVERY_CHANNELS).describe('Channel used'),
  kind: notificationKindSchema.describe('What it was about'),
  attempts: z.int().min(1).describe('Delivery attempts made'),
};

export const NOTIFICATION_EVENTS = {
  'notification.created.v1': defineMessage({
    key: 'notification.created.v1',
    kind: 'event',
    producers: ['notification'],
    consumers: ['gateway'],
    description:
      "A notification was stored in a user's inbox and its deliveries dispatched; the gateway pushes it to the user's open sessions.",
    data: z.strictObject({
      notification_id: uuidSchema.describe('Notification id'),
      recipient_user_id: uuidSchema.describe('User it is for'),
      kind: notificationKindSchema.describe('What it is about'),
      locale: localeSchema.describe('Language it was written in'),
      title: z.string().min(1).max(200).describe('Short title, rendered in `locale`'),
      body: z.string().min(1).max(2000).describe('Plain text, rendered in `locale`'),
      link: z
        .string()
        .regex(/^\/[^/]/, 'path within the web app')
        .max(500)
        .nullable()
        .describe('Path in the web app it points to (`/renders/<id>`)'),
      channels: z.array(z.enum(NOTIFICATION_CHANNELS)).min(1).describe('Channels it goes out on'),
      cause_event_id: uuidSchema.nullable().describe('`event_id` of the event that caused it, if any'),
      created_at: timestampSchema.describe('When it was stored'),
    }),
  }),
  'notification.delivered.v1': defineMessage({
    key: 'notification.delivered.v1',
    kind: 'event',
    producers: ['notification'],
    consumers: [],
    description:
      'A provider accepted a notification for delivery on one channel (for audit and delivery statistics).',
    data: z.strictObject({
      ...deliveryRef,
      provider_message_id: z
        .string()
        .max(200)
        .nullable()
        .describe("Provider's id of the message, if it gives one"),
      delivered_at: timestampSchema.describe('When the provider accepted it'),
    }),
  }),
  'notification.failed.v1': defineMessage({
    key: 'notification.failed.v1',
    kind: 'event',
    producers: ['notification'],
    consumers: [],
    description:
      'Delivery of a notification on one channel failed for good (for audit and delivery statistics).',
    data: z.strictObject({
      ...deliveryRef,
      error_code: z.enum(DELIVERY_ERROR_CODES).describe('Why it failed'),
      error_message: z.string().min(1).max(1000).describe("Provider's or worker's message"),
      permanent: z
        .boolean()
        .describe('The address is unusable (stop using it), as opposed to a give-up after retries'),
      failed_at: timestampSchema.describe('When it was given up'),
    }),
  }),
} as const;
