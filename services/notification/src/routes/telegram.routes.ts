import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  conflict,
  type HttpServer,
  notFound,
  requirePrincipal,
  type ScopedDatabase,
  type ServiceContext,
} from '@flatrender/platform';
import { z } from 'zod';
import type { TelegramBot } from '../channels/telegram.bot';
import {
  findRecipient,
  linkTelegramChat,
  replaceTelegramCode,
  takeTelegramCode,
  updateRecipient,
} from '../contacts.repository';
import { startCode } from '../domain/telegram-update';
import type { NotificationConfig } from '../notification.config';
import type { NotificationDb } from '../notification.db';
import type { RecipientDirectory } from '../recipient-directory';
import { telegramLinkSchema } from './schemas';

interface Deps {
  ctx: ServiceContext;
  db: ScopedDatabase<NotificationDb>;
  config: NotificationConfig;
  bot: TelegramBot | null;
  recipients: RecipientDirectory;
}

const TAGS = ['notifications'];
const USER = { userOnly: true } as const;
const CODE_TTL_MS = 15 * 60_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** 10 characters a person can read and type: no 0/O, 1/I/l. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function newLinkCode(): string {
  return [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

const updateSchema = z
  .object({
    update_id: z.int().optional(),
    message: z
      .object({
        text: z.string().max(4096).optional(),
        chat: z.object({ id: z.union([z.int(), z.string()]), type: z.string().optional() }),
      })
      .optional(),
  })
  .describe('A Telegram Update (only messages are read)');

/**
 * Linking a Telegram chat: the signed-in user gets a one-time code, opens the bot and sends
 * `/start <code>` (the `t.me/<bot>?start=<code>` link does that); the bot's webhook receives it and
 * links the chat to the user. The webhook path carries a secret, checked again in Telegram's
 * `X-Telegram-Bot-Api-Secret-Token` header.
 */
export function registerTelegramRoutes(app: HttpServer, deps: Deps): void {
  const { db, config, bot, ctx } = deps;

  app.post(
    '/v1/telegram/link',
    {
      schema: {
        tags: TAGS,
        summary: 'A one-time code that links your Telegram chat (send `/start <code>` to the bot)',
        response: { 201: telegramLinkSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, USER);
      if (!bot) throw conflict('telegram_not_configured', 'Telegram is not set up on this platform.');
      const recipient = await deps.recipients.require(principal);
      const code = newLinkCode();
      const expiresAt = new Date(Date.now() + CODE_TTL_MS);
      await db.asSystem((tx) =>
        replaceTelegramCode(tx, {
          code_hash: sha256(code),
          user_id: recipient.user_id,
          expires_at: expiresAt,
        }),
      );
      reply.code(201);
      return {
        code,
        expires_at: expiresAt.toISOString(),
        bot_url: config.telegramBotUsername
          ? `https://t.me/${config.telegramBotUsername}?start=${code}`
          : null,
      };
    },
  );

  app.get(
    '/v1/telegram/link',
    {
      schema: {
        tags: TAGS,
        summary: 'Whether a Telegram chat is linked to you',
        response: { 200: z.object({ linked: z.boolean(), available: z.boolean() }) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, USER);
      const recipient = await db.asSystem((tx) => findRecipient(tx, principal.userId));
      return { linked: Boolean(recipient?.telegram_chat_id), available: bot !== null };
    },
  );

  app.delete(
    '/v1/telegram/link',
    { schema: { tags: TAGS, summary: 'Unlink your Telegram chat' } },
    async (req, reply) => {
      const principal = requirePrincipal(req, USER);
      await db.asSystem((tx) => updateRecipient(tx, principal.userId, { telegram_chat_id: null }));
      reply.code(204);
    },
  );

  app.post(
    '/v1/telegram/webhook/:secret',
    {
      schema: {
        tags: TAGS,
        summary: 'The bot webhook (Telegram calls it; set it with setWebhook and secret_token)',
        params: z.strictObject({ secret: z.string().min(1).max(256) }),
        body: updateSchema,
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      const expected = config.telegramWebhookSecret;
      const header = req.headers['x-telegram-bot-api-secret-token'];
      if (
        !bot ||
        !expected ||
        !same(req.params.secret, expected) ||
        (header !== undefined && !same(String(header), expected))
      ) {
        // The same answer as for a path that does not exist.
        throw notFound('Route', 'not_found');
      }
      const message = req.body.message;
      const code = startCode(message?.text);
      if (!message || code === undefined) return { ok: true };
      const chatId = String(message.chat.id);
      const linked = await db.asSystem(async (tx) => {
        const row = await takeTelegramCode(tx, sha256(code.toUpperCase()));
        if (!row || row.expires_at < new Date()) return undefined;
        await linkTelegramChat(tx, row.user_id, chatId);
        return findRecipient(tx, row.user_id);
      });
      const fa = (linked?.locale ?? 'fa') === 'fa';
      const reply = linked
        ? fa
          ? 'حساب فلت‌رندر شما به این گفتگو وصل شد. از این پس اعلان‌هایی را که در تنظیمات برای تلگرام روشن کنید اینجا می‌بینید.'
          : 'Your FlatRender account is linked to this chat. Notifications you switch on for Telegram will arrive here.'
        : 'این کد معتبر نیست یا منقضی شده است. از صفحه‌ی تنظیمات اعلان‌ها کد تازه بگیرید.\nThis code is not valid or has expired; get a new one from your notification settings.';
      // The answer to the user is a courtesy: the link is made whether or not it arrives.
      await bot
        .sendMessage(chatId, reply)
        .catch((error) => ctx.logger.warn({ err: error }, 'telegram reply failed'));
      return { ok: true };
    },
  );
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
