import { ConfigError, type ConfigOf, defineConfig, env, readConfig } from '@flatrender/platform';
import { z } from 'zod';

const ports = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return [80, 443, 8080, 8443];
    if (value === '*') return 'any' as const;
    const items = value.split(',').map((s) => Number(s.trim()));
    if (items.some((n) => !Number.isInteger(n) || n < 1 || n > 65535)) {
      ctx.addIssue({ code: 'custom', message: 'must be "*" or a comma list of port numbers' });
      return z.NEVER;
    }
    return [...new Set(items)];
  });

const vapidSubject = z
  .string()
  .regex(/^(mailto:|https:\/\/)/, 'must start with mailto: or https://')
  .default('mailto:admin@localhost');

/** The notification service's own settings: channels, their providers and the webhook policy. */
export const notificationConfigShape = defineConfig('notification', {
  smtpUrl: {
    env: 'SMTP_URL',
    doc: 'SMTP server for email (`smtp://user:pass@host:587`, `smtps://...:465`). Unset: mails are written as .eml files to NOTIFY_MAIL_DIR instead (the one-command mode).',
    schema: env.url(['smtp', 'smtps']).optional(),
    secret: true,
  },
  smtpFrom: {
    env: 'SMTP_FROM',
    doc: 'From address of every mail.',
    schema: z.string().min(3).default('FlatRender <no-reply@flatrender.local>'),
    defaultDoc: 'FlatRender <no-reply@flatrender.local>',
  },
  mailDir: {
    env: 'NOTIFY_MAIL_DIR',
    doc: 'Where mails go as .eml files when SMTP_URL is unset.',
    schema: z.string().min(1).optional(),
    defaultDoc: '$FLATRENDER_DATA_DIR/outbox-mail',
  },
  smsApiUrl: {
    env: 'SMS_API_URL',
    doc: 'Base URL of the Kavenegar-style SMS API (`<url>/v1/<key>/sms/send.json`).',
    schema: env.url(['http', 'https']).default('https://api.kavenegar.com'),
    defaultDoc: 'https://api.kavenegar.com',
  },
  smsApiKey: {
    env: 'SMS_API_KEY',
    doc: 'API key of the SMS provider. Unset: the SMS channel is off (no phone numbers are taken).',
    schema: z.string().min(1).optional(),
    secret: true,
  },
  smsSender: {
    env: 'SMS_SENDER',
    doc: 'Sender line number given to the SMS provider (its default line when unset).',
    schema: z.string().min(1).optional(),
  },
  telegramApiUrl: {
    env: 'TELEGRAM_API_URL',
    doc: 'Base URL of the Telegram Bot API (`<url>/bot<token>/sendMessage`).',
    schema: env.url(['http', 'https']).default('https://api.telegram.org'),
    defaultDoc: 'https://api.telegram.org',
  },
  telegramBotToken: {
    env: 'TELEGRAM_BOT_TOKEN',
    doc: 'Token of the bot. Unset: the Telegram channel is off.',
    schema: z.string().min(1).optional(),
    secret: true,
  },
  telegramBotUsername: {
    env: 'TELEGRAM_BOT_USERNAME',
    doc: 'Username of the bot, for the `https://t.me/<bot>?start=<code>` link shown when linking a chat.',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_]{5,32}$/, 'must be a Telegram username without @')
      .optional(),
  },
  telegramWebhookSecret: {
    env: 'TELEGRAM_WEBHOOK_SECRET',
    doc: 'Secret path part of the bot webhook `/v1/telegram/webhook/<secret>`, also expected as the `X-Telegram-Bot-Api-Secret-Token` header (give it to setWebhook as `secret_token`). Required with TELEGRAM_BOT_TOKEN.',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    secret: true,
  },
  vapidPublicKey: {
    env: 'VAPID_PUBLIC_KEY',
    doc: 'VAPID public key for web push (base64url). Unset: a key pair is generated at first start and kept in the database.',
    schema: z.string().min(40).optional(),
  },
  vapidPrivateKey: {
    env: 'VAPID_PRIVATE_KEY',
    doc: 'VAPID private key (base64url); set together with VAPID_PUBLIC_KEY.',
    schema: z.string().min(20).optional(),
    secret: true,
  },
  vapidSubject: {
    env: 'VAPID_SUBJECT',
    doc: 'Contact of the operator for push services (`mailto:` or `https:` URL).',
    schema: vapidSubject,
    defaultDoc: 'mailto:admin@localhost',
  },
  webhookAllowPrivate: {
    env: 'WEBHOOK_ALLOW_PRIVATE',
    doc: 'Lets webhooks and push endpoints reach loopback, private, link-local and CGNAT addresses (a trusted network only). The metadata address 169.254.169.254 stays refused.',
    schema: env.bool(false),
    defaultDoc: 'false',
  },
  webhookAllowedPorts: {
    env: 'WEBHOOK_ALLOWED_PORTS',
    doc: 'Ports webhook and push URLs may use (comma list), or `*` for any.',
    schema: ports,
    defaultDoc: '80,443,8080,8443',
  },
  webhookTimeoutMs: {
    env: 'WEBHOOK_TIMEOUT_MS',
    doc: 'Time a webhook or push endpoint has to answer; longer counts as a failed attempt (timeout).',
    schema: env.int(10_000, 100),
    defaultDoc: '10000',
  },
  webhookMaxAttempts: {
    env: 'WEBHOOK_MAX_ATTEMPTS',
    doc: 'Attempts of one webhook delivery before it is marked failed.',
    schema: env.int(6, 1),
    defaultDoc: '6',
  },
  webhookRetryBaseMs: {
    env: 'WEBHOOK_RETRY_BASE_MS',
    doc: 'Delay before the second attempt; each later one waits 4 times longer, with ±20 % jitter (12 s, 48 s, 3.2 min, 12.8 min, 51 min: six attempts over about 68 minutes).',
    schema: env.int(12_000, 1),
    defaultDoc: '12000',
  },
  webhookDisableAfter: {
    env: 'WEBHOOK_DISABLE_AFTER',
    doc: 'Deliveries in a row that failed for good before an endpoint is disabled (its owner is told).',
    schema: env.int(5, 1),
    defaultDoc: '5',
  },
  webhookSecretGraceHours: {
    env: 'WEBHOOK_SECRET_GRACE_HOURS',
    doc: 'How long the previous secret keeps signing (next to the new one) after a rotation, unless the request says otherwise.',
    schema: env.int(24, 0),
    defaultDoc: '24',
  },
  webhookLeaseMs: {
    env: 'WEBHOOK_LEASE_MS',
    doc: 'How long a dispatched attempt may stay unanswered (queued or running) before the scheduler dispatches it again.',
    schema: env.int(300_000, 1_000),
    defaultDoc: '300000',
  },
  outboundCaFile: {
    env: 'OUTBOUND_CA_FILE',
    doc: 'PEM file of extra certificate authorities trusted for webhook and push endpoints (a private PKI), next to the system ones.',
    schema: z.string().min(1).optional(),
  },
  schedulerIntervalMs: {
    env: 'NOTIFY_SCHEDULER_INTERVAL_MS',
    doc: 'How often due webhook retries, plan expiry reminders and notices waiting for a contact are processed.',
    schema: env.int(1_000, 10),
    defaultDoc: '1000',
  },
  planExpiryNoticeDays: {
    env: 'PLAN_EXPIRY_NOTICE_DAYS',
    doc: 'Days before the end of a paid period that the tenant owner is reminded (plan.expiring).',
    schema: env.int(3, 1),
    defaultDoc: '3',
  },
  timeZone: {
    env: 'NOTIFY_TIME_ZONE',
    doc: 'Time zone of dates in messages (IANA name).',
    schema: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Asia/Tehran')
      .default('Asia/Tehran'),
    defaultDoc: 'Asia/Tehran',
  },
});

export type NotificationConfig = ConfigOf<typeof notificationConfigShape>;

export function loadNotificationConfig(
  source: Readonly<Record<string, string | undefined>> = process.env,
): NotificationConfig {
  const config = readConfig(notificationConfigShape, source);
  if (config.telegramBotToken && !config.telegramWebhookSecret) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'is required when TELEGRAM_BOT_TOKEN is set');
  }
  if (Boolean(config.vapidPublicKey) !== Boolean(config.vapidPrivateKey)) {
    throw new ConfigError('VAPID_PRIVATE_KEY', 'must be set together with VAPID_PUBLIC_KEY');
  }
  return config;
}
