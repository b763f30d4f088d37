import type { MessageEnvelope } from '@flatrender/contracts';
import type { EventHandlerContext, Tx } from '@flatrender/platform';
import type { BillingManager } from '../billing.manager';
import type { IdentityDb } from '../identity.tables';

/** Keeps render's metered usage per tenant and period (billing, the tenant view); once per usage_id. */
export function usageRecordedHandler(billing: BillingManager) {
  return async (envelope: MessageEnvelope<'tenant.usage.recorded.v1'>, { tx }: EventHandlerContext) => {
    if (!tx) throw new Error('usage handler needs the inbox transaction');
    const d = envelope.data;
    await billing.recordUsage(tx as Tx<IdentityDb>, {
      usage_id: d.usage_id,
      tenant_id: envelope.tenant_id,
      metric: d.metric,
      quantity: d.quantity,
      period: d.period,
      period_total: d.period_total,
      period_limit: d.period_limit,
      recorded_at: new Date(d.recorded_at),
    });
  };
}
