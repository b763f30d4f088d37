import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineService, type ScopedDatabase, type ServiceDefinition } from '@flatrender/platform';
import { channelWorkers } from './channels/channel-workers';
import { FileMailer } from './channels/file.mailer';
import { KavenegarSms } from './channels/kavenegar.sms';
import type { Mailer } from './channels/mailer';
import { SmtpMailer } from './channels/smtp.mailer';
import { TelegramBot } from './channels/telegram.bot';
import { generateVapidKeys, type VapidKeys, WebPushSender } from './channels/web-push.sender';
import { SecretBox } from './domain/secret-box';
import { eventHandlers } from './handlers/event.handlers';
import { OutboundHttp, type Resolver } from './http/outbound-http';
import { IdentityContacts } from './identity-contacts';
import { NoticeWriter } from './notices';
import { loadNotificationConfig, type NotificationConfig } from './notification.config';
import type { NotificationDb } from './notification.db';
import { NotificationScheduler } from './notification.scheduler';
import { settingOrCreate } from './push.repository';
import { RecipientDirectory } from './recipient-directory';
import { registerNotificationRoutes } from './routes/notifications.routes';
import { registerPushRoutes } from './routes/push.routes';
import { registerTelegramRoutes } from './routes/telegram.routes';
import { registerWebhookRoutes } from './routes/webhooks.routes';
import { UnsubscribeLinks } from './unsubscribe-links';
import { WebhookService } from './webhooks/webhook.service';
import { WebhookWorker } from './webhooks/webhook.worker';

export {
  loadNotificationConfig,
  type NotificationConfig,
  notificationConfigShape,
} from './notification.config';

export interface NotificationServiceOptions {
  /** Environment the `notification` config section is read from (default the process's). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Name resolution of webhook and push hosts (tests answer with chosen addresses). */
  resolver?: Resolver;
  /** Jitter source of webhook retry delays (tests pin it). */
  random?: () => number;
  /** Receives the scheduler once the service is set up (tests run passes on demand). */
  onScheduler?: (scheduler: NotificationScheduler) => void;
}

/**
 * The notification service: turns events into notices (inbox, `notification.created.v1`) and delivers
 * them on the channels each user chose (email, SMS, Telegram, web push) through `flatrender.notify`,
 * delivers tenant webhooks signed per Standard Webhooks, and sends identity's transactional mail.
 */
export function createNotificationService(options: NotificationServiceOptions = {}): ServiceDefinition {
  return defineService({
    name: 'notification',
    schema: 'notification',
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    async setup(ctx) {
      const config: NotificationConfig = loadNotificationConfig({ ...process.env, ...options.env });
      if (!ctx.db) throw new Error('notification: needs a database');
      const db = ctx.db as unknown as ScopedDatabase<NotificationDb>;

      const http = new OutboundHttp(
        {
          allowPrivate: config.webhookAllowPrivate,
          allowedPorts: config.webhookAllowedPorts,
          timeoutMs: config.webhookTimeoutMs,
          ...(config.outboundCaFile ? { extraCa: readFileSync(config.outboundCaFile, 'utf8') } : {}),
        },
        options.resolver,
      );
      let mailer: Mailer;
      if (config.smtpUrl) mailer = new SmtpMailer(config.smtpUrl);
      else {
        const dir = config.mailDir ?? path.join(ctx.config.dataDir, 'outbox-mail');
        mailer = new FileMailer(dir);
        ctx.logger.info({ dir }, 'SMTP_URL is not set: mails are written as .eml files');
      }
      const sms = config.smsApiKey
        ? new KavenegarSms({
            baseUrl: config.smsApiUrl,
            apiKey: config.smsApiKey,
            ...(config.smsSender ? { sender: config.smsSender } : {}),
          })
        : null;
      const telegram = config.telegramBotToken
        ? new TelegramBot({ baseUrl: config.telegramApiUrl, token: config.telegramBotToken })
        : null;
      // Keys generated once and shared by every notification process through the database: browsers
      // subscribed with the public key, so it must never change by itself.
      const vapid: VapidKeys =
        config.vapidPublicKey && config.vapidPrivateKey
          ? { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey }
          : await db.asSystem((tx) => settingOrCreate<VapidKeys>(tx, 'vapid_keys', generateVapidKeys));
      const push = new WebPushSender({ ...vapid, subject: config.vapidSubject }, http);

      const unsubscribe = new UnsubscribeLinks(ctx.secret, ctx.config.publicUrl);
      const available = { email: true, sms: sms !== null, telegram: telegram !== null, push: true };
      const notices = new NoticeWriter({ ctx, config, unsubscribe, available });
      const webhooks = new WebhookService(ctx, config, new SecretBox(ctx.secret, 'webhook-secrets'));
      const identity = new IdentityContacts(ctx.internal);
      const recipients = new RecipientDirectory(db, identity);
      const scheduler = new NotificationScheduler({ ctx, db, config, webhooks, notices, identity });
      options.onScheduler?.(scheduler);
      const webhookWorker = new WebhookWorker({
        ctx,
        db,
        config,
        http,
        webhooks,
        notices,
        ...(options.random ? { random: options.random } : {}),
      });

      return {
        routes(app) {
          registerNotificationRoutes(app, { ctx, db, config, recipients, unsubscribe, sms, available });
          registerWebhookRoutes(app, { db, config, webhooks, http });
          registerPushRoutes(app, { db, push, http });
          registerTelegramRoutes(app, { ctx, db, config, bot: telegram, recipients });
        },
        events: eventHandlers({ ctx, notices, webhooks }),
        workers: [
          ...channelWorkers({ ctx, db, config, adapters: { mailer, sms, telegram, push }, unsubscribe }),
          webhookWorker.spec(),
        ],
        async start() {
          scheduler.start();
        },
        async stop() {
          await scheduler.stop();
          await mailer.close();
        },
      };
    },
  });
}

export const notificationService = createNotificationService();
