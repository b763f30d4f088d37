import { randomUUID } from 'node:crypto';
import { type NotificationChannel, PLATFORM_TENANT_ID } from '@flatrender/contracts';
import type { ServiceContext } from '@flatrender/platform';
import { findRecipient, findTenant, type Recipient } from './contacts.repository';
import { createFormatter } from './domain/formatting';
import { enabledChannels, KIND_POLICIES } from './domain/kinds';
import { noticeMail } from './domain/mail-content';
import type { NoticeIntent } from './domain/notice-content';
import { renderNotice } from './domain/notice-texts';
import { webUrl } from './domain/web-links';
import { choicesOf, insertNotification, type NotificationRow, parkNotice } from './inbox.repository';
import type { NotificationConfig } from './notification.config';
import type { NotificationTx } from './notification.db';
import { subscriptionsOf } from './push.repository';
import type { UnsubscribeLinks } from './unsubscribe-links';

export interface NoticeWriterDeps {
  ctx: ServiceContext;
  config: NotificationConfig;
  unsubscribe: UnsubscribeLinks;
  /** Channels whose provider is configured; a user's choice of another is ignored. */
  available: { sms: boolean; telegram: boolean };
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * Turns notices into an inbox entry and channel deliveries, in the caller's transaction: the
 * notification row, `notification.created.v1` and one `notify.channel.*` work item per channel the
 * recipient enabled for the kind all commit together (outbox), or not at all.
 */
export class NoticeWriter {
  constructor(private readonly deps: NoticeWriterDeps) {}

  /**
   * Writes the notice if its recipient is known here; otherwise parks it, and the scheduler writes it
   * once identity has said who the recipient is. Returns the notification, or undefined when parked.
   */
  async submit(tx: NotificationTx, intent: NoticeIntent): Promise<NotificationRow | undefined> {
    const target = await this.resolve(tx, intent);
    if (target) return this.write(tx, intent, target.recipient, target.tenantId);
    const backlogTenant =
      intent.tenantId ??
      ('tenantOwner' in intent.audience ? intent.audience.tenantOwner : PLATFORM_TENANT_ID);
    await parkNotice(tx, randomUUID(), backlogTenant, intent);
    this.deps.ctx.logger.info(
      { kind: intent.content.kind, audience: intent.audience },
      'notice parked until its recipient is known',
    );
    return undefined;
  }

  /** The recipient and the inbox tenant, when everything needed is known locally. */
  async resolve(
    tx: NotificationTx,
    intent: NoticeIntent,
  ): Promise<{ recipient: Recipient; tenantId: string } | undefined> {
    let userId: string;
    if ('user' in intent.audience) userId = intent.audience.user;
    else {
      const tenant = await findTenant(tx, intent.audience.tenantOwner);
      if (!tenant) return undefined;
      userId = tenant.owner_user_id;
    }
    const recipient = await findRecipient(tx, userId);
    if (!recipient) return undefined;
    const tenantId = intent.tenantId ?? recipient.personal_tenant_id;
    if (!tenantId) return undefined;
    return { recipient, tenantId };
  }

  async write(
    tx: NotificationTx,
    intent: NoticeIntent,
    recipient: Recipient,
    tenantId: string,
  ): Promise<NotificationRow> {
    const { ctx, config } = this.deps;
    const kind = intent.content.kind;
    const userId = recipient.user_id;
    const choices = (await choicesOf(tx, userId, kind)).get(kind) ?? {};
    const wanted = new Set(enabledChannels(kind, choices));
    const locale = recipient.locale;
    const notice = renderNotice(intent.content, createFormatter(locale, config.timeZone));
    const id = randomUUID();
    const channels: NotificationChannel[] = ['in_app'];
    const actor = { tenantId };
    const base = {
      source: 'notification' as const,
      notification_id: id,
      kind,
      locale,
      recipient_user_id: userId,
    };
    const absoluteLink = notice.link ? webUrl(ctx.config.webOrigin, notice.link) : null;

    if (wanted.has('email') && recipient.email_verified) {
      const mail = noticeMail({
        notice,
        locale,
        name: recipient.display_name,
        webOrigin: ctx.config.webOrigin,
        unsubscribeUrl: KIND_POLICIES[kind].configurable ? this.deps.unsubscribe.url(userId, kind) : null,
      });
      await ctx.emit(
        tx,
        'notify.channel.email',
        {
          ...base,
          idempotency_key: `${id}:email`,
          channel: 'email',
          recipient: { email: recipient.email, name: recipient.display_name },
          content: { subject: mail.subject, text: mail.text, html: mail.html },
        },
        actor,
      );
      channels.push('email');
    }
    if (wanted.has('sms') && this.deps.available.sms && recipient.phone && recipient.phone_verified_at) {
      const text = [notice.title, clip(notice.body.split(/\n{2,}/)[0] ?? '', 280), absoluteLink]
        .filter(Boolean)
        .join('\n');
      await ctx.emit(
        tx,
        'notify.channel.sms',
        {
          ...base,
          idempotency_key: `${id}:sms`,
          channel: 'sms',
          recipient: { phone: recipient.phone },
          content: { text: clip(text, 1000) },
        },
        actor,
      );
      channels.push('sms');
    }
    if (wanted.has('telegram') && this.deps.available.telegram && recipient.telegram_chat_id) {
      await ctx.emit(
        tx,
        'notify.channel.telegram',
        {
          ...base,
          idempotency_key: `${id}:telegram`,
          channel: 'telegram',
          recipient: { chat_id: recipient.telegram_chat_id },
          content: { text: clip(`${notice.title}\n\n${notice.body}`, 4096), link: absoluteLink },
        },
        actor,
      );
      channels.push('telegram');
    }
    if (wanted.has('push')) {
      const subscriptions = await subscriptionsOf(tx, userId);
      for (const sub of subscriptions) {
        await ctx.emit(
          tx,
          'notify.channel.push',
          {
            ...base,
            // One delivery per browser: the key names the subscription as well.
            idempotency_key: `${id}:push:${sub.id}`,
            channel: 'push',
            recipient: {
              subscription_id: sub.id,
              endpoint: sub.endpoint,
              keys: { p256dh: sub.p256dh, auth: sub.auth },
            },
            content: { title: notice.title, body: clip(notice.body, 1000), link: notice.link },
            ttl_seconds: KIND_POLICIES[kind].pushTtlSeconds,
          },
          actor,
        );
      }
      if (subscriptions.length > 0) channels.push('push');
    }

    const row = await insertNotification(tx, {
      id,
      tenant_id: tenantId,
      recipient_user_id: userId,
      kind,
      locale,
      title: notice.title,
      body: notice.body,
      link: notice.link,
      channels,
      cause_event_id: intent.causeEventId,
    });
    await ctx.emit(
      tx,
      'notification.created.v1',
      {
        notification_id: id,
        recipient_user_id: userId,
        kind,
        locale,
        title: notice.title,
        body: notice.body,
        link: notice.link,
        channels,
        cause_event_id: intent.causeEventId,
        created_at: row.created_at.toISOString(),
      },
      actor,
    );
    return row;
  }
}
