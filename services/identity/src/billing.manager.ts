import { randomUUID } from 'node:crypto';
import type { PlanLimits, REFUND_REASONS } from '@flatrender/contracts';
import { conflict, HttpError, notFound, type Tx } from '@flatrender/platform';
import type { PaymentRow, PlanRow, SubscriptionRow } from './billing.repository';
import * as billing from './billing.repository';
import { DEFAULT_PLANS, FREE_PLAN_CODE } from './domain/default-plans';
import { applyPurchase } from './domain/subscription-period';
import { type IdentityDeps, planPayload } from './identity.deps';
import type { IdentityDb } from './identity.tables';
import {
  type PaymentFailureCode,
  PaymentProviderUnavailableError,
  type VerifyPaymentResult,
} from './payments/payment-provider';
import { PaymentRequestRefusedError } from './payments/zarinpal.provider';
import * as tenants from './tenant.repository';

type T = Tx<IdentityDb>;

/** How long one verifier owns a payment before another may try again (crash safety). */
const CLAIM_MS = 60_000;
/** Open payments older than this are settled by the reconciler (verified, or failed as expired). */
export const STALE_PAYMENT_MS = 30 * 60_000;

export interface PaymentView {
  id: string;
  tenant_id: string;
  provider: 'zarinpal' | 'manual';
  kind: 'plan' | 'balance';
  plan_code: string | null;
  amount: number;
  currency: 'IRR';
  status: PaymentRow['status'];
  provider_reference: string | null;
  card_mask: string | null;
  failure_code: string | null;
  refunded_amount: number;
  created_at: string;
  paid_at: string | null;
}

export function paymentView(p: PaymentRow): PaymentView {
  return {
    id: p.id,
    tenant_id: p.tenant_id,
    provider: p.provider,
    kind: p.kind,
    plan_code: p.plan_code,
    amount: Number(p.amount),
    currency: 'IRR',
    status: p.status,
    provider_reference: p.provider_reference,
    card_mask: p.card_mask,
    failure_code: p.failure_code,
    refunded_amount: Number(p.refunded_amount),
    created_at: p.created_at.toISOString(),
    paid_at: p.paid_at?.toISOString() ?? null,
  };
}

export interface PlanView {
  code: string;
  name: { fa: string; en: string };
  limits: PlanLimits;
  price: number;
  currency: 'IRR';
  period_days: number;
  active: boolean;
}

export function planView(p: PlanRow): PlanView {
  return {
    code: p.code,
    name: p.name,
    limits: p.limits,
    price: Number(p.price),
    currency: 'IRR',
    period_days: p.period_days,
    active: p.active,
  };
}

/** Plans, subscriptions, balance and payments. */
export class BillingManager {
  constructor(private readonly deps: IdentityDeps) {}

  async seedPlans(): Promise<void> {
    await this.deps.db.asSystem(async (tx) => {
      for (const plan of DEFAULT_PLANS) await billing.insertPlanIfMissing(tx, plan);
    });
  }

  /** Puts a new tenant on the free plan (inside the transaction that creates it). */
  async startFreePlan(tx: T, tenantId: string, userId: string): Promise<void> {
    const plan = await this.requirePlan(tx, FREE_PLAN_CODE);
    const now = new Date();
    const subscription = await billing.insertSubscription(tx, {
      id: randomUUID(),
      tenant_id: tenantId,
      plan_code: plan.code,
      starts_at: now,
      expires_at: null,
      payment_id: null,
    });
    await this.emitActivated(tx, subscription, plan, userId, now);
  }

  async createPlan(input: {
    code: string;
    name: { fa: string; en: string };
    limits: PlanLimits;
    price: number;
    periodDays: number;
    sort?: number;
  }): Promise<PlanView> {
    return this.deps.db.asSystem(async (tx) => {
      const created = await billing.insertPlanIfMissing(tx, { ...input, sort: input.sort ?? 100 });
      if (!created) throw conflict('plan_exists', `A plan with code "${input.code}" exists already.`);
      return planView(await this.requirePlan(tx, input.code));
    });
  }

  /**
   * Edits a plan. Tenants on it get its new limits at once: each active subscription is announced again
   * (`identity.plan.activated.v1` with a new `effective_at`), as the catalog describes a plan change.
   */
  async editPlan(
    code: string,
    changes: Parameters<typeof billing.updatePlan>[2],
    adminId: string,
  ): Promise<PlanView> {
    if (code === FREE_PLAN_CODE && changes.active === false) {
      throw new HttpError(
        409,
        'plan_required',
        'The free plan cannot be deactivated: tenants fall back to it.',
        'active',
      );
    }
    return this.deps.db.asSystem(async (tx) => {
      const existing = await billing.findPlan(tx, code);
      if (!existing) throw notFound('Plan');
      const limits = changes.limits ? { ...existing.limits, ...changes.limits } : undefined;
      const plan = await billing.updatePlan(tx, code, { ...changes, ...(limits ? { limits } : {}) });
      if (!plan) throw notFound('Plan');
      if (changes.limits || changes.name) {
        const now = new Date();
        for (const subscription of await billing.activeSubscriptionsOfPlan(tx, code)) {
          await this.emitActivated(tx, subscription, plan, adminId, now);
        }
      }
      return planView(plan);
    });
  }

  listPlans(includeInactive = false): Promise<PlanView[]> {
    return this.deps.db.asSystem(async (tx) =>
      (await billing.listPlans(tx, { includeInactive })).map(planView),
    );
  }

  /** The tenant's plan in force and its period (inside a tenant-scoped transaction). */
  async currentPlan(tx: T, tenantId: string): Promise<{ subscription: SubscriptionRow; plan: PlanRow }> {
    const subscription = await billing.activeSubscription(tx, tenantId);
    if (!subscription) throw new Error(`tenant ${tenantId} has no active subscription`);
    return { subscription, plan: await this.requirePlan(tx, subscription.plan_code) };
  }

  // Payments

  /**
   * Opens an online payment for a plan period or a balance credit and returns where to send the payer.
   * The amount of a plan is its price now; the payment row keeps it, so a later price edit cannot
   * change what the broker verifies.
   */
  async startPayment(
    tenantId: string,
    userId: string,
    request: { planCode?: string; amount?: number; email: string },
  ): Promise<{ payment: PaymentView; redirectUrl: string }> {
    const provider = this.deps.zarinpal;
    if (!provider) {
      throw new HttpError(503, 'payments_unavailable', 'Online payments are not configured on this server.');
    }
    const { db, ctx } = this.deps;
    const opened = await db.withTenant(tenantId, async (tx) => {
      let amount: number;
      let planCode: string | null = null;
      if (request.planCode) {
        const plan = await billing.findPlan(tx, request.planCode);
        if (!plan?.active)
          throw new HttpError(404, 'plan_not_found', 'body field "plan_code": no such plan.', 'plan_code');
        if (Number(plan.price) <= 0) {
          throw new HttpError(
            409,
            'plan_not_purchasable',
            'body field "plan_code": this plan is free.',
            'plan_code',
          );
        }
        amount = Number(plan.price);
        planCode = plan.code;
      } else {
        amount = request.amount ?? 0;
      }
      return billing.insertPayment(tx, {
        id: randomUUID(),
        tenant_id: tenantId,
        user_id: userId,
        provider: provider.name,
        kind: planCode ? 'plan' : 'balance',
        plan_code: planCode,
        amount,
        status: 'pending',
        note: null,
      });
    });
    let started: Awaited<ReturnType<typeof provider.start>>;
    try {
      started = await provider.start({
        paymentId: opened.id,
        amount: Number(opened.amount),
        description: opened.plan_code ? `FlatRender ${opened.plan_code}` : 'FlatRender balance credit',
        callbackUrl: `${ctx.config.publicUrl}/v1/payments/callback`,
        email: request.email,
      });
    } catch (error) {
      if (!(error instanceof PaymentRequestRefusedError || error instanceof PaymentProviderUnavailableError))
        throw error;
      await db.withTenant(tenantId, (tx) =>
        this.fail(tx, opened, 'provider_error', (error as Error).message.slice(0, 500), userId),
      );
      throw new HttpError(
        502,
        'payment_provider_error',
        'The payment broker did not open the payment; try again later.',
      );
    }
    if (started.kind !== 'redirect') throw new Error('an online provider must redirect the payer');
    const payment = await db.withTenant(tenantId, (tx) =>
      billing.updatePayment(tx, opened.id, { authority: started.authority }),
    );
    return { payment: paymentView(payment), redirectUrl: started.redirectUrl };
  }

  /**
   * The broker's return: find the payment by its authority and settle it by asking the broker. The
   * query's Status only picks the failure wording; a replayed or forged return changes nothing.
   */
  async handleCallback(authority: string, statusHint: string | undefined): Promise<PaymentRow | undefined> {
    const payment = await this.deps.db.asSystem((tx) => billing.findPaymentByAuthority(tx, authority));
    if (!payment) return undefined;
    return this.settle(payment.id, statusHint === 'NOK' ? 'cancelled' : undefined);
  }

  /**
   * Verifies an open payment with its broker, exactly once across callbacks, replicas and the
   * reconciler: a short claim is taken first, the broker asked outside any transaction, and the
   * outcome applied only by the claim holder. Final payments are returned unchanged.
   */
  async settle(
    paymentId: string,
    hint?: 'cancelled',
    options: { expireIfUnpaid?: boolean } = {},
  ): Promise<PaymentRow> {
    const { db } = this.deps;
    const claim = await db.asSystem(async (tx) => {
      const payment = await billing.findPayment(tx, paymentId, { forUpdate: true });
      if (!payment) throw notFound('Payment');
      const now = new Date();
      if (payment.status === 'succeeded' || payment.status === 'failed') return { payment, claimed: false };
      if (payment.status === 'verifying' && payment.claim_until && payment.claim_until > now) {
        return { payment, claimed: false };
      }
      const claimed = await billing.updatePayment(tx, payment.id, {
        status: 'verifying',
        claim_until: new Date(now.getTime() + CLAIM_MS),
      });
      return { payment: claimed, claimed: true };
    });
    if (!claim.claimed) return claim.payment;
    const payment = claim.payment;

    let result: VerifyPaymentResult;
    if (!payment.authority) {
      result = { status: 'failed', code: 'provider_error', message: 'the broker never opened this payment' };
    } else {
      const provider = payment.provider === 'manual' ? this.deps.manual : this.deps.zarinpal;
      try {
        if (!provider) throw new PaymentProviderUnavailableError('online payments are not configured');
        result = await provider.verify({ authority: payment.authority, amount: Number(payment.amount) });
      } catch (error) {
        if (!(error instanceof PaymentProviderUnavailableError)) throw error;
        this.deps.ctx.logger.warn(
          { payment_id: payment.id, err: error.message },
          'payment verification postponed',
        );
        return db.asSystem((tx) =>
          billing.updatePayment(tx, payment.id, { status: 'pending', claim_until: null }),
        );
      }
    }
    if (result.status === 'failed' && result.code === 'declined') {
      if (hint === 'cancelled') result = { ...result, code: 'cancelled_by_user' };
      else if (options.expireIfUnpaid) result = { ...result, code: 'expired' };
    }
    const settled = result;
    return db.asSystem(async (tx) => {
      const current = await billing.findPayment(tx, payment.id, { forUpdate: true });
      if (current?.status !== 'verifying') return current ?? payment;
      if (settled.status === 'paid') {
        return this.succeed(tx, current, settled.reference, settled.cardMask, current.user_id);
      }
      return this.fail(tx, current, settled.code, settled.message, current.user_id);
    });
  }

  /** A payment recorded by a platform admin: complete at once, with the same effects as an online one. */
  async recordManualPayment(input: {
    tenantId: string;
    adminId: string;
    planCode?: string;
    amount?: number;
    reference?: string;
    note?: string;
  }): Promise<PaymentView> {
    return this.deps.db.asSystem(async (tx) => {
      const tenant = await tenants.findTenant(tx, input.tenantId);
      if (!tenant)
        throw new HttpError(404, 'tenant_not_found', 'body field "tenant_id": no such tenant.', 'tenant_id');
      let amount = input.amount;
      if (input.planCode) {
        const plan = await billing.findPlan(tx, input.planCode);
        if (!plan)
          throw new HttpError(404, 'plan_not_found', 'body field "plan_code": no such plan.', 'plan_code');
        amount ??= Number(plan.price);
      }
      if (!amount || amount <= 0) {
        throw new HttpError(
          400,
          'invalid_amount',
          'body field "amount": must be a positive amount in rial.',
          'amount',
        );
      }
      const opened = await billing.insertPayment(tx, {
        id: randomUUID(),
        tenant_id: input.tenantId,
        user_id: input.adminId,
        provider: 'manual',
        kind: input.planCode ? 'plan' : 'balance',
        plan_code: input.planCode ?? null,
        amount,
        status: 'verifying',
        note: input.note ?? null,
      });
      const started = await this.deps.manual.start({
        paymentId: opened.id,
        amount,
        description: input.note ?? 'manual payment',
        callbackUrl: '',
      });
      const verified = await this.deps.manual.verify({ authority: started.authority, amount });
      if (verified.status !== 'paid') throw new Error('a manual payment must verify');
      const withAuthority = await billing.updatePayment(tx, opened.id, { authority: started.authority });
      const paid = await this.succeed(
        tx,
        withAuthority,
        input.reference ?? verified.reference,
        undefined,
        input.adminId,
      );
      return paymentView(paid);
    });
  }

  async refund(input: {
    paymentId: string;
    adminId: string;
    amount?: number;
    reasonCode: (typeof REFUND_REASONS)[number];
  }): Promise<PaymentView> {
    return this.deps.db.asSystem(async (tx) => {
      const payment = await billing.findPayment(tx, input.paymentId, { forUpdate: true });
      if (!payment) throw notFound('Payment');
      if (payment.status !== 'succeeded')
        throw conflict('payment_not_refundable', 'Only a succeeded payment can be refunded.');
      const refundable = Number(payment.amount) - Number(payment.refunded_amount);
      const amount = input.amount ?? refundable;
      if (amount <= 0 || amount > refundable) {
        throw new HttpError(
          400,
          'invalid_amount',
          `body field "amount": at most ${refundable} can be refunded.`,
          'amount',
        );
      }
      const now = new Date();
      const refund = await billing.insertRefund(tx, {
        id: randomUUID(),
        tenant_id: payment.tenant_id,
        payment_id: payment.id,
        amount,
        reason_code: input.reasonCode,
        created_by: input.adminId,
      });
      if (payment.kind === 'balance') {
        const tenant = await tenants.findTenant(tx, payment.tenant_id, { forUpdate: true });
        if (!tenant || Number(tenant.balance) < amount) {
          throw conflict('insufficient_balance', 'The tenant has already spent this credit; refund less.');
        }
        await billing.changeBalance(tx, payment.tenant_id, -amount, 'refund', payment.id, randomUUID());
      }
      const refunded = await billing.updatePayment(tx, payment.id, {
        refunded_amount: Number(payment.refunded_amount) + amount,
      });
      const full = Number(refunded.refunded_amount) === Number(payment.amount);
      if (full && payment.kind === 'plan') {
        // A fully refunded period ends now: the tenant falls back to the free plan.
        const active = await billing.activeSubscription(tx, payment.tenant_id);
        if (active && active.payment_id === payment.id)
          await this.expire(tx, active, now, input.adminId, 'ended');
      }
      await this.deps.ctx.emit(
        tx,
        'identity.payment.refunded.v1',
        {
          payment_id: payment.id,
          amount: Number(payment.amount),
          currency: 'IRR',
          provider: payment.provider,
          plan_code: payment.plan_code,
          refund_id: refund.id,
          refunded_amount: amount,
          full,
          reason_code: input.reasonCode,
          refunded_at: now.toISOString(),
        },
        { tenantId: payment.tenant_id, userId: input.adminId },
      );
      return paymentView(refunded);
    });
  }

  // Scheduler work

  /** Ends paid periods that ran out; each tenant falls back to the free plan. Returns how many. */
  async expireDueSubscriptions(now = new Date(), batch = 100): Promise<number> {
    return this.deps.db.asSystem(async (tx) => {
      const due = await billing.dueSubscriptions(tx, now, batch);
      for (const subscription of due) await this.expire(tx, subscription, now, undefined, 'expired');
      return due.length;
    });
  }

  /** Settles payments left open (payer never returned, callback lost, broker down at the time). */
  async reconcileStalePayments(now = new Date(), batch = 20): Promise<number> {
    const stale = await this.deps.db.asSystem((tx) =>
      billing.stalePayments(tx, new Date(now.getTime() - STALE_PAYMENT_MS), now, batch),
    );
    for (const payment of stale) await this.settle(payment.id, undefined, { expireIfUnpaid: true });
    return stale.length;
  }

  async recordUsage(tx: T, row: Parameters<typeof billing.recordUsage>[1]): Promise<void> {
    await billing.recordUsage(tx, row);
  }

  // Internals

  private async requirePlan(tx: T, code: string): Promise<PlanRow> {
    const plan = await billing.findPlan(tx, code);
    if (!plan) throw new Error(`plan "${code}" is missing: run the identity seed`);
    return plan;
  }

  private async expire(
    tx: T,
    subscription: SubscriptionRow,
    now: Date,
    actorId: string | undefined,
    status: 'expired' | 'ended',
  ): Promise<void> {
    await billing.endSubscription(tx, subscription.id, status, now);
    const free = await this.requirePlan(tx, FREE_PLAN_CODE);
    await billing.insertSubscription(tx, {
      id: randomUUID(),
      tenant_id: subscription.tenant_id,
      plan_code: free.code,
      starts_at: now,
      expires_at: null,
      payment_id: null,
    });
    await this.deps.ctx.emit(
      tx,
      'identity.plan.expired.v1',
      {
        tenant_id: subscription.tenant_id,
        subscription_id: subscription.id,
        expired_plan_code: subscription.plan_code,
        expired_at: (subscription.expires_at && subscription.expires_at < now
          ? subscription.expires_at
          : now
        ).toISOString(),
        effective_plan: planPayload(free),
        effective_at: now.toISOString(),
      },
      { tenantId: subscription.tenant_id, ...(actorId ? { userId: actorId } : {}) },
    );
  }

  private async succeed(
    tx: T,
    payment: PaymentRow,
    reference: string,
    cardMask: string | undefined,
    actorId: string,
  ): Promise<PaymentRow> {
    const now = new Date();
    const actor = { tenantId: payment.tenant_id, userId: actorId };
    let purpose: 'plan_purchase' | 'plan_renewal' | 'balance_credit' = 'balance_credit';
    let subscriptionId: string | null = null;
    if (payment.kind === 'plan' && payment.plan_code) {
      const plan = await this.requirePlan(tx, payment.plan_code);
      const current = await billing.activeSubscription(tx, payment.tenant_id);
      const outcome = applyPurchase(
        current ? { planCode: current.plan_code, expiresAt: current.expires_at } : undefined,
        plan.code,
        plan.period_days,
        now,
      );
      let subscription: SubscriptionRow;
      if (outcome.kind === 'renewal' && current) {
        await billing.extendSubscription(tx, current.id, outcome.expiresAt, payment.id);
        subscription = { ...current, expires_at: outcome.expiresAt, payment_id: payment.id };
        purpose = 'plan_renewal';
      } else {
        if (current) await billing.endSubscription(tx, current.id, 'ended', now);
        subscription = await billing.insertSubscription(tx, {
          id: randomUUID(),
          tenant_id: payment.tenant_id,
          plan_code: plan.code,
          starts_at: now,
          expires_at: outcome.expiresAt,
          payment_id: payment.id,
        });
        purpose = 'plan_purchase';
      }
      subscriptionId = subscription.id;
      await this.emitActivated(tx, subscription, plan, actorId, now);
    } else {
      await billing.changeBalance(
        tx,
        payment.tenant_id,
        Number(payment.amount),
        'payment',
        payment.id,
        randomUUID(),
      );
    }
    const paid = await billing.updatePayment(tx, payment.id, {
      status: 'succeeded',
      claim_until: null,
      provider_reference: reference.slice(0, 100),
      card_mask: cardMask ?? null,
      paid_at: now,
      subscription_id: subscriptionId,
    });
    await this.deps.ctx.emit(
      tx,
      'identity.payment.succeeded.v1',
      {
        payment_id: payment.id,
        amount: Number(payment.amount),
        currency: 'IRR',
        provider: payment.provider,
        plan_code: payment.plan_code,
        purpose,
        provider_reference: reference.slice(0, 100),
        ...(cardMask ? { card_mask: cardMask } : {}),
        paid_at: now.toISOString(),
      },
      actor,
    );
    return paid;
  }

  private async fail(
    tx: T,
    payment: PaymentRow,
    code: PaymentFailureCode,
    message: string,
    actorId: string,
  ): Promise<PaymentRow> {
    const now = new Date();
    const failed = await billing.updatePayment(tx, payment.id, {
      status: 'failed',
      claim_until: null,
      failure_code: code,
      failure_message: message.slice(0, 500),
      failed_at: now,
    });
    await this.deps.ctx.emit(
      tx,
      'identity.payment.failed.v1',
      {
        payment_id: payment.id,
        amount: Number(payment.amount),
        currency: 'IRR',
        provider: payment.provider,
        plan_code: payment.plan_code,
        failure_code: code,
        failure_message: message.slice(0, 500),
        failed_at: now.toISOString(),
      },
      { tenantId: payment.tenant_id, userId: actorId },
    );
    return failed;
  }

  private async emitActivated(
    tx: T,
    subscription: SubscriptionRow,
    plan: PlanRow,
    actorId: string,
    now: Date,
  ) {
    await this.deps.ctx.emit(
      tx,
      'identity.plan.activated.v1',
      {
        tenant_id: subscription.tenant_id,
        subscription_id: subscription.id,
        plan: planPayload(plan),
        starts_at: new Date(subscription.starts_at).toISOString(),
        expires_at: subscription.expires_at ? new Date(subscription.expires_at).toISOString() : null,
        payment_id: subscription.payment_id,
        effective_at: now.toISOString(),
      },
      { tenantId: subscription.tenant_id, userId: actorId },
    );
  }
}
