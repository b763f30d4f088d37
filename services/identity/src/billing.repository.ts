import type { PlanLimits } from '@flatrender/contracts';
import type { Tx } from '@flatrender/platform';
import { type Selectable, sql } from 'kysely';
import type {
  IdentityDb,
  PaymentTable,
  PlanTable,
  RefundTable,
  SubscriptionTable,
  UsageRecordTable,
} from './identity.tables';

export type PlanRow = Selectable<PlanTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
export type PaymentRow = Selectable<PaymentTable>;
export type RefundRow = Selectable<RefundTable>;
type T = Tx<IdentityDb>;

// Plans (global reference data)

export function listPlans(tx: T, options: { includeInactive?: boolean } = {}): Promise<PlanRow[]> {
  let q = tx.selectFrom('plans').selectAll();
  if (!options.includeInactive) q = q.where('active', '=', true);
  return q.orderBy('sort').orderBy('code').execute();
}

export function findPlan(tx: T, code: string): Promise<PlanRow | undefined> {
  return tx.selectFrom('plans').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Inserts a plan unless one with its code exists (seeding never overwrites an admin's edit). */
export async function insertPlanIfMissing(
  tx: T,
  plan: {
    code: string;
    name: { fa: string; en: string };
    limits: PlanLimits;
    price: number;
    periodDays: number;
    sort: number;
  },
): Promise<boolean> {
  const result = await tx
    .insertInto('plans')
    .values({
      code: plan.code,
      name: JSON.stringify(plan.name),
      limits: JSON.stringify(plan.limits),
      price: plan.price,
      period_days: plan.periodDays,
      sort: plan.sort,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function updatePlan(
  tx: T,
  code: string,
  changes: {
    name?: { fa: string; en: string };
    limits?: PlanLimits;
    price?: number;
    periodDays?: number;
    active?: boolean;
    sort?: number;
  },
): Promise<PlanRow | undefined> {
  return tx
    .updateTable('plans')
    .set({
      ...(changes.name ? { name: JSON.stringify(changes.name) } : {}),
      ...(changes.limits ? { limits: JSON.stringify(changes.limits) } : {}),
      ...(changes.price !== undefined ? { price: changes.price } : {}),
      ...(changes.periodDays !== undefined ? { period_days: changes.periodDays } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
      ...(changes.sort !== undefined ? { sort: changes.sort } : {}),
      updated_at: new Date(),
    })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
}

// Subscriptions

export function activeSubscription(tx: T, tenantId: string): Promise<SubscriptionRow | undefined> {
  return tx
    .selectFrom('subscriptions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .forUpdate()
    .executeTakeFirst();
}

export function insertSubscription(
  tx: T,
  subscription: Pick<
    SubscriptionRow,
    'id' | 'tenant_id' | 'plan_code' | 'starts_at' | 'expires_at' | 'payment_id'
  >,
): Promise<SubscriptionRow> {
  return tx
    .insertInto('subscriptions')
    .values({ ...subscription, status: 'active' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function endSubscription(
  tx: T,
  id: string,
  status: 'expired' | 'ended',
  at: Date,
): Promise<void> {
  await tx.updateTable('subscriptions').set({ status, ended_at: at }).where('id', '=', id).execute();
}

export async function extendSubscription(
  tx: T,
  id: string,
  expiresAt: Date,
  paymentId: string,
): Promise<void> {
  await tx
    .updateTable('subscriptions')
    .set({ expires_at: expiresAt, payment_id: paymentId })
    .where('id', '=', id)
    .execute();
}

/** Active subscriptions past their end, locked for this scheduler run (other replicas skip them). */
export function dueSubscriptions(tx: T, now: Date, limit: number): Promise<SubscriptionRow[]> {
  return tx
    .selectFrom('subscriptions')
    .selectAll()
    .where('status', '=', 'active')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function activeSubscriptionsOfPlan(tx: T, planCode: string): Promise<SubscriptionRow[]> {
  return tx
    .selectFrom('subscriptions')
    .selectAll()
    .where('status', '=', 'active')
    .where('plan_code', '=', planCode)
    .execute();
}

// Payments

export function insertPayment(
  tx: T,
  payment: Pick<
    PaymentRow,
    'id' | 'tenant_id' | 'user_id' | 'provider' | 'kind' | 'plan_code' | 'status' | 'note'
  > & {
    amount: number;
  },
): Promise<PaymentRow> {
  return tx.insertInto('payments').values(payment).returningAll().executeTakeFirstOrThrow();
}

export function findPayment(
  tx: T,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<PaymentRow | undefined> {
  let q = tx.selectFrom('payments').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function findPaymentByAuthority(tx: T, authority: string): Promise<PaymentRow | undefined> {
  return tx
    .selectFrom('payments')
    .selectAll()
    .where('authority', '=', authority)
    .forUpdate()
    .executeTakeFirst();
}

export function updatePayment(
  tx: T,
  id: string,
  changes: Partial<
    Pick<
      PaymentRow,
      | 'status'
      | 'authority'
      | 'claim_until'
      | 'provider_reference'
      | 'card_mask'
      | 'failure_code'
      | 'failure_message'
      | 'subscription_id'
      | 'paid_at'
      | 'failed_at'
    >
  > & { refunded_amount?: number },
): Promise<PaymentRow> {
  return tx
    .updateTable('payments')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listPayments(
  tx: T,
  options: { tenantId?: string; limit: number; after?: { createdAt: Date; id: string } },
): Promise<PaymentRow[]> {
  let q = tx.selectFrom('payments').selectAll();
  if (options.tenantId) q = q.where('tenant_id', '=', options.tenantId);
  if (options.after) {
    const { createdAt, id } = options.after;
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}

/** Open payments older than `before` that nobody is verifying right now (the reconciler's work). */
export function stalePayments(tx: T, before: Date, now: Date, limit: number): Promise<PaymentRow[]> {
  return tx
    .selectFrom('payments')
    .selectAll()
    .where('status', 'in', ['pending', 'verifying'])
    .where('created_at', '<', before)
    .where((eb) => eb.or([eb('claim_until', 'is', null), eb('claim_until', '<', now)]))
    .orderBy('created_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function insertRefund(
  tx: T,
  refund: Pick<RefundRow, 'id' | 'tenant_id' | 'payment_id' | 'reason_code' | 'created_by'> & {
    amount: number;
  },
): Promise<RefundRow> {
  return tx.insertInto('refunds').values(refund).returningAll().executeTakeFirstOrThrow();
}

/** Adds `amount` (negative to take) to the tenant's balance and records why; fails below zero. */
export async function changeBalance(
  tx: T,
  tenantId: string,
  amount: number,
  reason: 'payment' | 'refund' | 'admin_credit',
  paymentId: string | null,
  id: string,
): Promise<number> {
  const row = await tx
    .updateTable('tenants')
    .set({ balance: sql`balance + ${amount}` })
    .where('id', '=', tenantId)
    .returning('balance')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('balance_entries')
    .values({ id, tenant_id: tenantId, amount, reason, payment_id: paymentId })
    .execute();
  return Number(row.balance);
}

// Usage

export async function recordUsage(tx: T, usage: Selectable<UsageRecordTable>): Promise<void> {
  await tx
    .insertInto('usage_records')
    .values(usage)
    .onConflict((oc) => oc.column('usage_id').doNothing())
    .execute();
}

export function usageOfPeriod(tx: T, tenantId: string, period: string) {
  return tx
    .selectFrom('usage_records')
    .select(['metric', (eb) => eb.fn.max('period_total').as('total')])
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .groupBy('metric')
    .execute();
}
