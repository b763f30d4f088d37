import { createECDH, createPublicKey, randomBytes, randomUUID, verify as verifySignature } from 'node:crypto';
import { describeWithServices } from '@flatrender/platform/testing';
import { decrypt } from 'http_ece';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISTRIBUTED,
  type KnownUser,
  type NotificationHarness,
  startNotificationHarness,
  waitFor,
} from './notification-test-kit';
import { type HttpRecorder, startHttpRecorder } from './support/http-recorder';
import { selfSignedCertificate } from './support/tls-cert';

const SMS_KEY = 'test-api-key-123';
const BOT_TOKEN = '123456:TEST-token_abc';
const HOOK_SECRET = randomBytes(24).toString('base64url');

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'notification: SMS, Telegram and web push channels (PostgreSQL, RabbitMQ)',
  () => {
    let n: NotificationHarness;
    let sms: HttpRecorder;
    let telegram: HttpRecorder;
    let pushService: HttpRecorder;
    const tls = selfSignedCertificate();
    /** What the SMS provider answers next (a queue, then success). */
    const smsAnswers: { status: number; body: unknown }[] = [];
    let smsId = 8_792_343;
    let botAnswer: { status: number; body: unknown } | null = null;
    let messageId = 100;
    const pushAnswers: number[] = [];

    beforeAll(async () => {
      sms = await startHttpRecorder();
      sms.respond(`/v1/${SMS_KEY}/sms/send.json`, () => {
        const next = smsAnswers.shift();
        if (next) return next;
        smsId++;
        return {
          status: 200,
          body: {
            return: { status: 200, message: 'تایید شد' },
            entries: [{ messageid: smsId, status: 1, statustext: 'در صف ارسال' }],
          },
        };
      });
      telegram = await startHttpRecorder();
      telegram.respond(
        `/bot${BOT_TOKEN}/sendMessage`,
        () => botAnswer ?? { status: 200, body: { ok: true, result: { message_id: ++messageId } } },
      );
      pushService = await startHttpRecorder({ key: tls.key, cert: tls.cert });
      pushService.respond('/push/', () => ({ status: pushAnswers.shift() ?? 201 }));
      n = await startNotificationHarness(
        DISTRIBUTED,
        {
          NOTIFY_SCHEDULER_INTERVAL_MS: '50',
          SMS_API_URL: sms.origin,
          SMS_API_KEY: SMS_KEY,
          SMS_SENDER: '10004346',
          TELEGRAM_API_URL: telegram.origin,
          TELEGRAM_BOT_TOKEN: BOT_TOKEN,
          TELEGRAM_BOT_USERNAME: 'FlatRenderTestBot',
          TELEGRAM_WEBHOOK_SECRET: HOOK_SECRET,
          VAPID_SUBJECT: 'mailto:ops@flatrender.test',
          WEBHOOK_ALLOW_PRIVATE: '1',
          WEBHOOK_ALLOWED_PORTS: '*',
          OUTBOUND_CA_FILE: tls.certFile,
        },
        {
          resolver: async (host) => {
            if (host === 'push.example.test') return [{ address: '127.0.0.1', family: 4 }];
            throw new Error(`ENOTFOUND ${host}`);
          },
        },
      );
    });
    afterAll(async () => {
      await n?.stop();
      await sms?.close();
      await telegram?.close();
      await pushService?.close();
      tls.cleanup();
    });

    const form = (body: Buffer) => Object.fromEntries(new URLSearchParams(body.toString()));
    const enable = (user: KnownUser, channel: 'sms' | 'telegram' | 'push') =>
      n.request(n.principal(user), 'PUT', '/v1/notifications/preferences', {
        kinds: { 'render.completed': { [channel]: true, email: false } },
      });
    const completed = (user: KnownUser) =>
      n.publish('render.job.completed.v1', user.tenantId, user.userId, {
        job_id: randomUUID(),
        webhook_url: null,
      });

    describe('SMS (Kavenegar-style API)', () => {
      it('verifies a phone number with a code sent to it, then texts notices to it', async () => {
        const user = await n.register({ locale: 'fa' });
        const me = n.principal(user);
        const before = sms.requests.length;
        const set = await n.request(me, 'PUT', '/v1/notifications/phone', { phone: '+989121234567' });
        expect(set.status).toBe(202);
        const [codeSms] = await waitFor(() =>
          sms.requests.length > before ? sms.requests.slice(before) : undefined,
        );
        const sent = form(codeSms!.body);
        expect(codeSms!.path).toBe(`/v1/${SMS_KEY}/sms/send.json`);
        expect(sent).toMatchObject({ receptor: '09121234567', sender: '10004346' });
        const code = /(\d{6})/.exec(sent.message!)![1]!;
        expect(sent.message).toContain('کد تأیید');

        const again = await n.request(me, 'PUT', '/v1/notifications/phone', { phone: '+989121234567' });
        expect(again.status).toBe(429);
        expect(again.headers['retry-after']).toBeDefined();
        const wrong = await n.request(me, 'POST', '/v1/notifications/phone/verify', {
          code: code === '000000' ? '111111' : '000000',
        });
        expect(wrong.status).toBe(400);
        expect(wrong.body.error).toMatchObject({ code: 'invalid_code', field: 'code' });
        const ok = await n.request(me, 'POST', '/v1/notifications/phone/verify', { code });
        expect(ok.body).toEqual({ phone: '+989121234567', verified: true });
        const prefs = await n.request(me, 'GET', '/v1/notifications/preferences');
        expect(prefs.body.channels.sms).toEqual({ available: true, ready: true });

        await enable(user, 'sms');
        await completed(user);
        const delivered = await n.events.waitFor(
          'notification.delivered.v1',
          (d) => d.channel === 'sms' && d.kind === 'render.completed',
        );
        expect(delivered.data.provider_message_id).toBe(String(smsId));
        const text = form(sms.requests.at(-1)!.body);
        expect(text.receptor).toBe('09121234567');
        expect(text.message).toContain('ویدیوی شما آماده است');
        expect(text.message).toContain('http://localhost:3000/renders/');
      });

      it('retries a provider outage and reports how many attempts it took', async () => {
        const user = await n.register();
        await verifiedPhone(user, '+989351112233');
        await enable(user, 'sms');
        // More failures than the bus's default 3 retries: channel workers allow 8.
        const busy = {
          status: 200,
          body: { return: { status: 409, message: 'سرور در حال حاضر قادر به پاسخگوئی نیست' } },
        };
        smsAnswers.push({ status: 502, body: 'Bad gateway' }, busy, busy, { status: 503, body: '' }, busy);
        await completed(user);
        const delivered = await n.events.waitFor(
          'notification.delivered.v1',
          (d) => d.channel === 'sms' && d.attempts === 6,
          20_000,
        );
        expect(delivered.data.kind).toBe('render.completed');
        expect(
          n.events.of('notification.failed.v1', (d) => d.notification_id === delivered.data.notification_id),
        ).toEqual([]);
      });

      it('an invalid receptor fails for good, as notification.failed.v1', async () => {
        const user = await n.register();
        await verifiedPhone(user, '+989000000000');
        await enable(user, 'sms');
        smsAnswers.push({ status: 200, body: { return: { status: 411, message: 'گیرنده نامعتبر است' } } });
        await completed(user);
        const failed = await n.events.waitFor('notification.failed.v1', (d) => d.channel === 'sms');
        expect(failed.data).toMatchObject({ error_code: 'invalid_recipient', permanent: true, attempts: 1 });
        expect(failed.data.error_message).toContain('411');
      });

      async function verifiedPhone(user: KnownUser, phone: string) {
        const me = n.principal(user);
        const before = sms.requests.length;
        expect((await n.request(me, 'PUT', '/v1/notifications/phone', { phone })).status).toBe(202);
        const [request] = await waitFor(() =>
          sms.requests.length > before ? sms.requests.slice(before) : undefined,
        );
        const code = /(\d{6})/.exec(form(request!.body).message!)![1]!;
        expect((await n.request(me, 'POST', '/v1/notifications/phone/verify', { code })).status).toBe(200);
      }
    });

    describe('Telegram (Bot API)', () => {
      const update = (chatId: number, text: string) => ({
        update_id: Math.floor(Math.random() * 1e6),
        message: { message_id: 1, chat: { id: chatId, type: 'private' }, text },
      });

      it('links a chat with a one-time code sent to the bot, then delivers notices there', async () => {
        const user = await n.register({ locale: 'fa' });
        const me = n.principal(user);
        const link = await n.request(me, 'POST', '/v1/telegram/link');
        expect(link.status).toBe(201);
        expect(link.body.code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
        expect(link.body.bot_url).toBe(`https://t.me/FlatRenderTestBot?start=${link.body.code}`);

        const hook = `/v1/telegram/webhook/${HOOK_SECRET}`;
        expect(
          (
            await n.request(
              null,
              'POST',
              `/v1/telegram/webhook/${HOOK_SECRET}x`,
              update(777, `/start ${link.body.code}`),
            )
          ).status,
        ).toBe(404);
        expect(
          (
            await n.request(null, 'POST', hook, update(777, `/start ${link.body.code}`), {
              'x-telegram-bot-api-secret-token': 'wrong',
            })
          ).status,
        ).toBe(404);
        const linked = await n.request(null, 'POST', hook, update(777, `/start ${link.body.code}`), {
          'x-telegram-bot-api-secret-token': HOOK_SECRET,
        });
        expect(linked.body).toEqual({ ok: true });
        const reply = JSON.parse(telegram.requests.at(-1)!.body.toString());
        expect(reply).toMatchObject({ chat_id: '777' });
        expect(reply.text).toContain('وصل شد');
        expect((await n.request(me, 'GET', '/v1/telegram/link')).body).toEqual({
          linked: true,
          available: true,
        });

        // A code works once.
        await n.request(null, 'POST', hook, update(888, `/start ${link.body.code}`));
        expect(JSON.parse(telegram.requests.at(-1)!.body.toString()).text).toContain('not valid');

        await enable(user, 'telegram');
        await completed(user);
        const delivered = await n.events.waitFor(
          'notification.delivered.v1',
          (d) => d.channel === 'telegram' && d.kind === 'render.completed',
        );
        expect(delivered.data.provider_message_id).toBe(String(messageId));
        const message = JSON.parse(telegram.requests.at(-1)!.body.toString());
        expect(message.chat_id).toBe('777');
        expect(message.text).toContain('ویدیوی شما آماده است');
        expect(message.reply_markup.inline_keyboard[0][0]).toMatchObject({ text: 'باز کردن در فلت‌رندر' });
        expect(message.reply_markup.inline_keyboard[0][0].url).toMatch(/^http:\/\/localhost:3000\/renders\//);
      });

      it('a blocked bot fails for good and unlinks the chat', async () => {
        const user = await n.register();
        const me = n.principal(user);
        const { body } = await n.request(me, 'POST', '/v1/telegram/link');
        await n.request(
          null,
          'POST',
          `/v1/telegram/webhook/${HOOK_SECRET}`,
          update(999, `/start ${body.code}`),
        );
        await enable(user, 'telegram');
        botAnswer = {
          status: 403,
          body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
        };
        try {
          await completed(user);
          const failed = await n.events.waitFor('notification.failed.v1', (d) => d.channel === 'telegram');
          expect(failed.data).toMatchObject({ error_code: 'invalid_recipient', permanent: true });
          expect(failed.data.error_message).toContain('blocked');
          expect(failed.data.error_message).not.toContain(BOT_TOKEN);
        } finally {
          botAnswer = null;
        }
        expect((await n.request(me, 'GET', '/v1/telegram/link')).body.linked).toBe(false);
      });
    });

    describe('web push (VAPID)', () => {
      /** A browser's push subscription: its P-256 key pair and auth secret, at the local push service. */
      const browser = () => {
        const ecdh = createECDH('prime256v1');
        ecdh.generateKeys();
        const auth = randomBytes(16);
        return {
          ecdh,
          auth: auth.toString('base64url'),
          json: {
            endpoint: `https://push.example.test:${pushService.port}/push/${randomUUID()}`,
            keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
            user_agent: 'Firefox 140',
          },
        };
      };

      /** Checks a VAPID `Authorization: vapid t=<JWT>, k=<key>` header: ES256 by the service's key, for the push service. */
      const checkVapid = (header: string, publicKey: string, audience: string) => {
        const match = /^vapid t=([^,]+), k=(.+)$/.exec(header);
        expect(match).not.toBeNull();
        const [, token, k] = match!;
        expect(k).toBe(publicKey);
        const raw = Buffer.from(publicKey, 'base64url');
        const key = createPublicKey({
          key: {
            kty: 'EC',
            crv: 'P-256',
            x: raw.subarray(1, 33).toString('base64url'),
            y: raw.subarray(33).toString('base64url'),
          },
          format: 'jwk',
        });
        const [head, payload, signature] = token!.split('.');
        expect(
          verifySignature(
            'sha256',
            Buffer.from(`${head}.${payload}`),
            { key, dsaEncoding: 'ieee-p1363' },
            Buffer.from(signature!, 'base64url'),
          ),
        ).toBe(true);
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        expect(claims).toMatchObject({ aud: audience, sub: 'mailto:ops@flatrender.test' });
        expect(claims.exp * 1000).toBeGreaterThan(Date.now());
      };

      it('subscribes a browser and pushes notices it can decrypt, signed with the VAPID key', async () => {
        const user = await n.register({ locale: 'en' });
        const me = n.principal(user);
        const vapid = await n.request(me, 'GET', '/v1/push-subscriptions/vapid-key');
        expect(Buffer.from(vapid.body.public_key, 'base64url')).toHaveLength(65);
        // Generated once and kept: asking again gives the same key.
        expect((await n.request(me, 'GET', '/v1/push-subscriptions/vapid-key')).body).toEqual(vapid.body);

        const b = browser();
        const sub = await n.request(me, 'POST', '/v1/push-subscriptions', b.json);
        expect(sub.status).toBe(201);
        expect(sub.body).toMatchObject({
          endpoint_origin: `https://push.example.test:${pushService.port}`,
          user_agent: 'Firefox 140',
        });
        const plain = await n.request(me, 'POST', '/v1/push-subscriptions', {
          ...b.json,
          endpoint: b.json.endpoint.replace('https', 'http'),
        });
        expect(plain.status).toBe(400);
        expect(plain.body.error.field).toBe('endpoint');

        await enable(user, 'push');
        await completed(user);
        const delivered = await n.events.waitFor(
          'notification.delivered.v1',
          (d) => d.channel === 'push' && d.idempotency_key.endsWith(sub.body.id),
        );
        expect(delivered.data.idempotency_key).toBe(`${delivered.data.notification_id}:push:${sub.body.id}`);
        const request = pushService.on(new URL(b.json.endpoint).pathname)[0]!;
        expect(request.headers.ttl).toBe('21600');
        expect(request.headers['content-encoding']).toBe('aes128gcm');
        checkVapid(
          String(request.headers.authorization),
          vapid.body.public_key,
          `https://push.example.test:${pushService.port}`,
        );
        const payload = JSON.parse(
          decrypt(request.body, { version: 'aes128gcm', privateKey: b.ecdh, authSecret: b.auth }).toString(),
        );
        expect(payload).toMatchObject({
          notification_id: delivered.data.notification_id,
          kind: 'render.completed',
          title: 'Your video is ready',
          lang: 'en',
          dir: 'ltr',
        });
        expect(payload.link).toMatch(/^\/renders\//);
        const listed = await n.request(me, 'GET', '/v1/push-subscriptions');
        expect(listed.body.items[0].last_used_at).not.toBeNull();
      });

      it('forgets a subscription the push service says is gone (410)', async () => {
        const user = await n.register();
        const me = n.principal(user);
        const b = browser();
        const sub = await n.request(me, 'POST', '/v1/push-subscriptions', b.json);
        await enable(user, 'push');
        pushAnswers.push(410);
        await completed(user);
        const failed = await n.events.waitFor(
          'notification.failed.v1',
          (d) => d.channel === 'push' && d.idempotency_key.endsWith(sub.body.id),
        );
        expect(failed.data).toMatchObject({ error_code: 'invalid_recipient', permanent: true });
        expect((await n.request(me, 'GET', '/v1/push-subscriptions')).body.items).toEqual([]);
        expect((await n.request(me, 'DELETE', `/v1/push-subscriptions/${sub.body.id}`)).status).toBe(404);
      });

      it('keeps users’ subscriptions apart', async () => {
        const alice = await n.register();
        const bob = await n.register();
        const sub = await n.request(n.principal(alice), 'POST', '/v1/push-subscriptions', browser().json);
        expect((await n.request(n.principal(bob), 'GET', '/v1/push-subscriptions')).body.items).toEqual([]);
        const del = await n.request(n.principal(bob), 'DELETE', `/v1/push-subscriptions/${sub.body.id}`);
        expect(del.status).toBe(404);
        expect(del.body.error.code).toBe('push_subscription_not_found');
        expect(
          (await n.request(n.principal(alice), 'DELETE', `/v1/push-subscriptions/${sub.body.id}`)).status,
        ).toBe(204);
        expect(n.events.invalid).toEqual([]);
      });
    });
  },
);
