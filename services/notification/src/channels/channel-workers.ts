import type { MessageData, NotificationKind } from '@flatrender/contracts';
import type { ScopedDatabase, ServiceContext, WorkerSpec } from '@flatrender/platform';
import { findRecipient, unlinkTelegramChat } from '../contacts.repository';
import { createFormatter } from '../domain/formatting';
import { KIND_POLICIES } from '../domain/kinds';
import { transactionalMail } from '../domain/mail-content';
import type { NotificationConfig } from '../notification.config';
import type { NotificationDb } from '../notification.db';
import { findSubscription, forgetSubscription, touchSubscription } from '../push.repository';
import type { UnsubscribeLinks } from '../unsubscribe-links';
import { giveUp } from './delivery-failure';
import { CHANNEL_MAX_RETRIES, DeliveryRunner } from './delivery-runner';
import type { Mailer } from './mailer';
import type { SmsProvider } from './sms-provider';
import type { TelegramBot } from './telegram.bot';
import type { WebPushSender } from './web-push.sender';

export interface ChannelAdapters {
  mailer: Mailer;
  sms: SmsProvider | null;
  telegram: TelegramBot | null;
  push: WebPushSender;
}

interface Deps {
  ctx: ServiceContext;
  db: ScopedDatabase<NotificationDb>;
  config: NotificationConfig;
  adapters: ChannelAdapters;
  unsubscribe: UnsubscribeLinks;
}

/** One worker per `notify.channel.*` queue except webhooks (see `WebhookWorker`). */
export function channelWorkers(deps: Deps): WorkerSpec[] {
  const { ctx, db, config, adapters } = deps;
  const runner = new DeliveryRunner(ctx, db);

  const email: WorkerSpec = {
    queue: 'notify.channel.email',
    prefetch: 4,
    maxRetries: CHANNEL_MAX_RETRIES,
    async handle(message) {
      const item = message.envelope.data as MessageData<'notify.channel.email'>;
      const kind: NotificationKind = item.source === 'notification' ? item.kind : item.template.kind;
      await runner.run(
        message,
        {
          idempotency_key: item.idempotency_key,
          notification_id: item.source === 'notification' ? item.notification_id : null,
          kind,
          channel: 'email',
          recipient_user_id: item.recipient_user_id,
        },
        async () => {
          const headers: Record<string, string> = {};
          let content: { subject: string; text: string; html: string | null };
          if (item.source === 'notification') {
            content = item.content;
            if (KIND_POLICIES[kind].configurable) {
              const url = deps.unsubscribe.url(item.recipient_user_id, kind);
              headers['List-Unsubscribe'] = `<${url}>`;
              headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
            }
          } else {
            const f = createFormatter(item.locale, config.timeZone);
            const mail = transactionalMail(item.template, item.recipient.name, ctx.config.webOrigin, f);
            content = mail;
            // The one-time link, readable without decoding the body (the one-command mode's .eml files).
            if (mail.actionUrl) headers['X-FlatRender-Action-Url'] = mail.actionUrl;
          }
          headers['X-FlatRender-Kind'] = kind;
          return deps.adapters.mailer.send({
            from: config.smtpFrom,
            to: { address: item.recipient.email, name: item.recipient.name },
            subject: content.subject,
            text: content.text,
            html: content.html,
            headers,
            idempotencyKey: item.idempotency_key,
          });
        },
      );
    },
  };

  const sms: WorkerSpec = {
    queue: 'notify.channel.sms',
    prefetch: 4,
    maxRetries: CHANNEL_MAX_RETRIES,
    async handle(message) {
      const item = message.envelope.data as MessageData<'notify.channel.sms'>;
      await runner.run(message, item, async () => {
        if (!adapters.sms) throw giveUp('provider_error', 'the SMS channel is not configured (SMS_API_KEY)');
        return adapters.sms.send(item.recipient.phone, item.content.text);
      });
    },
  };

  const telegram: WorkerSpec = {
    queue: 'notify.channel.telegram',
    prefetch: 4,
    maxRetries: CHANNEL_MAX_RETRIES,
    async handle(message) {
      const item = message.envelope.data as MessageData<'notify.channel.telegram'>;
      await runner.run(
        message,
        item,
        async () => {
          if (!adapters.telegram) {
            throw giveUp('provider_error', 'the Telegram channel is not configured (TELEGRAM_BOT_TOKEN)');
          }
          // The user may have unlinked the chat since the notice was written.
          const recipient = await db.asSystem((tx) => findRecipient(tx, item.recipient_user_id));
          if (recipient?.telegram_chat_id !== item.recipient.chat_id) {
            throw giveUp('unsubscribed', 'the Telegram chat was unlinked');
          }
          const label = item.locale === 'fa' ? 'باز کردن در فلت‌رندر' : 'Open in FlatRender';
          return adapters.telegram.sendMessage(
            item.recipient.chat_id,
            item.content.text,
            item.content.link ? { text: label, url: item.content.link } : null,
          );
        },
        (tx) => unlinkTelegramChat(tx, item.recipient.chat_id),
      );
    },
  };

  const push: WorkerSpec = {
    queue: 'notify.channel.push',
    prefetch: 4,
    maxRetries: CHANNEL_MAX_RETRIES,
    async handle(message) {
      const item = message.envelope.data as MessageData<'notify.channel.push'>;
      const subscriptionId = item.recipient.subscription_id;
      await runner.run(
        message,
        item,
        async () => {
          const current = await db.asSystem((tx) => findSubscription(tx, subscriptionId));
          if (!current) throw giveUp('unsubscribed', 'the push subscription was removed');
          const payload = JSON.stringify({
            notification_id: item.notification_id,
            kind: item.kind,
            title: item.content.title,
            body: item.content.body,
            link: item.content.link,
            lang: item.locale,
            dir: item.locale === 'fa' ? 'rtl' : 'ltr',
          });
          const sent = await adapters.push.send(
            { endpoint: item.recipient.endpoint, keys: item.recipient.keys },
            payload,
            item.ttl_seconds,
          );
          await db.asSystem((tx) => touchSubscription(tx, subscriptionId));
          return sent;
        },
        (tx) => forgetSubscription(tx, subscriptionId),
      );
    },
  };

  return [email, sms, telegram, push];
}
