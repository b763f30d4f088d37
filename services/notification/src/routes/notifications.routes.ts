import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { DELIVERY_CHANNELS, type DeliveryChannel, type NotificationKind } from '@flatrender/contracts';
import {
  badRequest,
  conflict,
  HttpError,
  type HttpServer,
  notFound,
  requirePrincipal,
  type ScopedDatabase,
  type ServiceContext,
  tooManyRequests,
} from '@flatrender/platform';
import { z } from 'zod';
import type { SmsProvider } from '../channels/sms-provider';
import {
  countPhoneCodeTry,
  dropPhoneCode,
  findRecipient,
  pendingPhoneCode,
  savePhoneCode,
  updateRecipient,
} from '../contacts.repository';
import { deliveriesOf } from '../delivery.repository';
import { CONFIGURABLE_KINDS, enabledChannels, KIND_POLICIES, STORED_KINDS } from '../domain/kinds';
import type { StoredKind } from '../domain/notice-content';
import { decodeCursor, encodeCursor } from '../domain/page-cursor';
import { WEB_PAGES, webUrl } from '../domain/web-links';
import {
  choicesOf,
  findNotification,
  listInbox,
  markAllRead,
  markRead,
  type NotificationRow,
  setChoices,
  unreadCount,
} from '../inbox.repository';
import type { NotificationConfig } from '../notification.config';
import type { NotificationDb } from '../notification.db';
import { subscriptionsOf } from '../push.repository';
import type { RecipientDirectory } from '../recipient-directory';
import { UNSUBSCRIBE_PATH, type UnsubscribeLinks } from '../unsubscribe-links';
import {
  idParams,
  inboxPage,
  inboxQuery,
  notificationDetailSchema,
  notificationSchema,
  phoneBody,
  phoneCodeBody,
  preferencesBody,
  preferencesSchema,
  unsubscribeBody,
  unsubscribeQuery,
} from './schemas';
import { unsubscribePage } from './unsubscribe-page';

export interface NotificationRoutesDeps {
  ctx: ServiceContext;
  db: ScopedDatabase<NotificationDb>;
  config: NotificationConfig;
  recipients: RecipientDirectory;
  unsubscribe: UnsubscribeLinks;
  sms: SmsProvider | null;
  available: Record<DeliveryChannel, boolean>;
}

const TAGS = ['notifications'];
/** The inbox and preferences are a person's: API keys (machine clients) have no inbox. */
const USER = { userOnly: true } as const;
const PHONE_CODE_TTL_MS = 10 * 60_000;
const PHONE_CODE_RESEND_MS = 60_000;
const PHONE_CODE_MAX_TRIES = 5;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function view(row: NotificationRow) {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    locale: row.locale,
    title: row.title,
    body: row.body,
    link: row.link,
    channels: row.channels as ('in_app' | DeliveryChannel)[],
    created_at: row.created_at.toISOString(),
    read_at: row.read_at?.toISOString() ?? null,
  };
}

export function registerNotificationRoutes(app: HttpServer, deps: NotificationRoutesDeps): void {
  const { db, ctx } = deps;

  app.get(
    '/v1/notifications',
    {
      schema: {
        tags: TAGS,
        summary: 'Your notifications in this workspace, newest first',
        querystring: inboxQuery,
        response: { 200: inboxPage },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      const before = req.query.cursor === undefined ? undefined : decodeCursor('inbox', req.query.cursor);
      if (req.query.cursor !== undefined && before === undefined) {
        throw badRequest('invalid_cursor', 'query field "cursor": not a cursor of this list.', 'cursor');
      }
      return db.withTenant(principal.tenantId, async (tx) => {
        const rows = await listInbox(tx, principal.userId, {
          limit: req.query.limit + 1,
          ...(before ? { before } : {}),
          unreadOnly: req.query.unread,
        });
        const page = rows.slice(0, req.query.limit);
        const last = page.at(-1);
        return {
          items: page.map(view),
          next_cursor: rows.length > req.query.limit && last ? encodeCursor('inbox', last.seq) : null,
          unread_count: await unreadCount(tx, principal.userId),
        };
      });
    },
  );

  app.get(
    '/v1/notifications/unread-count',
    {
      schema: {
        tags: TAGS,
        summary: 'How many of your notifications in this workspace are unread (the bell)',
        response: { 200: z.object({ count: z.int() }) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      return { count: await db.withTenant(principal.tenantId, (tx) => unreadCount(tx, principal.userId)) };
    },
  );

  app.post(
    '/v1/notifications/read-all',
    {
      schema: {
        tags: TAGS,
        summary: 'Mark all your notifications in this workspace read',
        response: { 200: z.object({ updated: z.int().describe('Notifications marked read') }) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      return { updated: await db.withTenant(principal.tenantId, (tx) => markAllRead(tx, principal.userId)) };
    },
  );

  app.get(
    '/v1/notifications/preferences',
    {
      schema: {
        tags: TAGS,
        summary: 'Your channels per kind of notification, and where you can be reached',
        response: { 200: preferencesSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      await deps.recipients.find(principal);
      return preferencesView(deps, principal.userId);
    },
  );

  app.put(
    '/v1/notifications/preferences',
    {
      schema: {
        tags: TAGS,
        summary: 'Switch channels on or off per kind of notification (in-app is always on)',
        body: preferencesBody,
        response: { 200: preferencesSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      const entries: { kind: string; channel: DeliveryChannel; enabled: boolean }[] = [];
      for (const [kind, choices] of Object.entries(req.body.kinds)) {
        if (!CONFIGURABLE_KINDS.includes(kind as StoredKind)) {
          throw badRequest(
            'not_configurable',
            `body field "kinds.${kind}": this kind of notice is always sent and cannot be switched off.`,
            `kinds.${kind}`,
          );
        }
        for (const channel of DELIVERY_CHANNELS) {
          const enabled = choices?.[channel];
          if (enabled !== undefined) entries.push({ kind, channel, enabled });
        }
      }
      await db.asSystem((tx) => setChoices(tx, principal.userId, entries));
      return preferencesView(deps, principal.userId);
    },
  );

  // One-click unsubscribe from mails: no sign-in, the signed token says who and which kind.
  const unsubscribeTarget = (token: string | undefined) =>
    token ? deps.unsubscribe.verify(token) : undefined;
  const settingsUrl = webUrl(ctx.config.webOrigin, WEB_PAGES.notificationSettings);
  const localeOf = async (userId: string | undefined) =>
    (userId && (await db.asSystem((tx) => findRecipient(tx, userId)))?.locale) || 'fa';

  app.get(
    UNSUBSCRIBE_PATH,
    {
      schema: {
        tags: TAGS,
        summary: 'The page of an unsubscribe link (confirms; opening it changes nothing)',
        querystring: unsubscribeQuery,
      },
    },
    async (req, reply) => {
      const claim = unsubscribeTarget(req.query.token);
      const locale = await localeOf(claim?.userId);
      reply
        .code(claim ? 200 : 400)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer');
      return unsubscribePage(locale, claim ? 'confirm' : 'invalid', settingsUrl, req.query.token);
    },
  );

  app.register(async (plugin) => {
    const scope = plugin as HttpServer;
    // Mail clients' one-click unsubscribe (RFC 8058) posts a form: `List-Unsubscribe=One-Click`.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post(
      UNSUBSCRIBE_PATH,
      {
        schema: {
          tags: TAGS,
          summary: 'Unsubscribe from a kind of mail with the token of the link (one-click, RFC 8058)',
          querystring: unsubscribeQuery,
          body: unsubscribeBody,
        },
      },
      async (req, reply) => {
        const token = req.query.token ?? req.body?.token;
        const claim = unsubscribeTarget(token);
        const wantsHtml = !(req.headers.accept ?? '').includes('application/json');
        if (!claim) {
          if (wantsHtml) {
            reply.code(400).header('content-type', 'text/html; charset=utf-8');
            return unsubscribePage(await localeOf(undefined), 'invalid', settingsUrl);
          }
          throw badRequest('invalid_token', 'query field "token": not a valid unsubscribe token.', 'token');
        }
        const kinds =
          claim.kind === '*' ? CONFIGURABLE_KINDS : CONFIGURABLE_KINDS.filter((k) => k === claim.kind);
        await db.asSystem((tx) =>
          setChoices(
            tx,
            claim.userId,
            kinds.map((kind) => ({ kind, channel: 'email' as const, enabled: false })),
          ),
        );
        ctx.logger.info({ user: claim.userId, kind: claim.kind }, 'unsubscribed from mail');
        if (!wantsHtml) return { unsubscribed: kinds };
        reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
        return unsubscribePage(await localeOf(claim.userId), 'done', settingsUrl);
      },
    );
  });

  app.put(
    '/v1/notifications/phone',
    {
      schema: {
        tags: TAGS,
        summary: 'Set the phone number for text messages; a 6-digit code is sent to it to verify it',
        body: phoneBody,
        response: {
          202: z.object({ phone: z.string(), expires_at: z.string().describe('The code works until then') }),
        },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, USER);
      if (!deps.sms) throw conflict('sms_not_configured', 'Text messages are not set up on this platform.');
      const recipient = await deps.recipients.require(principal);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(Date.now() + PHONE_CODE_TTL_MS);
      const { phone } = req.body;
      await db.asSystem(async (tx) => {
        const previous = await pendingPhoneCode(tx, recipient.user_id);
        const wait = previous ? PHONE_CODE_RESEND_MS - (Date.now() - previous.sent_at.getTime()) : 0;
        if (wait > 0)
          throw tooManyRequests(
            Math.ceil(wait / 1000),
            'A code was sent a moment ago; wait before asking again.',
          );
        await savePhoneCode(tx, {
          user_id: recipient.user_id,
          phone,
          code_hash: sha256(code),
          expires_at: expiresAt,
        });
      });
      const text =
        recipient.locale === 'fa'
          ? `کد تأیید شماره در فلت‌رندر: ${code}\nاین کد تا ۱۰ دقیقه معتبر است.`
          : `Your FlatRender verification code: ${code}\nIt is valid for 10 minutes.`;
      try {
        await deps.sms.send(phone, text);
      } catch (error) {
        ctx.logger.warn({ err: error }, 'phone verification code could not be sent');
        throw new HttpError(
          502,
          'sms_failed',
          'body field "phone": the text message could not be sent; check the number.',
          'phone',
        );
      }
      reply.code(202);
      return { phone, expires_at: expiresAt.toISOString() };
    },
  );

  app.post(
    '/v1/notifications/phone/verify',
    {
      schema: {
        tags: TAGS,
        summary: 'Confirm the phone number with the code sent to it',
        body: phoneCodeBody,
        response: { 200: z.object({ phone: z.string(), verified: z.boolean() }) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      return db
        .asSystem(async (tx) => {
          const pending = await pendingPhoneCode(tx, principal.userId);
          if (!pending || pending.expires_at < new Date()) {
            throw badRequest(
              'no_pending_code',
              'body field "code": no code is waiting; ask for a new one.',
              'code',
            );
          }
          if (pending.attempts >= PHONE_CODE_MAX_TRIES) {
            throw badRequest(
              'too_many_attempts',
              'body field "code": too many wrong codes; ask for a new one.',
              'code',
            );
          }
          const given = Buffer.from(sha256(req.body.code));
          if (!timingSafeEqual(given, Buffer.from(pending.code_hash))) {
            await countPhoneCodeTry(tx, principal.userId);
            return { wrong: true as const };
          }
          await dropPhoneCode(tx, principal.userId);
          await updateRecipient(tx, principal.userId, {
            phone: pending.phone,
            phone_verified_at: new Date(),
          });
          return { phone: pending.phone, verified: true };
        })
        .then((result) => {
          // Thrown outside the transaction so the counted attempt is kept.
          if ('wrong' in result)
            throw badRequest('invalid_code', 'body field "code": the code is not right.', 'code');
          return result;
        });
    },
  );

  app.delete(
    '/v1/notifications/phone',
    { schema: { tags: TAGS, summary: 'Remove your phone number (no more text messages)' } },
    async (req, reply) => {
      const principal = requirePrincipal(req, USER);
      await db.asSystem(async (tx) => {
        await dropPhoneCode(tx, principal.userId);
        await updateRecipient(tx, principal.userId, { phone: null, phone_verified_at: null });
      });
      reply.code(204);
    },
  );

  app.get(
    '/v1/notifications/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One of your notifications, with what became of it on each channel',
        params: idParams,
        response: { 200: notificationDetailSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      return db.withTenant(principal.tenantId, async (tx) => {
        const row = await findNotification(tx, principal.userId, req.params.id);
        if (!row) throw notFound('Notification', 'notification_not_found');
        const deliveries = await deliveriesOf(tx, row.id);
        return {
          ...view(row),
          deliveries: deliveries.map((d) => ({
            channel: d.channel,
            state: d.state,
            attempts: d.attempts,
            error_code: d.error_code,
            updated_at: d.updated_at.toISOString(),
          })),
        };
      });
    },
  );

  app.post(
    '/v1/notifications/:id/read',
    {
      schema: {
        tags: TAGS,
        summary: 'Mark one of your notifications read',
        params: idParams,
        response: { 200: notificationSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      const row = await db.withTenant(principal.tenantId, (tx) =>
        markRead(tx, principal.userId, req.params.id),
      );
      if (!row) throw notFound('Notification', 'notification_not_found');
      return view(row);
    },
  );
}

async function preferencesView(deps: NotificationRoutesDeps, userId: string) {
  return deps.db.asSystem(async (tx) => {
    const choices = await choicesOf(tx, userId);
    const recipient = await findRecipient(tx, userId);
    const subscriptions = (await subscriptionsOf(tx, userId)).length;
    const ready: Record<DeliveryChannel, boolean> = {
      email: Boolean(recipient?.email_verified),
      sms: Boolean(recipient?.phone_verified_at),
      telegram: Boolean(recipient?.telegram_chat_id),
      push: subscriptions > 0,
    };
    return {
      kinds: STORED_KINDS.map((kind) => {
        const on = new Set(enabledChannels(kind, choices.get(kind) ?? {}));
        return {
          kind,
          configurable: KIND_POLICIES[kind].configurable,
          channels: Object.fromEntries(DELIVERY_CHANNELS.map((c) => [c, on.has(c)])) as Record<
            DeliveryChannel,
            boolean
          >,
        };
      }),
      channels: Object.fromEntries(
        DELIVERY_CHANNELS.map((c) => [
          c,
          { available: deps.available[c], ready: deps.available[c] && ready[c] },
        ]),
      ) as Record<DeliveryChannel, { available: boolean; ready: boolean }>,
      contact: {
        email: recipient?.email ?? null,
        email_verified: Boolean(recipient?.email_verified),
        phone: recipient?.phone ?? null,
        phone_verified: Boolean(recipient?.phone_verified_at),
        telegram_linked: Boolean(recipient?.telegram_chat_id),
        push_subscriptions: subscriptions,
      },
    };
  });
}
