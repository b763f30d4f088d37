import { randomBytes, randomUUID } from 'node:crypto';
import { DLQ_QUEUE, type MessageData, SYSTEM_USER_ID } from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { assertTenantTablesForceRls, type DeliveredMessage } from '@flatrender/platform';
import { describeWithServices } from '@flatrender/platform/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISTRIBUTED,
  type KnownUser,
  type NotificationHarness,
  startNotificationHarness,
  waitFor,
} from './notification-test-kit';
import { type HttpRecorder, startHttpRecorder } from './support/http-recorder';
import { type SmtpTestServer, startSmtpTestServer } from './support/smtp-test.server';

const REFUSED = 'bounce@example.test';

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'notification: notices, inbox, mail (PostgreSQL, RabbitMQ, SMTP)',
  () => {
    let n: NotificationHarness;
    let smtp: SmtpTestServer;
    let hooks: HttpRecorder;
    const dlq: DeliveredMessage[] = [];

    beforeAll(async () => {
      smtp = await startSmtpTestServer({
        user: 'mailer',
        pass: randomBytes(8).toString('hex'),
        refuse: [REFUSED],
      });
      hooks = await startHttpRecorder();
      n = await startNotificationHarness(DISTRIBUTED, {
        SMTP_URL: smtp.url,
        SMTP_FROM: 'FlatRender <no-reply@flatrender.test>',
        NOTIFY_SCHEDULER_INTERVAL_MS: '50',
        WEBHOOK_ALLOW_PRIVATE: '1',
        WEBHOOK_ALLOWED_PORTS: '*',
        PLAN_EXPIRY_NOTICE_DAYS: '3',
      });
      await n.harness.bus.subscribe({ queue: DLQ_QUEUE }, async (m) => {
        dlq.push(m);
      });
    });
    afterAll(async () => {
      await n?.stop();
      await smtp?.close();
      await hooks?.close();
    });

    const completed = (
      user: KnownUser,
      overrides: Partial<MessageData<'render.job.completed.v1'>> = {},
      tenantId = user.tenantId,
      actor = SYSTEM_USER_ID,
    ) =>
      n.publish('render.job.completed.v1', tenantId, actor, {
        job_id: randomUUID(),
        webhook_url: null,
        ...overrides,
      });

    /** A transactional mail the way identity dispatches it. */
    const transactional = (tenantId: string, userId: string, data: MessageData<'notify.channel.email'>) => ({
      ...sampleEnvelope('notify.channel.email', {
        tenant_id: tenantId,
        user_id: userId,
        producer: 'identity',
      }),
      data,
    });

    const inbox = async (user: KnownUser, tenantId = user.tenantId) =>
      (await n.request(n.principal(user, { tenantId }), 'GET', '/v1/notifications')).body;

    it('forces row-level security on every tenant table', async () => {
      await assertTenantTablesForceRls(n.harness.database!, ['notification']);
    });

    describe('a finished render (acceptance)', () => {
      it('leads to an in-app notification, an email in the recipient language and a signed webhook', async () => {
        const sara = await n.register({ locale: 'fa', name: 'سارا' });
        const owner = n.principal(sara);
        const created = await n.request(owner, 'POST', '/v1/webhooks', {
          url: `${hooks.origin}/acceptance/${sara.tenantId}`,
          event_types: ['render.job.completed.v1'],
        });
        expect(created.status).toBe(201);
        const jobId = randomUUID();
        const event = await completed(sara, { job_id: jobId });

        // In-app, and announced on the bus for the gateway's live stream.
        const announced = await n.events.waitFor(
          'notification.created.v1',
          (d) => d.recipient_user_id === sara.userId,
        );
        expect(announced.tenant_id).toBe(sara.tenantId);
        expect(announced.data).toMatchObject({
          kind: 'render.completed',
          locale: 'fa',
          title: 'ویدیوی شما آماده است',
          link: `/renders/${jobId}`,
          channels: ['in_app', 'email'],
          cause_event_id: event.event_id,
        });
        const list = await inbox(sara);
        expect(list.unread_count).toBe(1);
        expect(list.items[0]).toMatchObject({
          id: announced.data.notification_id,
          kind: 'render.completed',
          read_at: null,
        });

        // The email, as an SMTP server received it: Persian, right-to-left, with the download page.
        const mail = await smtp.waitFor(sara.email);
        expect(mail.parsed.subject).toBe('ویدیوی شما آماده است');
        expect(mail.parsed.text).toContain('سلام سارا،');
        expect(mail.parsed.text).toContain(`http://localhost:3000/renders/${jobId}`);
        expect(mail.parsed.html).toContain('dir="rtl"');
        expect(mail.parsed.from?.value[0]).toEqual({
          name: 'FlatRender',
          address: 'no-reply@flatrender.test',
        });
        const delivered = await n.events.waitFor(
          'notification.delivered.v1',
          (d) => d.notification_id === announced.data.notification_id,
        );
        expect(delivered.data).toMatchObject({ channel: 'email', kind: 'render.completed', attempts: 1 });
        expect(delivered.data.provider_message_id).toBe(mail.parsed.messageId);

        // The webhook: the event envelope, signed per Standard Webhooks with the endpoint's secret.
        const [request] = await hooks.waitFor(`/acceptance/${sara.tenantId}`);
        const headers = request!.headers as Record<string, string>;
        expect(new Webhook(created.body.secret).verify(request!.body.toString(), headers)).toEqual(event);
        expect(headers['webhook-id']).toBe(event.event_id);
        expect(headers['x-flatrender-event']).toBe('render.job.completed.v1');
        const fired = await n.events.waitFor('tenant.webhook.fired.v1', (d) => d.event_id === event.event_id);
        expect(fired.data).toMatchObject({ webhook_id: created.body.id, status_code: 200, attempt: 1 });
        expect(fired.data.delivery_id).toBe(headers['x-flatrender-delivery']);
      });

      it('writes in English to English speakers', async () => {
        const sam = await n.register({ locale: 'en', name: 'Sam' });
        await completed(sam, {
          kind: 'image',
          output: {
            ...sampleEnvelope('render.job.completed.v1').data.output,
            format: 'png',
            duration_seconds: null,
            fps: null,
          },
        });
        const mail = await smtp.waitFor(sam.email);
        expect(mail.parsed.subject).toBe('Your image is ready');
        expect(mail.parsed.text).toContain('Hi Sam,');
        expect(mail.parsed.html).toContain('<html lang="en" dir="ltr">');
        expect((await inbox(sam)).items[0].title).toBe('Your image is ready');
      });

      it('tells the member who asked for the job, in the job’s workspace', async () => {
        const owner = await n.register({ locale: 'en' });
        const member = await n.register({ locale: 'fa', name: 'Nima' });
        const jobId = randomUUID();
        await n.publish('render.job.queued.v1', owner.tenantId, member.userId, { job_id: jobId });
        const db = n.harness.started.find((s) => s.definition.name === 'notification')!.context.db!;
        await waitFor(async () =>
          (
            await db.asSystem((tx) =>
              tx.selectFrom('render_job').select('job_id').where('job_id', '=', jobId).execute(),
            )
          ).length
            ? true
            : undefined,
        );
        // The orchestrator completes jobs as the system, not as the user.
        await completed(owner, { job_id: jobId }, owner.tenantId, SYSTEM_USER_ID);
        await smtp.waitFor(member.email, (m) => m.parsed.text?.includes(jobId) ?? false);
        const theirs = await inbox(member, owner.tenantId);
        expect(theirs.items.map((i: { link: string }) => i.link)).toEqual([`/renders/${jobId}`]);
        expect((await inbox(owner)).items).toEqual([]);
        expect(smtp.to(owner.email)).toHaveLength(0);
      });

      it('explains a failed render in words and links to it', async () => {
        const user = await n.register({ locale: 'en' });
        const jobId = randomUUID();
        await n.publish('render.job.failed.v1', user.tenantId, user.userId, {
          job_id: jobId,
          error_code: 'font_missing',
          retryable: true,
          webhook_url: null,
        });
        const mail = await smtp.waitFor(user.email);
        expect(mail.parsed.subject).toBe('Your video could not be rendered');
        expect(mail.parsed.text).toContain('A font the template needs is not installed');
        expect(mail.parsed.text).toContain('You can retry it from the render page.');
        expect(mail.parsed.text).not.toContain('font_missing');
      });
    });

    describe('at-least-once delivery without duplicates', () => {
      it('a redelivered event writes one notice and sends one mail', async () => {
        const user = await n.register();
        const event = sampleEnvelope('render.job.completed.v1', {
          tenant_id: user.tenantId,
          user_id: user.userId,
          data: { job_id: randomUUID(), webhook_url: null },
        });
        await n.harness.bus.publish(event);
        await n.harness.bus.publish(event);
        await smtp.waitFor(user.email);
        await new Promise((r) => setTimeout(r, 500));
        expect((await inbox(user)).items).toHaveLength(1);
        expect(smtp.to(user.email)).toHaveLength(1);
      });

      it('a redelivered or duplicated dispatch sends the mail once', async () => {
        const user = await n.register({ locale: 'en' });
        const key = `account.password_reset:${randomUUID()}:email`;
        const dispatch = transactional(user.tenantId, user.userId, {
          source: 'transactional',
          idempotency_key: key,
          locale: 'en',
          channel: 'email',
          recipient: { email: user.email, name: user.name },
          recipient_user_id: user.userId,
          template: {
            kind: 'account.password_reset',
            params: {
              display_name: user.name,
              token: randomBytes(32).toString('base64url'),
              expires_at: new Date(Date.now() + 3_600_000).toISOString(),
            },
          },
        });
        // The same message twice (a publisher resend) and a copy with a new id (a duplicated request).
        await n.harness.bus.dispatch('notify.channel.email', dispatch);
        await n.harness.bus.dispatch('notify.channel.email', dispatch);
        await n.harness.bus.dispatch('notify.channel.email', { ...dispatch, event_id: randomUUID() });
        const mail = await smtp.waitFor(user.email);
        expect(mail.parsed.subject).toBe('Reset your password');
        await new Promise((r) => setTimeout(r, 700));
        expect(smtp.to(user.email)).toHaveLength(1);
        expect(n.events.of('notification.delivered.v1', (d) => d.idempotency_key === key)).toHaveLength(1);
      });
    });

    describe('a worker that died mid-send', () => {
      it('leaves a claim that another worker takes over once it expires: the mail still goes, once', async () => {
        const user = await n.register({ locale: 'en' });
        const key = `account.password_reset:${randomUUID()}:email`;
        const db = n.harness.started.find((s) => s.definition.name === 'notification')!.context.db!;
        // The claim of a worker that crashed half a second ago, before it sent anything.
        await db.asSystem((tx) =>
          tx
            .insertInto('delivery')
            .values({
              idempotency_key: key,
              tenant_id: user.tenantId,
              notification_id: null,
              channel: 'email',
              kind: 'account.password_reset',
              state: 'sending',
              attempts: 1,
              lease_until: new Date(Date.now() + 500),
            })
            .execute(),
        );
        await n.harness.bus.dispatch(
          'notify.channel.email',
          transactional(user.tenantId, user.userId, {
            source: 'transactional',
            idempotency_key: key,
            locale: 'en',
            channel: 'email',
            recipient: { email: user.email, name: user.name },
            recipient_user_id: user.userId,
            template: {
              kind: 'account.password_reset',
              params: {
                display_name: user.name,
                token: randomBytes(32).toString('base64url'),
                expires_at: new Date(Date.now() + 3_600_000).toISOString(),
              },
            },
          }),
        );
        const mail = await smtp.waitFor(user.email);
        expect(mail.parsed.subject).toBe('Reset your password');
        const delivered = await n.events.waitFor(
          'notification.delivered.v1',
          (d) => d.idempotency_key === key,
        );
        expect(delivered.data.attempts).toBe(2);
        expect(smtp.to(user.email)).toHaveLength(1);
      });
    });

    describe('channel failures', () => {
      it('end as notification.failed.v1 and land nowhere else', async () => {
        const user = await n.register({ email: REFUSED });
        await completed(user);
        const failed = await n.events.waitFor(
          'notification.failed.v1',
          (d) => d.channel === 'email' && d.kind === 'render.completed',
        );
        expect(failed.data).toMatchObject({ error_code: 'invalid_recipient', permanent: true, attempts: 1 });
        expect(failed.data.error_message).toContain('550');
        expect(failed.tenant_id).toBe(user.tenantId);
        await new Promise((r) => setTimeout(r, 500));
        expect(
          n.events.of('notification.delivered.v1', (d) => d.notification_id === failed.data.notification_id),
        ).toEqual([]);
        expect(dlq).toEqual([]);
        // The inbox still has it, and the notice shows what became of the mail.
        const item = (await inbox(user)).items[0];
        const detail = await n.request(n.principal(user), 'GET', `/v1/notifications/${item.id}`);
        expect(detail.body.deliveries).toEqual([
          expect.objectContaining({ channel: 'email', state: 'failed', error_code: 'invalid_recipient' }),
        ]);
      });
    });

    describe('the inbox', () => {
      it('pages newest first, counts unread, marks read one or all', async () => {
        const user = await n.register({ locale: 'en' });
        for (let i = 0; i < 5; i++) {
          await n.publish('file.quota_warning.v1', user.tenantId, SYSTEM_USER_ID, {
            threshold_percent: 80 + i,
          });
        }
        const me = n.principal(user);
        await waitFor(async () => ((await inbox(user)).items.length === 5 ? true : undefined));
        const first = await n.request(me, 'GET', '/v1/notifications?limit=2');
        expect(first.body.items).toHaveLength(2);
        expect(first.body.unread_count).toBe(5);
        const second = await n.request(
          me,
          'GET',
          `/v1/notifications?limit=2&cursor=${first.body.next_cursor}`,
        );
        const third = await n.request(
          me,
          'GET',
          `/v1/notifications?limit=2&cursor=${second.body.next_cursor}`,
        );
        expect(third.body.next_cursor).toBeNull();
        const all = [...first.body.items, ...second.body.items, ...third.body.items];
        expect(new Set(all.map((i: { id: string }) => i.id)).size).toBe(5);

        const read = await n.request(me, 'POST', `/v1/notifications/${all[0].id}/read`);
        expect(read.status).toBe(200);
        expect(read.body.read_at).not.toBeNull();
        expect((await n.request(me, 'GET', '/v1/notifications/unread-count')).body).toEqual({ count: 4 });
        const unread = await n.request(me, 'GET', '/v1/notifications?unread=true');
        expect(unread.body.items.map((i: { id: string }) => i.id)).not.toContain(all[0].id);
        expect((await n.request(me, 'POST', '/v1/notifications/read-all')).body).toEqual({ updated: 4 });
        expect((await n.request(me, 'GET', '/v1/notifications/unread-count')).body).toEqual({ count: 0 });
        // Quota warnings are quiet: in-app only.
        expect(smtp.to(user.email)).toHaveLength(0);
      });

      it('answers malformed requests with the field at fault', async () => {
        const user = await n.register();
        const me = n.principal(user);
        const badCursor = await n.request(me, 'GET', '/v1/notifications?cursor=nonsense');
        expect(badCursor.status).toBe(400);
        expect(badCursor.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
        const badLimit = await n.request(me, 'GET', '/v1/notifications?limit=500');
        expect(badLimit.status).toBe(400);
        expect(badLimit.body.error).toMatchObject({ code: 'invalid_request', field: 'limit' });
        const badId = await n.request(me, 'POST', '/v1/notifications/not-a-uuid/read');
        expect(badId.status).toBe(400);
        expect(badId.body.error.field).toBe('id');
        expect((await n.request(null, 'GET', '/v1/notifications')).status).toBe(401);
        const machine = n.principal(user, { kind: 'api_key', apiKeyId: randomUUID() });
        expect((await n.request(machine, 'GET', '/v1/notifications')).body.error.code).toBe('user_required');
      });
    });

    describe('preferences', () => {
      it('default to quiet channels and follow the user’s choices', async () => {
        const user = await n.register({ locale: 'en' });
        const me = n.principal(user);
        const initial = await n.request(me, 'GET', '/v1/notifications/preferences');
        expect(initial.status).toBe(200);
        const kinds = Object.fromEntries(initial.body.kinds.map((k: { kind: string }) => [k.kind, k]));
        expect(kinds['render.completed'].channels).toEqual({
          email: true,
          sms: false,
          telegram: false,
          push: false,
        });
        expect(kinds['storage.quota_warning'].channels.email).toBe(false);
        expect(kinds['account.banned']).toMatchObject({ configurable: false, channels: { email: true } });
        expect(initial.body.channels).toEqual({
          email: { available: true, ready: true },
          sms: { available: false, ready: false },
          telegram: { available: false, ready: false },
          push: { available: true, ready: false },
        });
        expect(initial.body.contact).toMatchObject({
          email: user.email,
          email_verified: true,
          telegram_linked: false,
        });

        const changed = await n.request(me, 'PUT', '/v1/notifications/preferences', {
          kinds: { 'render.completed': { email: false }, 'storage.quota_warning': { email: true } },
        });
        expect(changed.status).toBe(200);
        const after = Object.fromEntries(
          changed.body.kinds.map((k: { kind: string; channels: unknown }) => [k.kind, k.channels]),
        );
        expect(after['render.completed'].email).toBe(false);
        expect(after['storage.quota_warning'].email).toBe(true);

        await completed(user);
        await n.publish('file.quota_warning.v1', user.tenantId, SYSTEM_USER_ID, { threshold_percent: 95 });
        const quota = await smtp.waitFor(user.email);
        expect(quota.parsed.subject).toBe('Storage is 95% full');
        const notices = await waitFor(async () => {
          const items = (await inbox(user)).items;
          return items.length === 2 ? items : undefined;
        });
        const render = notices.find((i: { kind: string }) => i.kind === 'render.completed');
        expect(render.channels).toEqual(['in_app']);
        expect(smtp.to(user.email)).toHaveLength(1);
      });

      it('refuse switching off what is always sent, and unknown kinds or channels', async () => {
        const me = n.principal(await n.register());
        const locked = await n.request(me, 'PUT', '/v1/notifications/preferences', {
          kinds: { 'account.banned': { email: false } },
        });
        expect(locked.status).toBe(400);
        expect(locked.body.error).toMatchObject({ code: 'not_configurable', field: 'kinds.account.banned' });
        const unknown = await n.request(me, 'PUT', '/v1/notifications/preferences', {
          kinds: { 'render.completed': { fax: true } },
        });
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.code).toBe('invalid_request');
      });

      it('an unsubscribe link in the mail switches that kind of mail off, without signing in', async () => {
        const user = await n.register({ locale: 'fa' });
        await n.publish('identity.payment.failed.v1', user.tenantId, user.userId, {
          amount: 1_500_000,
          failure_code: 'declined',
        });
        const mail = await smtp.waitFor(user.email);
        expect(mail.parsed.subject).toBe('پرداخت ناموفق بود');
        expect(mail.parsed.text).toContain('۱٬۵۰۰٬۰۰۰ ریال');
        const list = mail.parsed.headers.get('list') as {
          unsubscribe: { url: string };
          'unsubscribe-post': unknown;
        };
        expect(list['unsubscribe-post']).toEqual({ name: 'List-Unsubscribe=One-Click' });
        const url = new URL(list.unsubscribe.url);
        expect(url.pathname).toBe('/v1/notifications/unsubscribe');
        const path = `${url.pathname}${url.search}`;

        // Opening the link only shows a page (mail scanners follow links).
        const page = await n.request(null, 'GET', path);
        expect(page.status).toBe(200);
        expect(page.headers['content-type']).toContain('text/html');
        expect(page.text).toContain('dir="rtl"');
        expect(page.text).toContain('<form method="post"');
        const me = n.principal(user);
        const before = await n.request(me, 'GET', '/v1/notifications/preferences');
        expect(
          before.body.kinds.find((k: { kind: string }) => k.kind === 'payment.failed').channels.email,
        ).toBe(true);

        // RFC 8058 one-click: a form POST with List-Unsubscribe=One-Click.
        const done = await n.request(null, 'POST', path, 'List-Unsubscribe=One-Click', {
          'content-type': 'application/x-www-form-urlencoded',
        });
        expect(done.status).toBe(200);
        expect(done.text).toContain('انجام شد');
        const after = await n.request(me, 'GET', '/v1/notifications/preferences');
        expect(
          after.body.kinds.find((k: { kind: string }) => k.kind === 'payment.failed').channels.email,
        ).toBe(false);

        await n.publish('identity.payment.failed.v1', user.tenantId, user.userId, {
          failure_code: 'expired',
        });
        await waitFor(async () => ((await inbox(user)).items.length === 2 ? true : undefined));
        expect(smtp.to(user.email)).toHaveLength(1);

        const forged = await n.request(
          null,
          'POST',
          `${url.pathname}?token=${url.searchParams.get('token')}x`,
          undefined,
          {
            accept: 'application/json',
          },
        );
        expect(forged.status).toBe(400);
        expect(forged.body.error).toMatchObject({ code: 'invalid_token', field: 'token' });
      });
    });

    describe('other notices', () => {
      it('mails the verification link of a new account, in its language', async () => {
        const user = await n.register({ verified: false, locale: 'en', name: 'Ava' });
        const mail = await smtp.waitFor(user.email);
        expect(mail.parsed.subject).toBe('Confirm your email address');
        expect(mail.parsed.text).toMatch(/http:\/\/localhost:3000\/verify-email\?token=[A-Za-z0-9_-]{43}/);
        // Nothing else is mailed to an unverified address.
        await completed(user);
        await waitFor(async () => ((await inbox(user)).items.length === 1 ? true : undefined));
        expect(smtp.to(user.email)).toHaveLength(1);
        await n.publish('identity.user.email_verified.v1', user.tenantId, user.userId, {
          user_id: user.userId,
          email: user.email,
        });
        const welcome = await waitFor(async () =>
          (await inbox(user)).items.find((i: { kind: string }) => i.kind === 'account.welcome'),
        );
        expect(welcome.title).toBe('Welcome to FlatRender');
        await completed(user);
        await smtp.waitFor(user.email, (m) => m.parsed.subject === 'Your video is ready');
      });

      it('mails team invitations dispatched by identity, to people without an account too', async () => {
        const owner = await n.register({ locale: 'fa' });
        const invitee = `new-${randomBytes(4).toString('hex')}@example.test`;
        const token = randomBytes(32).toString('base64url');
        const dispatch = transactional(owner.tenantId, owner.userId, {
          source: 'transactional',
          idempotency_key: `team.invitation:${randomUUID()}:email`,
          locale: 'fa',
          channel: 'email',
          recipient: { email: invitee, name: null },
          recipient_user_id: null,
          template: {
            kind: 'team.invitation',
            params: {
              invitation_id: randomUUID(),
              token,
              expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
              tenant_name: 'استودیو نور',
              inviter_name: 'سارا',
              role: 'editor',
            },
          },
        });
        await n.harness.bus.dispatch('notify.channel.email', dispatch);
        const mail = await smtp.waitFor(invitee);
        expect(mail.parsed.subject).toBe('دعوت به فضای کاری «استودیو نور» در فلت‌رندر');
        expect(mail.parsed.text).toContain('با نقش «ویرایشگر»');
        expect(mail.parsed.text).toContain(`/invitations/accept?token=${token}`);
      });

      it('tells the owner about payments and plans, and never mutes a ban', async () => {
        const user = await n.register({ locale: 'en' });
        await n.publish('identity.payment.succeeded.v1', user.tenantId, user.userId, {
          amount: 2_000_000,
          provider_reference: 'A1B2',
          purpose: 'plan_purchase',
        });
        const receipt = await smtp.waitFor(user.email);
        expect(receipt.parsed.subject).toBe('Payment received');
        expect(receipt.parsed.text).toContain('2,000,000 IRR');
        expect(receipt.parsed.text).toContain('Reference: A1B2');
        // A purchase is news; the free plan every tenant starts on is not.
        const free = sampleEnvelope('identity.plan.activated.v1').data.plan;
        await n.publish('identity.plan.activated.v1', user.tenantId, SYSTEM_USER_ID, {
          tenant_id: user.tenantId,
          plan: free,
          payment_id: null,
          expires_at: null,
          effective_at: new Date(Date.now() - 1000).toISOString(),
        });
        await n.publish('identity.plan.activated.v1', user.tenantId, SYSTEM_USER_ID, {
          tenant_id: user.tenantId,
          plan: { ...free, code: 'pro', name: { fa: 'حرفه‌ای', en: 'Pro' } },
          payment_id: randomUUID(),
          expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          effective_at: new Date().toISOString(),
        });
        const activated = await waitFor(async () =>
          (await inbox(user)).items.find((i: { kind: string }) => i.kind === 'plan.activated'),
        );
        expect(activated.title).toBe('Your Pro plan is active');
        expect(activated.channels).toEqual(['in_app']);

        await n.request(n.principal(user), 'PUT', '/v1/notifications/preferences', {
          kinds: { 'render.completed': { email: false } },
        });
        await n.publish('identity.user.banned.v1', SYSTEM_USER_ID, randomUUID(), {
          user_id: user.userId,
          reason_code: 'spam',
          banned_until: null,
        });
        const ban = await smtp.waitFor(
          user.email,
          (m) => m.parsed.subject === 'Your account has been blocked',
        );
        expect(ban.parsed.text).toContain('because of spam');
        expect(ban.parsed.headers.get('list')).toBeUndefined();
        expect(n.events.invalid).toEqual([]);
      });

      it('reminds the owner once before a paid period ends', async () => {
        const user = await n.register({ locale: 'fa' });
        const expiresAt = new Date(Date.now() + 2 * 86_400_000);
        await n.publish('identity.plan.activated.v1', user.tenantId, SYSTEM_USER_ID, {
          tenant_id: user.tenantId,
          plan: {
            ...sampleEnvelope('identity.plan.activated.v1').data.plan,
            name: { fa: 'حرفه‌ای', en: 'Pro' },
          },
          payment_id: randomUUID(),
          expires_at: expiresAt.toISOString(),
          effective_at: new Date().toISOString(),
        });
        const reminder = await smtp.waitFor(
          user.email,
          (m) => m.parsed.subject === 'طرح «حرفه‌ای» به‌زودی تمام می‌شود',
        );
        expect(reminder.parsed.text).toMatch(/ساعت [۰-۹]{2}:[۰-۹]{2}/);
        await n.scheduler().remindExpiringPlans();
        await n.scheduler().remindExpiringPlans();
        const items = (await inbox(user)).items.filter((i: { kind: string }) => i.kind === 'plan.expiring');
        expect(items).toHaveLength(1);
      });

      it('parks a notice for someone it has not heard of, and writes it once identity says who they are', async () => {
        const stranger = await n.register({ announce: false, locale: 'en', name: 'Lee' });
        await completed(stranger, {}, stranger.tenantId, stranger.userId);
        const mail = await smtp.waitFor(stranger.email);
        expect(mail.parsed.subject).toBe('Your video is ready');
        expect((await inbox(stranger)).items).toHaveLength(1);
        const db = n.harness.started.find((s) => s.definition.name === 'notification')!.context.db!;
        const left = await db.asSystem((tx) => tx.selectFrom('notice_backlog').selectAll().execute());
        expect(left.filter((row) => JSON.stringify(row.intent).includes(stranger.userId))).toEqual([]);

        // Unknown to identity too: kept aside and tried again later, nothing written meanwhile.
        const ghost = randomUUID();
        await n.publish('render.job.completed.v1', randomUUID(), ghost, {
          job_id: randomUUID(),
          webhook_url: null,
        });
        const parked = await waitFor(async () => {
          const rows = await db.asSystem((tx) =>
            tx.selectFrom('notice_backlog').selectAll().where('attempts', '>', 0).execute(),
          );
          return rows.length > 0 ? rows : undefined;
        });
        expect(parked[0]!.next_try_at.getTime()).toBeGreaterThan(Date.now() + 10_000);
      });
    });

    describe('housekeeping', () => {
      it('prunes expired codes and old settled deliveries, keeping recent ones', async () => {
        const user = await n.register();
        const db = n.harness.started.find((s) => s.definition.name === 'notification')!.context.db!;
        const old = `old:${randomUUID()}`;
        const recent = `recent:${randomUUID()}`;
        await db.asSystem(async (tx) => {
          await tx
            .insertInto('telegram_link_code')
            .values({
              code_hash: randomUUID(),
              user_id: user.userId,
              expires_at: new Date(Date.now() - 1000),
            })
            .execute();
          for (const [key, age] of [
            [old, 40],
            [recent, 1],
          ] as const) {
            await tx
              .insertInto('delivery')
              .values({
                idempotency_key: key,
                tenant_id: user.tenantId,
                notification_id: null,
                channel: 'email',
                kind: 'render.completed',
                state: 'sent',
                updated_at: new Date(Date.now() - age * 86_400_000),
              })
              .execute();
          }
        });
        await n.scheduler().prune(true);
        const left = await db.asSystem(async (tx) => ({
          codes: await tx
            .selectFrom('telegram_link_code')
            .select('user_id')
            .where('user_id', '=', user.userId)
            .execute(),
          deliveries: await tx
            .selectFrom('delivery')
            .select('idempotency_key')
            .where('idempotency_key', 'in', [old, recent])
            .execute(),
        }));
        expect(left.codes).toEqual([]);
        expect(left.deliveries).toEqual([{ idempotency_key: recent }]);
      });
    });

    describe('tenant isolation', () => {
      it('another tenant’s notification is not found; lists and counts are per user and workspace', async () => {
        const alice = await n.register();
        const bob = await n.register();
        await completed(alice);
        const item = await waitFor(async () => (await inbox(alice)).items[0]);
        const asBob = n.principal(bob);
        expect((await n.request(asBob, 'GET', `/v1/notifications/${item.id}`)).status).toBe(404);
        const read = await n.request(asBob, 'POST', `/v1/notifications/${item.id}/read`);
        expect(read.status).toBe(404);
        expect(read.body.error.code).toBe('notification_not_found');
        // Bob acting in Alice's workspace still sees only his own notices there.
        const inAlices = n.principal(bob, { tenantId: alice.tenantId, role: 'viewer' });
        expect((await n.request(inAlices, 'GET', '/v1/notifications')).body.items).toEqual([]);
        expect((await n.request(inAlices, 'POST', `/v1/notifications/${item.id}/read`)).status).toBe(404);
        expect((await n.request(inAlices, 'POST', '/v1/notifications/read-all')).body).toEqual({
          updated: 0,
        });
        // Alice in another workspace of hers does not see it either.
        const elsewhere = n.principal(alice, { tenantId: randomUUID() });
        expect((await n.request(elsewhere, 'GET', '/v1/notifications/unread-count')).body).toEqual({
          count: 0,
        });
        expect((await n.request(n.principal(alice), 'GET', '/v1/notifications/unread-count')).body).toEqual({
          count: 1,
        });
        // Preferences are the user's own: Bob's choices change nothing for Alice.
        await n.request(asBob, 'PUT', '/v1/notifications/preferences', {
          kinds: { 'render.completed': { email: false } },
        });
        const hers = await n.request(n.principal(alice), 'GET', '/v1/notifications/preferences');
        expect(
          hers.body.kinds.find((k: { kind: string }) => k.kind === 'render.completed').channels.email,
        ).toBe(true);
        expect(hers.body.contact.email).toBe(alice.email);
        expect(n.events.invalid).toEqual([]);
      });
    });
  },
);
