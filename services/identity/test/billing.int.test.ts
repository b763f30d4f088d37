import { IDENTITY_EVENTS } from '@flatrender/contracts';
import { describeWithServices } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectValidEnvelope, type IdentityKit, signUp, startIdentityKit } from './identity-test-kit';
import { startZarinpalProtocolServer, type ZarinpalProtocolServer } from './zarinpal-protocol.server';

const ADMIN_PASSWORD = 'admin-test-password-b2e8';
const DAY = 86_400_000;
type Data = Record<string, unknown>;
type Auth = { authorization: string };

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'identity: plans and payments (ZarinPal protocol server)',
  () => {
    let kit: IdentityKit;
    let zarinpal: ZarinpalProtocolServer;
    let adminAuth: Auth;
    beforeAll(async () => {
      zarinpal = await startZarinpalProtocolServer();
      kit = await startIdentityKit({
        env: {
          FLATRENDER_ADMIN_PASSWORD: ADMIN_PASSWORD,
          IDENTITY_SCHEDULER_INTERVAL_MS: '300',
          ZARINPAL_MERCHANT_ID: zarinpal.merchantId,
          ZARINPAL_BASE_URL: zarinpal.url,
          IDENTITY_PAYMENT_RETURN_URL: 'http://web.test/billing/return',
        },
      });
      await kit.harness.started[0]!.parts.seed!();
      const admin = await post('/v1/auth/login', {
        email: 'admin@flatrender.local',
        password: ADMIN_PASSWORD,
      });
      adminAuth = { authorization: `Bearer ${admin.json().access_token}` };
    });
    afterAll(async () => {
      await kit?.stop();
      await zarinpal?.close();
    });

    const app = () => kit.harness.app;
    const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      app().inject({
        method: 'POST',
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

    /** Plays the payer's browser: StartPay at the broker, then back to our callback. */
    async function payAtBroker(redirectUrl: string, pay = true) {
      const atBroker = await fetch(`${redirectUrl}${pay ? '' : '?pay=0'}`, { redirect: 'manual' });
      expect(atBroker.status).toBe(302);
      const back = new URL(atBroker.headers.get('location')!);
      expect(back.pathname).toBe('/v1/payments/callback');
      return callback(`${back.pathname}${back.search}`);
    }
    async function callback(pathAndQuery: string) {
      const res = await app().inject({ url: pathAndQuery });
      expect(res.statusCode, res.body).toBe(303);
      return new URL(res.headers.location as string);
    }
    const eventsOf = (key: string, paymentId: string) =>
      kit.messages.filter((m) => m.routingKey === key && (m.envelope.data as Data).payment_id === paymentId);

    it('lists the seeded plans with limits and prices', async () => {
      const res = await app().inject({ url: '/v1/plans' });
      expect(res.statusCode).toBe(200);
      const plans = res.json().items;
      expect(plans.map((p: { code: string }) => p.code)).toEqual(['free', 'pro', 'business']);
      expect(plans[1]).toMatchObject({
        price: 2_000_000,
        currency: 'IRR',
        period_days: 30,
        limits: { render_queue: 'paid', watermark: false },
      });
    });

    it('a paid plan: request -> StartPay -> callback -> verify activates it; a replayed callback changes nothing', async () => {
      const owner = await signUp(kit, 'payer');
      const started = await post('/v1/payments', { plan_code: 'pro' }, owner.auth);
      expect(started.statusCode, started.body).toBe(201);
      const { payment, redirect_url } = started.json();
      expect(payment).toMatchObject({
        status: 'pending',
        amount: 2_000_000,
        kind: 'plan',
        plan_code: 'pro',
        provider: 'zarinpal',
      });
      expect(redirect_url).toMatch(new RegExp(`^${zarinpal.url}/pg/StartPay/A[0-9a-f]{35}$`));

      const landing = await payAtBroker(redirect_url);
      expect(`${landing.origin}${landing.pathname}`).toBe('http://web.test/billing/return');
      expect(landing.searchParams.get('payment_id')).toBe(payment.id);
      expect(landing.searchParams.get('status')).toBe('succeeded');

      const succeeded = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.payment.succeeded.v1' &&
          (m.envelope.data as Data).payment_id === payment.id,
        'payment.succeeded',
      );
      const authority = redirect_url.split('/').at(-1);
      expect(expectValidEnvelope(succeeded).data).toMatchObject({
        amount: 2_000_000,
        currency: 'IRR',
        provider: 'zarinpal',
        plan_code: 'pro',
        purpose: 'plan_purchase',
        provider_reference: String(zarinpal.transactions.get(authority)?.refId),
        card_mask: '502229******5995',
      });
      const activated = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.plan.activated.v1' &&
          (m.envelope.data as Data).payment_id === payment.id,
        'plan.activated',
      );
      const act = expectValidEnvelope(activated).data as {
        plan: { code: string };
        expires_at: string;
        subscription_id: string;
      };
      expect(act.plan.code).toBe('pro');
      expect(Math.abs(new Date(act.expires_at).getTime() - Date.now() - 30 * DAY)).toBeLessThan(60_000);

      const details = (
        await app().inject({ url: `/v1/tenants/${owner.tenant.id}`, headers: owner.auth })
      ).json();
      expect(details.plan).toMatchObject({ code: 'pro', subscription_id: act.subscription_id });

      // The browser (or an attacker) replays the return: same answer, no second verification, no new events.
      const verifyCalls = zarinpal.calls.get('/pg/v4/payment/verify.json');
      const replay = await callback(`/v1/payments/callback?Authority=${authority}&Status=OK`);
      expect(replay.searchParams.get('status')).toBe('succeeded');
      const replayNok = await callback(`/v1/payments/callback?Authority=${authority}&Status=NOK`);
      expect(replayNok.searchParams.get('status')).toBe('succeeded');
      expect(zarinpal.calls.get('/pg/v4/payment/verify.json')).toBe(verifyCalls);
      await new Promise((r) => setTimeout(r, 500));
      expect(eventsOf('identity.payment.succeeded.v1', payment.id)).toHaveLength(1);

      // Paying the same plan again extends the period from its end and keeps the subscription.
      const again = (await post('/v1/payments', { plan_code: 'pro' }, owner.auth)).json();
      await payAtBroker(again.redirect_url);
      const renewal = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.payment.succeeded.v1' &&
          (m.envelope.data as Data).payment_id === again.payment.id,
        'renewal',
      );
      expect((renewal.envelope.data as Data).purpose).toBe('plan_renewal');
      const renewed = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.plan.activated.v1' &&
          (m.envelope.data as Data).payment_id === again.payment.id,
        'renewed activation',
      );
      const ren = renewed.envelope.data as { subscription_id: string; expires_at: string };
      expect(ren.subscription_id).toBe(act.subscription_id);
      expect(new Date(ren.expires_at).getTime() - new Date(act.expires_at).getTime()).toBe(30 * DAY);

      const listed = (await app().inject({ url: '/v1/payments?limit=1', headers: owner.auth })).json();
      expect(listed.items).toHaveLength(1);
      expect(listed.items[0].id).toBe(again.payment.id);
      const next = (
        await app().inject({ url: `/v1/payments?limit=1&cursor=${listed.next_cursor}`, headers: owner.auth })
      ).json();
      expect(next.items[0].id).toBe(payment.id);
      expect(next.next_cursor).toBeNull();
    });

    it('records a cancelled payment and a forged return as failures, verified with the broker', async () => {
      const owner = await signUp(kit, 'canceller');
      const first = (await post('/v1/payments', { plan_code: 'business' }, owner.auth)).json();
      const cancelled = await payAtBroker(first.redirect_url, false);
      expect(cancelled.searchParams.get('status')).toBe('failed');
      const failed = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.payment.failed.v1' &&
          (m.envelope.data as Data).payment_id === first.payment.id,
        'payment.failed',
      );
      expect(expectValidEnvelope(failed).data).toMatchObject({
        failure_code: 'cancelled_by_user',
        plan_code: 'business',
      });

      // A return claiming success for a payment nobody paid: the broker says no.
      const second = (await post('/v1/payments', { plan_code: 'business' }, owner.auth)).json();
      const authority = second.redirect_url.split('/').at(-1);
      const forged = await callback(`/v1/payments/callback?Authority=${authority}&Status=OK`);
      expect(forged.searchParams.get('status')).toBe('failed');
      const forgedEvent = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.payment.failed.v1' &&
          (m.envelope.data as Data).payment_id === second.payment.id,
        'forged failure',
      );
      expect((forgedEvent.envelope.data as Data).failure_code).toBe('declined');
      const details = (
        await app().inject({ url: `/v1/tenants/${owner.tenant.id}`, headers: owner.auth })
      ).json();
      expect(details.plan.code).toBe('free');

      const unknown = await app().inject({ url: '/v1/payments/callback?Authority=A000&Status=OK' });
      expect(unknown.statusCode).toBe(404);
    });

    it('keeps a payment open while the broker is down and settles it on the next return', async () => {
      const owner = await signUp(kit, 'patient');
      const started = (await post('/v1/payments', { amount: 50_000 }, owner.auth)).json();
      expect(started.payment).toMatchObject({ kind: 'balance', plan_code: null, amount: 50_000 });
      const atBroker = await fetch(started.redirect_url, { redirect: 'manual' });
      const back = new URL(atBroker.headers.get('location')!);
      zarinpal.setUnavailable(true);
      try {
        const pending = await callback(`${back.pathname}${back.search}`);
        expect(pending.searchParams.get('status')).toBe('pending');
      } finally {
        zarinpal.setUnavailable(false);
      }
      const settled = await callback(`${back.pathname}${back.search}`);
      expect(settled.searchParams.get('status')).toBe('succeeded');
      const event = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.payment.succeeded.v1' &&
          (m.envelope.data as Data).payment_id === started.payment.id,
        'balance credit',
      );
      expect(expectValidEnvelope(event).data).toMatchObject({
        purpose: 'balance_credit',
        plan_code: null,
        amount: 50_000,
      });
      const details = (
        await app().inject({ url: `/v1/tenants/${owner.tenant.id}`, headers: owner.auth })
      ).json();
      expect(details.balance).toBe(50_000);

      // An admin refunds part of it: recorded, announced, taken off the balance.
      const refund = await post(
        `/v1/admin/payments/${started.payment.id}/refund`,
        { amount: 20_000, reason_code: 'customer_request' },
        adminAuth,
      );
      expect(refund.statusCode, refund.body).toBe(200);
      expect(refund.json()).toMatchObject({ refunded_amount: 20_000, status: 'succeeded' });
      const refunded = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.payment.refunded.v1' &&
          (m.envelope.data as Data).payment_id === started.payment.id,
        'payment.refunded',
      );
      expect(expectValidEnvelope(refunded).data).toMatchObject({
        refunded_amount: 20_000,
        full: false,
        reason_code: 'customer_request',
      });
      expect(
        (await app().inject({ url: `/v1/tenants/${owner.tenant.id}`, headers: owner.auth })).json().balance,
      ).toBe(30_000);
      const tooMuch = await post(
        `/v1/admin/payments/${started.payment.id}/refund`,
        { amount: 40_000, reason_code: 'admin' },
        adminAuth,
      );
      expect(tooMuch.statusCode).toBe(400);
      expect(tooMuch.json().error.field).toBe('amount');
    });

    it('manual payments by an admin; the scheduler expires a plan and falls back to free', async () => {
      const owner = await signUp(kit, 'manual');
      const manual = await post(
        '/v1/admin/payments',
        {
          tenant_id: owner.tenant.id,
          plan_code: 'business',
          reference: 'transfer-981',
          note: 'paid by bank',
        },
        adminAuth,
      );
      expect(manual.statusCode, manual.body).toBe(201);
      expect(manual.json()).toMatchObject({
        provider: 'manual',
        status: 'succeeded',
        amount: 8_000_000,
        provider_reference: 'transfer-981',
      });
      const activated = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.plan.activated.v1' &&
          (m.envelope.data as Data).payment_id === manual.json().id,
        'manual activation',
      );
      const subscriptionId = (activated.envelope.data as Data).subscription_id;

      await kit.harness.database!.scoped('identity').asSystem((tx) =>
        tx
          .updateTable('subscriptions')
          .set({ expires_at: new Date(Date.now() - 1000) })
          .where('id', '=', subscriptionId)
          .execute(),
      );
      const expired = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.plan.expired.v1' &&
          (m.envelope.data as Data).subscription_id === subscriptionId,
        'plan.expired',
        15_000,
      );
      expect(expectValidEnvelope(expired).data).toMatchObject({
        tenant_id: owner.tenant.id,
        expired_plan_code: 'business',
        effective_plan: { code: 'free' },
      });
      const details = (
        await app().inject({ url: `/v1/tenants/${owner.tenant.id}`, headers: owner.auth })
      ).json();
      expect(details.plan).toMatchObject({ code: 'free', expires_at: null });
    });

    it('admins edit plans and tenants on them get the new limits announced', async () => {
      const owner = await signUp(kit, 'limits');
      await post('/v1/admin/payments', { tenant_id: owner.tenant.id, plan_code: 'pro' }, adminAuth);
      const edited = await app().inject({
        method: 'PATCH',
        url: '/v1/admin/plans/pro',
        headers: adminAuth,
        payload: { limits: { max_concurrent_jobs: 3 }, price: 2_500_000 },
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({
        price: 2_500_000,
        limits: { max_concurrent_jobs: 3, render_queue: 'paid' },
      });
      const announced = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.plan.activated.v1' &&
          (m.envelope.data as Data).tenant_id === owner.tenant.id &&
          (m.envelope.data as { plan: { limits: { max_concurrent_jobs: number } } }).plan.limits
            .max_concurrent_jobs === 3,
        'limits change',
      );
      expectValidEnvelope(announced);
      const bad = await app().inject({
        method: 'PATCH',
        url: '/v1/admin/plans/pro',
        headers: adminAuth,
        payload: { limits: { render_queue: 'turbo' } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('limits.render_queue');
      const freeOff = await app().inject({
        method: 'PATCH',
        url: '/v1/admin/plans/free',
        headers: adminAuth,
        payload: { active: false },
      });
      expect(freeOff.statusCode).toBe(409);
    });

    it('publishes every identity event of the catalog with a valid envelope', async () => {
      // The facts the other tests of this file did not cause yet: a key, a ban, a suspension.
      const owner = await signUp(kit, 'catalog');
      await post('/v1/admin/payments', { tenant_id: owner.tenant.id, plan_code: 'pro' }, adminAuth);
      const key = (await post('/v1/api-keys', { name: 'k', scopes: ['templates:read'] }, owner.auth)).json();
      await app().inject({ method: 'DELETE', url: `/v1/api-keys/${key.api_key.id}`, headers: owner.auth });
      await post(`/v1/admin/tenants/${owner.tenant.id}/suspend`, { reason_code: 'admin' }, adminAuth);
      await post(
        `/v1/admin/users/${owner.user.id}/ban`,
        { reason_code: 'other', until: new Date(Date.now() + DAY).toISOString() },
        adminAuth,
      );
      const keys = Object.keys(IDENTITY_EVENTS);
      for (const key of keys) {
        const message = await kit.waitFor((m) => m.routingKey === key, key);
        expectValidEnvelope(message);
      }
      for (const m of kit.messages) expectValidEnvelope(m);
      const identityKeys = kit.messages.map((m) => m.routingKey).filter((k) => k.startsWith('identity.'));
      expect(new Set(identityKeys)).toEqual(new Set(keys));
    });

    it('refuses malformed and unauthorised payment requests with error bodies', async () => {
      const owner = await signUp(kit, 'strict');
      const cases: [unknown, number, string][] = [
        [{}, 400, 'invalid_request'],
        [{ plan_code: 'free' }, 409, 'plan_not_purchasable'],
        [{ plan_code: 'gold' }, 404, 'plan_not_found'],
        [{ amount: 5 }, 400, 'invalid_request'],
        [{ plan_code: 'pro', amount: 10_000 }, 400, 'invalid_request'],
      ];
      for (const [payload, status, code] of cases) {
        const res = await post('/v1/payments', payload, owner.auth);
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        expect(res.json().error.code).toBe(code);
      }
      const anonymous = await post('/v1/payments', { plan_code: 'pro' });
      expect(anonymous.statusCode).toBe(401);
      const viewerToken = await kit.harness.authHeaders({ tenantId: owner.tenant.id, role: 'viewer' });
      expect((await post('/v1/payments', { plan_code: 'pro' }, viewerToken)).json().error.code).toBe(
        'insufficient_role',
      );
      const noAdmin = await post(
        '/v1/admin/payments',
        { tenant_id: owner.tenant.id, amount: 10 },
        owner.auth,
      );
      expect(noAdmin.json().error.code).toBe('admin_required');
    });
  },
);
