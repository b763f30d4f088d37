// Deliveries on `flatrender.notify`, one queue per channel. A channel worker only delivers: what to
// send is decided before dispatch. Two sources exist: stored notifications (written by the
// notification service, content already rendered in the recipient's language) and transactional
// mail that identity dispatches straight to `notify.channel.email` (a template kind and its params;
// password reset, team invitation, verification resend), for which no catalog event exists.
import { z } from 'zod';
import { defineMessage } from '../catalog';
import { httpUrlSchema, localeSchema, timestampSchema, uuidSchema } from '../common.schemas';
import { envelopeSchema } from '../envelope';
import { notificationKindSchema } from '../events/notification.events';
import { webhookEventKeySchema } from '../events/tenant.events';
import { TENANT_ROLES } from '../vocabulary';

const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .describe(
    'The worker delivers at most once per key: `<notification_id>:<channel>` for stored notifications, `<kind>:<token id>:email` for transactional mail, the delivery id for webhooks',
  );

const storedFields = {
  source: z.literal('notification').describe('A stored notification'),
  notification_id: uuidSchema.describe('Notification id'),
  idempotency_key: idempotencyKey,
  kind: notificationKindSchema.describe('What it is about'),
  locale: localeSchema.describe('Language the content is written in'),
  recipient_user_id: uuidSchema.describe('User it is for'),
};

const emailRecipientSchema = z.strictObject({
  email: z.email().max(254).describe('Address to send to'),
  name: z.string().min(1).max(100).nullable().describe('Display name for the To header'),
});

const tokenParams = {
  display_name: z.string().min(1).max(100).describe('Name to greet the recipient with'),
  token: z
    .string()
    .min(32)
    .max(256)
    .describe('One-time secret for the link; the sender stores only its hash'),
  expires_at: timestampSchema.describe('The link stops working after this time'),
};

/** Transactional mail templates identity may dispatch without a stored notification. */
export const transactionalTemplateSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('account.verify_email').describe('Verification link (resend)'),
    params: z.strictObject(tokenParams).describe('Values the template needs'),
  }),
  z.strictObject({
    kind: z.literal('account.password_reset').describe('Password reset link'),
    params: z.strictObject(tokenParams).describe('Values the template needs'),
  }),
  z.strictObject({
    kind: z.literal('team.invitation').describe('Invitation to join a tenant'),
    params: z
      .strictObject({
        invitation_id: uuidSchema.describe('Invitation id (identity)'),
        token: tokenParams.token,
        expires_at: tokenParams.expires_at,
        tenant_name: z.string().min(1).max(100).describe('Tenant the recipient is invited to'),
        inviter_name: z.string().min(1).max(100).describe('Member who invited'),
        role: z.enum(TENANT_ROLES).exclude(['owner']).describe('Role offered'),
      })
      .describe('Values the template needs'),
  }),
]);
export const TRANSACTIONAL_KINDS = transactionalTemplateSchema.options.map((o) => o.shape.kind.value);

export const notifyEmailSchema = z.discriminatedUnion('source', [
  z.strictObject({
    ...storedFields,
    channel: z.literal('email').describe('Channel'),
    recipient: emailRecipientSchema.describe('Recipient'),
    content: z
      .strictObject({
        subject: z.string().min(1).max(200).describe('Subject line'),
        text: z.string().min(1).max(20_000).describe('Plain-text body'),
        html: z.string().min(1).max(200_000).nullable().describe('HTML body; null = text only'),
      })
      .describe('Rendered message'),
  }),
  z.strictObject({
    source: z.literal('transactional').describe('Transactional mail sent on behalf of identity'),
    idempotency_key: idempotencyKey,
    locale: localeSchema.describe('Language to render the template in'),
    channel: z.literal('email').describe('Channel'),
    recipient: emailRecipientSchema.describe('Recipient'),
    recipient_user_id: uuidSchema
      .nullable()
      .describe('User it is for; null when the recipient has no account yet'),
    template: transactionalTemplateSchema.describe('Template kind and its params'),
  }),
]);

export const notifyPushSchema = z.strictObject({
  ...storedFields,
  channel: z.literal('push').describe('Channel'),
  recipient: z
    .strictObject({
      subscription_id: uuidSchema.describe('Stored push subscription'),
      endpoint: z
        .url({ protocol: /^https$/ })
        .max(2048)
        .describe('Push service endpoint of the subscription'),
      keys: z
        .strictObject({
          p256dh: z.string().min(1).max(200).describe('Public key of the browser (base64url)'),
          auth: z.string().min(1).max(100).describe('Authentication secret of the subscription (base64url)'),
        })
        .describe('Encryption keys of the subscription'),
    })
    .describe('Web push subscription'),
  content: z
    .strictObject({
      title: z.string().min(1).max(200).describe('Title'),
      body: z.string().min(1).max(1000).describe('Body'),
      link: z
        .string()
        .regex(/^\/[^/]/)
        .max(500)
        .nullable()
        .describe('Path in the web app opened on click'),
    })
    .describe('Rendered message'),
  ttl_seconds: z.int().min(0).max(2_419_200).describe('How long the push service may hold it'),
});

export const notifySmsSchema = z.strictObject({
  ...storedFields,
  channel: z.literal('sms').describe('Channel'),
  recipient: z
    .strictObject({
      phone: z
        .string()
        .regex(/^\+[1-9]\d{6,14}$/, 'E.164')
        .describe('Phone number in E.164'),
    })
    .describe('Recipient'),
  content: z
    .strictObject({ text: z.string().min(1).max(1000).describe('Message text') })
    .describe('Rendered message'),
});

export const notifyTelegramSchema = z.strictObject({
  ...storedFields,
  channel: z.literal('telegram').describe('Channel'),
  recipient: z
    .strictObject({
      chat_id: z
        .string()
        .regex(/^-?\d{1,20}$/, 'Telegram chat id')
        .describe('Telegram chat id'),
    })
    .describe('Recipient'),
  content: z
    .strictObject({
      text: z.string().min(1).max(4096).describe('Message text'),
      link: httpUrlSchema.nullable().describe('Absolute link shown as a button'),
    })
    .describe('Rendered message'),
});

export const notifyWebhookSchema = z.strictObject({
  channel: z.literal('webhook').describe('Channel'),
  idempotency_key: idempotencyKey,
  delivery_id: uuidSchema.describe('Delivery id, sent to the endpoint as `X-FlatRender-Delivery`'),
  webhook_id: uuidSchema.describe('Webhook endpoint; its signing secret stays in the notification database'),
  url: httpUrlSchema.describe(
    'Endpoint URL; the worker resolves it and refuses private and loopback addresses',
  ),
  attempt: z.int().min(1).describe('Attempt number (1 on first dispatch)'),
  event: envelopeSchema
    .extend({
      event_type: webhookEventKeySchema.describe('Routing key of the event (one a webhook can subscribe to)'),
    })
    .describe('The event envelope POSTed as the request body, unchanged'),
});

export const NOTIFY_DISPATCH = {
  'notify.channel.push': defineMessage({
    key: 'notify.channel.push',
    kind: 'notify-dispatch',
    producers: ['notification'],
    consumers: ['notification'],
    description: 'Deliver a stored notification as a web push message to one subscription.',
    data: notifyPushSchema,
  }),
  'notify.channel.email': defineMessage({
    key: 'notify.channel.email',
    kind: 'notify-dispatch',
    producers: ['notification', 'identity'],
    consumers: ['notification'],
    description:
      'Deliver an email: a stored notification (from notification) or a transactional template with params (from identity).',
    data: notifyEmailSchema,
  }),
  'notify.channel.sms': defineMessage({
    key: 'notify.channel.sms',
    kind: 'notify-dispatch',
    producers: ['notification'],
    consumers: ['notification'],
    description: 'Deliver a stored notification as a text message.',
    data: notifySmsSchema,
  }),
  'notify.channel.telegram': defineMessage({
    key: 'notify.channel.telegram',
    kind: 'notify-dispatch',
    producers: ['notification'],
    consumers: ['notification'],
    description: 'Deliver a stored notification to a Telegram chat through the bot.',
    data: notifyTelegramSchema,
  }),
  'notify.channel.webhook': defineMessage({
    key: 'notify.channel.webhook',
    kind: 'notify-dispatch',
    producers: ['notification'],
    consumers: ['notification'],
    description: "POST one event to a tenant's webhook endpoint, signed with the endpoint secret.",
    data: notifyWebhookSchema,
  }),
} as const;
