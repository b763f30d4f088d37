import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookEventKey } from '@flatrender/contracts';
import { describeWithServices } from '@flatrender/platform/testing';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISTRIBUTED,
  type KnownUser,
  type NotificationHarness,
  startNotificationHarness,
  waitFor,
} from './notification-test-kit';
import { type HttpRecorder, type RecordedRequest, startHttpRecorder } from './support/http-recorder';
import { type SmtpTestServer, startSmtpTestServer } from './support/smtp-test.server';

const RETRY_BASE_MS = 20;

const verify = (secret: string, request: RecordedRequest) =>
  new Webhook(secret).verify(request.body.toString(), request.headers as Record<string, string>);

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'notification: tenant webhooks (PostgreSQL, RabbitMQ)',
  () => {
    let n: NotificationHarness;
    let smtp: SmtpTestServer;
    let hooks: HttpRecorder;

    beforeAll(async () => {
      smtp = await startSmtpTestServer({ user: 'mailer', pass: randomBytes(8).toString('hex') });
      hooks = await startHttpRecorder();
      n = await startNotificationHarness(
        DISTRIBUTED,
        {
          SMTP_URL: smtp.url,
          NOTIFY_SCHEDULER_INTERVAL_MS: '25',
          WEBHOOK_ALLOW_PRIVATE: '1',
          WEBHOOK_ALLOWED_PORTS: '*',
          WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
          WEBHOOK_TIMEOUT_MS: '500',
          WEBHOOK_DISABLE_AFTER: '2',
        },
        // No jitter: the test knows every delay.
        { random: () => 0.5 },
      );
    });
    afterAll(async () => {
      await n?.stop();
      await smtp?.close();
      await hooks?.close();
    });

    /** Registers an endpoint for `user` at a fresh path of the recorder. */
    const endpoint = async (
      user: KnownUser,
      eventTypes: WebhookEventKey[],
      answer?: Parameters<HttpRecorder['respond']>[1],
    ) => {
      const path = `/hook/${randomUUID()}`;
      if (answer) hooks.respond(path, answer);
      const res = await n.request(n.principal(user), 'POST', '/v1/webhooks', {
        url: `${hooks.origin}${path}`,
        event_types: eventTypes,
        description: 'CI',
      });
      expect(res.status).toBe(201);
      return { id: res.body.id as string, secret: res.body.secret as string, path };
    };

    const started = (user: KnownUser) =>
      n.publish('render.job.started.v1', user.tenantId, user.userId, { job_id: randomUUID() });

    describe('endpoints', () => {
      it('are registered with the events they want; the secret is shown once', async () => {
        const user = await n.register();
        const me = n.principal(user);
        const created = await n.request(me, 'POST', '/v1/webhooks', {
          url: `${hooks.origin}/crud/one`,
          event_types: ['render.job.completed.v1', 'render.job.failed.v1'],
        });
        expect(created.status).toBe(201);
        expect(created.headers.location).toBe(`/v1/webhooks/${created.body.id}`);
        expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
        expect(created.body).toMatchObject({ enabled: true, consecutive_failures: 0, description: null });

        const got = await n.request(me, 'GET', `/v1/webhooks/${created.body.id}`);
        expect(got.status).toBe(200);
        expect(got.body.secret).toBeUndefined();
        expect(JSON.stringify(got.body)).not.toContain('whsec_');
        expect(got.body.event_types).toEqual(['render.job.completed.v1', 'render.job.failed.v1']);

        const changed = await n.request(me, 'PATCH', `/v1/webhooks/${created.body.id}`, {
          event_types: ['render.snapshot.ready.v1'],
          description: 'Snapshots',
        });
        expect(changed.body).toMatchObject({
          event_types: ['render.snapshot.ready.v1'],
          description: 'Snapshots',
        });

        const second = await n.request(me, 'POST', '/v1/webhooks', {
          url: `${hooks.origin}/crud/two`,
          event_types: ['render.job.queued.v1'],
        });
        const page1 = await n.request(me, 'GET', '/v1/webhooks?limit=1');
        expect(page1.body.items.map((w: { id: string }) => w.id)).toEqual([created.body.id]);
        const page2 = await n.request(me, 'GET', `/v1/webhooks?limit=1&cursor=${page1.body.next_cursor}`);
        expect(page2.body).toMatchObject({ items: [{ id: second.body.id }], next_cursor: null });

        expect((await n.request(me, 'DELETE', `/v1/webhooks/${created.body.id}`)).status).toBe(204);
        expect((await n.request(me, 'GET', `/v1/webhooks/${created.body.id}`)).status).toBe(404);
      });

      it('answer malformed input with the field at fault, and need the webhooks scopes', async () => {
        const user = await n.register();
        const me = n.principal(user);
        const cases: [unknown, string][] = [
          [{ url: 'ftp://x.example.com/', event_types: ['render.job.queued.v1'] }, 'url'],
          [{ url: 'https://x.example.com/', event_types: ['identity.user.banned.v1'] }, 'event_types.0'],
          [{ url: 'https://x.example.com/', event_types: [] }, 'event_types'],
          [
            { url: 'https://x.example.com/', event_types: ['render.job.queued.v1', 'render.job.queued.v1'] },
            'event_types',
          ],
          [{ url: 'https://x.example.com/', event_types: ['render.job.queued.v1'], secret: 'mine' }, ''],
        ];
        for (const [body, field] of cases) {
          const res = await n.request(me, 'POST', '/v1/webhooks', body);
          expect(res.status, JSON.stringify(body)).toBe(400);
          expect(res.body.error.code).toBe('invalid_request');
          if (field) expect(res.body.error.field).toBe(field);
        }
        const empty = await n.request(me, 'PATCH', `/v1/webhooks/${randomUUID()}`, {});
        expect(empty.status).toBe(400);
        const viewer = n.principal(user, { role: 'viewer', scopes: ['webhooks:read'] });
        const refused = await n.request(viewer, 'POST', '/v1/webhooks', {
          url: 'https://x.example.com/',
          event_types: ['render.job.queued.v1'],
        });
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('insufficient_scope');
        expect((await n.request(viewer, 'GET', '/v1/webhooks')).status).toBe(200);
        expect((await n.request(null, 'GET', '/v1/webhooks')).status).toBe(401);
      });
    });

    describe('deliveries', () => {
      it('POST the event envelope signed per Standard Webhooks, and log status and response time', async () => {
        const user = await n.register();
        const hook = await endpoint(user, ['render.job.started.v1']);
        const other = await endpoint(user, ['render.job.completed.v1']);
        const event = await started(user);
        const [request] = await hooks.waitFor(hook.path);
        expect(request!.method).toBe('POST');
        expect(request!.headers['content-type']).toBe('application/json');
        expect(request!.headers['user-agent']).toBe('FlatRender-Webhooks/1.0');
        expect(verify(hook.secret, request!)).toEqual(event);
        expect(() => verify(other.secret, request!)).toThrow(WebhookVerificationError);
        const fired = await n.events.waitFor('tenant.webhook.fired.v1', (d) => d.webhook_id === hook.id);
        expect(fired.tenant_id).toBe(user.tenantId);

        const log = await n.request(n.principal(user), 'GET', `/v1/webhooks/${hook.id}/deliveries`);
        expect(log.status).toBe(200);
        expect(log.body.items).toHaveLength(1);
        const [delivery] = log.body.items;
        expect(delivery).toMatchObject({
          id: fired.data.delivery_id,
          event_id: event.event_id,
          event_type: 'render.job.started.v1',
          state: 'succeeded',
          attempts: 1,
          last_status_code: 200,
          next_attempt_at: null,
        });
        expect(delivery.attempt_log).toEqual([
          expect.objectContaining({
            attempt: 1,
            status_code: 200,
            error_code: null,
            duration_ms: fired.data.duration_ms,
          }),
        ]);
        const one = await n.request(
          n.principal(user),
          'GET',
          `/v1/webhooks/${hook.id}/deliveries/${delivery.id}`,
        );
        expect(one.body).toEqual(delivery);
        // Not subscribed to this event: nothing arrived.
        expect(hooks.on(other.path)).toHaveLength(0);
      });

      it('a redelivered event is delivered once', async () => {
        const user = await n.register();
        const hook = await endpoint(user, ['render.job.cancelled.v1']);
        const event = await n.publish('render.job.cancelled.v1', user.tenantId, user.userId, {
          job_id: randomUUID(),
        });
        await n.harness.bus.publish(event);
        await hooks.waitFor(hook.path);
        await new Promise((r) => setTimeout(r, 500));
        expect(hooks.on(hook.path)).toHaveLength(1);
      });

      it('retries 5xx answers with growing delays, six attempts, then marks the delivery failed', async () => {
        const user = await n.register();
        const hook = await endpoint(user, ['render.job.started.v1'], () => ({
          status: 500,
          body: { error: 'boom' },
        }));
        const event = await started(user);
        const requests = await hooks.waitFor(hook.path, 6, 30_000);
        const gaps = requests.slice(1).map((r, i) => r.at - requests[i]!.at);
        const delays = [1, 2, 3, 4, 5].map((a) => RETRY_BASE_MS * 4 ** (a - 1));
        gaps.forEach((gap, i) => {
          expect(gap).toBeGreaterThanOrEqual(delays[i]! - 5);
        });
        expect(gaps[4]!).toBeGreaterThan(gaps[3]!);
        expect(gaps[3]!).toBeGreaterThan(gaps[2]!);
        for (const r of requests) expect(r.headers['webhook-id']).toBe(event.event_id);
        expect(requests.map((r) => r.headers['x-flatrender-attempt'])).toEqual([
          '1',
          '2',
          '3',
          '4',
          '5',
          '6',
        ]);

        const failures = await waitFor(() => {
          const got = n.events.of('tenant.webhook.failed.v1', (d) => d.webhook_id === hook.id);
          return got.length === 6 ? got : undefined;
        });
        expect(failures.map((f) => (f.envelope.data as { will_retry: boolean }).will_retry)).toEqual([
          true,
          true,
          true,
          true,
          true,
          false,
        ]);
        expect(failures[5]!.envelope.data).toMatchObject({
          error_code: 'http_status',
          status_code: 500,
          attempt: 6,
          endpoint_disabled: false,
        });
        const log = await n.request(
          n.principal(user),
          'GET',
          `/v1/webhooks/${hook.id}/deliveries?state=failed`,
        );
        expect(log.body.items).toHaveLength(1);
        expect(log.body.items[0]).toMatchObject({
          state: 'failed',
          attempts: 6,
          last_status_code: 500,
          last_error_code: 'http_status',
        });
        expect(log.body.items[0].attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([
          500, 500, 500, 500, 500, 500,
        ]);
        // No more attempts come.
        await new Promise((r) => setTimeout(r, 300));
        expect(hooks.on(hook.path)).toHaveLength(6);
        expect(
          (await n.request(n.principal(user), 'GET', `/v1/webhooks/${hook.id}`)).body.consecutive_failures,
        ).toBe(1);
      });

      it('retries a timeout, and gives up at once on answers that will not change', async () => {
        const user = await n.register();
        let calls = 0;
        const slow = await endpoint(user, ['render.job.started.v1'], () =>
          ++calls === 1 ? { status: 200, delayMs: 1_500 } : { status: 204 },
        );
        const gone = await endpoint(user, ['render.job.started.v1'], () => ({ status: 410 }));
        await started(user);
        const fired = await n.events.waitFor(
          'tenant.webhook.fired.v1',
          (d) => d.webhook_id === slow.id,
          20_000,
        );
        expect(fired.data).toMatchObject({ attempt: 2, status_code: 204 });
        const log = await n.request(n.principal(user), 'GET', `/v1/webhooks/${slow.id}/deliveries`);
        expect(log.body.items[0].attempt_log[0]).toMatchObject({
          attempt: 1,
          error_code: 'timeout',
          status_code: null,
        });
        expect(log.body.items[0].attempt_log[0].duration_ms).toBeGreaterThanOrEqual(450);
        const final = await n.events.waitFor('tenant.webhook.failed.v1', (d) => d.webhook_id === gone.id);
        expect(final.data).toMatchObject({ attempt: 1, status_code: 410, will_retry: false });
        expect(hooks.on(gone.path)).toHaveLength(1);
      });

      it('sends the retries of a pending delivery to the endpoint’s new URL once it moved', async () => {
        const user = await n.register();
        const hook = await endpoint(user, ['render.job.started.v1'], () => ({ status: 503 }));
        await started(user);
        await hooks.waitFor(hook.path);
        const moved = `/moved/${randomUUID()}`;
        const patched = await n.request(n.principal(user), 'PATCH', `/v1/webhooks/${hook.id}`, {
          url: `${hooks.origin}${moved}`,
        });
        expect(patched.body.url).toBe(`${hooks.origin}${moved}`);
        const fired = await n.events.waitFor(
          'tenant.webhook.fired.v1',
          (d) => d.webhook_id === hook.id,
          20_000,
        );
        expect(fired.data.url).toBe(`${hooks.origin}${moved}`);
        expect(fired.data.attempt).toBeGreaterThanOrEqual(2);
        const [arrived] = await hooks.waitFor(moved);
        expect(verify(hook.secret, arrived!)).toMatchObject({ event_type: 'render.job.started.v1' });
      });

      it('disables an endpoint after repeated failures, tells the owner, and replays once it works again', async () => {
        const owner = await n.register({ locale: 'en' });
        let status = 404;
        const hook = await endpoint(owner, ['render.job.started.v1'], () => ({ status }));
        await started(owner);
        await n.events.waitFor('tenant.webhook.failed.v1', (d) => d.webhook_id === hook.id);
        await started(owner);
        const disabling = await n.events.waitFor(
          'tenant.webhook.failed.v1',
          (d) => d.webhook_id === hook.id && d.endpoint_disabled,
        );
        expect(disabling.data.will_retry).toBe(false);
        const me = n.principal(owner);
        const state = await n.request(me, 'GET', `/v1/webhooks/${hook.id}`);
        expect(state.body).toMatchObject({ enabled: false, consecutive_failures: 2 });
        expect(state.body.disabled_reason).toContain('2 deliveries in a row failed');

        const mail = await smtp.waitFor(
          owner.email,
          (m) => m.parsed.subject === 'A webhook endpoint was disabled',
        );
        expect(mail.parsed.text).toContain(`${hooks.origin}${hook.path}`);
        expect(mail.parsed.text).toContain(`/account/webhooks/${hook.id}`);
        const notice = (await n.request(me, 'GET', '/v1/notifications')).body.items[0];
        expect(notice).toMatchObject({
          kind: 'webhook.endpoint_disabled',
          link: `/account/webhooks/${hook.id}`,
        });

        // Disabled: new events are not delivered to it.
        await started(owner);
        await new Promise((r) => setTimeout(r, 500));
        expect(hooks.on(hook.path)).toHaveLength(2);

        status = 200;
        const enabled = await n.request(me, 'PATCH', `/v1/webhooks/${hook.id}`, { enabled: true });
        expect(enabled.body).toMatchObject({ enabled: true, consecutive_failures: 0, disabled_at: null });
        const failed = (await n.request(me, 'GET', `/v1/webhooks/${hook.id}/deliveries?state=failed`)).body
          .items;
        const replay = await n.request(
          me,
          'POST',
          `/v1/webhooks/${hook.id}/deliveries/${failed[0].id}/replay`,
        );
        expect(replay.status).toBe(202);
        expect(replay.body).toMatchObject({
          replay_of: failed[0].id,
          state: 'pending',
          event_id: failed[0].event_id,
        });
        const fired = await n.events.waitFor(
          'tenant.webhook.fired.v1',
          (d) => d.delivery_id === replay.body.id,
        );
        expect(fired.data.event_id).toBe(failed[0].event_id);
        const requests = hooks.on(hook.path);
        expect(requests.at(-1)!.headers['webhook-id']).toBe(failed[0].event_id);
        expect(verify(hook.secret, requests.at(-1)!)).toMatchObject({ event_id: failed[0].event_id });
      });

      it('signs with the old and the new secret during a rotation', async () => {
        const user = await n.register();
        const hook = await endpoint(user, ['render.job.started.v1']);
        const me = n.principal(user);
        const rotated = await n.request(me, 'POST', `/v1/webhooks/${hook.id}/rotate-secret`, {
          grace_seconds: 3600,
        });
        expect(rotated.status).toBe(200);
        expect(rotated.body.secret).not.toBe(hook.secret);
        expect(Date.parse(rotated.body.previous_secret_expires_at)).toBeGreaterThan(Date.now() + 3_500_000);
        await started(user);
        const [during] = await hooks.waitFor(hook.path);
        expect(during!.headers['webhook-signature']!.toString().split(' ')).toHaveLength(2);
        expect(() => verify(hook.secret, during!)).not.toThrow();
        expect(() => verify(rotated.body.secret, during!)).not.toThrow();

        const retired = await n.request(me, 'POST', `/v1/webhooks/${hook.id}/rotate-secret`, {
          grace_seconds: 0,
        });
        expect(retired.body.previous_secret_expires_at).toBeNull();
        await started(user);
        const requests = await hooks.waitFor(hook.path, 2);
        expect(() => verify(retired.body.secret, requests[1]!)).not.toThrow();
        expect(() => verify(rotated.body.secret, requests[1]!)).toThrow(WebhookVerificationError);
      });

      it('delivers a render’s own webhook_url the same way, signed with the job-callbacks secret', async () => {
        const user = await n.register();
        const me = n.principal(user);
        const callbacks = await n.request(me, 'POST', '/v1/webhooks/job-callbacks/rotate-secret', {
          grace_seconds: 0,
        });
        expect(callbacks.status).toBe(200);
        const path = `/job/${randomUUID()}`;
        const event = await n.publish('render.job.completed.v1', user.tenantId, user.userId, {
          job_id: randomUUID(),
          webhook_url: `${hooks.origin}${path}?ref=42`,
          metadata: { order: 'A-17', count: 3 },
        });
        const [request] = await hooks.waitFor(path);
        expect(request!.path).toBe(`${path}?ref=42`);
        const body = verify(callbacks.body.secret, request!) as { data: { metadata: unknown } };
        expect(body.data.metadata).toEqual({ order: 'A-17', count: 3 });
        const fired = await n.events.waitFor('tenant.webhook.fired.v1', (d) => d.event_id === event.event_id);
        expect(fired.data.webhook_id).toBe(callbacks.body.id);
        const view = await n.request(me, 'GET', '/v1/webhooks/job-callbacks');
        expect(view.body).toMatchObject({ id: callbacks.body.id, previous_secret_expires_at: null });
        const log = await n.request(me, 'GET', `/v1/webhooks/${callbacks.body.id}/deliveries`);
        expect(log.body.items[0]).toMatchObject({ url: `${hooks.origin}${path}?ref=42`, state: 'succeeded' });
      });
    });

    describe('tenant isolation', () => {
      it('another tenant’s endpoints and deliveries are not found, and its events never reach mine', async () => {
        const alice = await n.register();
        const bob = await n.register();
        const hook = await endpoint(alice, ['render.job.started.v1']);
        const bobs = await endpoint(bob, ['render.job.started.v1']);
        await started(alice);
        const fired = await n.events.waitFor('tenant.webhook.fired.v1', (d) => d.webhook_id === hook.id);
        const delivery = fired.data.delivery_id;
        const asBob = n.principal(bob);
        const attempts: [string, string, unknown?][] = [
          ['GET', `/v1/webhooks/${hook.id}`],
          ['PATCH', `/v1/webhooks/${hook.id}`, { description: 'mine now' }],
          ['DELETE', `/v1/webhooks/${hook.id}`],
          ['POST', `/v1/webhooks/${hook.id}/rotate-secret`, {}],
          ['GET', `/v1/webhooks/${hook.id}/deliveries`],
          ['GET', `/v1/webhooks/${hook.id}/deliveries/${delivery}`],
          ['POST', `/v1/webhooks/${hook.id}/deliveries/${delivery}/replay`],
          ['GET', `/v1/webhooks/${bobs.id}/deliveries/${delivery}`],
          ['POST', `/v1/webhooks/${bobs.id}/deliveries/${delivery}/replay`],
        ];
        for (const [method, url, body] of attempts) {
          const res = await n.request(asBob, method as 'GET', url, body);
          expect(res.status, `${method} ${url}`).toBe(404);
        }
        expect(
          (await n.request(asBob, 'GET', '/v1/webhooks')).body.items.map((w: { id: string }) => w.id),
        ).toEqual([bobs.id]);
        const still = await n.request(n.principal(alice), 'GET', `/v1/webhooks/${hook.id}`);
        expect(still.body.description).toBe('CI');
        expect(hooks.on(bobs.path)).toHaveLength(0);
        expect(n.events.invalid).toEqual([]);
      });
    });
  },
);

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'notification: webhook SSRF refusals (private targets not allowed)',
  () => {
    let n: NotificationHarness;
    let hooks: HttpRecorder;

    beforeAll(async () => {
      hooks = await startHttpRecorder();
      n = await startNotificationHarness(
        DISTRIBUTED,
        { NOTIFY_SCHEDULER_INTERVAL_MS: '25', WEBHOOK_ALLOWED_PORTS: `80,443,${hooks.port}` },
        {
          // Names the test controls: one resolving to loopback, one to a private address.
          resolver: async (host) => {
            const answers: Record<string, string> = {
              'loop.example.test': '127.0.0.1',
              'intranet.example.test': '10.0.0.7',
            };
            const address = answers[host];
            if (!address) throw new Error(`ENOTFOUND ${host}`);
            return [{ address, family: 4 }];
          },
        },
      );
    });
    afterAll(async () => {
      await n?.stop();
      await hooks?.close();
    });

    it('refuses to register loopback, private, metadata and odd-port targets, naming why', async () => {
      const me = n.principal(await n.register());
      const cases: [string, string][] = [
        [`http://127.0.0.1:${hooks.port}/x`, 'loopback'],
        [`http://loop.example.test:${hooks.port}/x`, 'resolves to 127.0.0.1 is a loopback address'],
        ['http://intranet.example.test/x', 'resolves to 10.0.0.7 is a private address'],
        ['http://169.254.169.254/latest/meta-data/', 'metadata'],
        ['http://[::ffff:127.0.0.1]/', 'loopback'],
        ['https://hooks.example.test:22/', 'port 22 is not allowed'],
      ];
      for (const [url, reason] of cases) {
        const res = await n.request(me, 'POST', '/v1/webhooks', {
          url,
          event_types: ['render.job.completed.v1'],
        });
        expect(res.status, url).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'blocked_url', field: 'url' });
        expect(res.body.error.message).toContain(reason);
      }
    });

    it('never connects to a blocked render webhook_url: the delivery fails as blocked_address', async () => {
      const user = await n.register();
      const event = await n.publish('render.job.completed.v1', user.tenantId, user.userId, {
        job_id: randomUUID(),
        webhook_url: `http://loop.example.test:${hooks.port}/ssrf`,
      });
      const failed = await n.events.waitFor('tenant.webhook.failed.v1', (d) => d.event_id === event.event_id);
      expect(failed.data).toMatchObject({
        error_code: 'blocked_address',
        status_code: null,
        will_retry: false,
        attempt: 1,
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(hooks.requests).toHaveLength(0);
      expect(n.events.invalid).toEqual([]);
    });
  },
);
