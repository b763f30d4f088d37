import type { EventHandlers, Tx } from '@flatrender/platform';
import { planPolicyFields } from '../domain/tenant-policy';
import type { RetentionScheduler } from '../retention.scheduler';
import type { TenantPolicyRepository } from '../tenant-policy.repository';

export interface IdentityHandlerDeps {
  policies: TenantPolicyRepository;
  retention: RetentionScheduler;
}

function inboxTx(tx: Tx | undefined): Tx {
  if (!tx) throw new Error('file service handlers run in the inbox transaction');
  return tx;
}

/**
 * What identity tells the file service: the plan in force (storage quota, largest upload, retention of
 * render outputs), a plan that expired into a smaller one (outputs beyond the new quota are scheduled
 * for cleanup), and suspensions (no uploads, no downloads).
 */
export function identityHandlers(
  deps: IdentityHandlerDeps,
): Pick<
  EventHandlers,
  'identity.plan.activated.v1' | 'identity.plan.expired.v1' | 'identity.tenant.suspended.v1'
> {
  return {
    'identity.plan.activated.v1': async ({ data }, { tx }) => {
      await deps.policies.applyPlan(inboxTx(tx), data.tenant_id, {
        planCode: data.plan.code,
        ...planPolicyFields(data.plan.limits),
        effectiveAt: new Date(data.effective_at),
      });
    },
    'identity.plan.expired.v1': async ({ data }, { tx }) => {
      const applied = await deps.policies.applyPlan(inboxTx(tx), data.tenant_id, {
        planCode: data.effective_plan.code,
        ...planPolicyFields(data.effective_plan.limits),
        effectiveAt: new Date(data.effective_at),
      });
      if (applied) await deps.retention.scheduleOverQuota(inboxTx(tx), data.tenant_id);
    },
    'identity.tenant.suspended.v1': async ({ data }, { tx }) => {
      await deps.policies.suspend(
        inboxTx(tx),
        data.tenant_id,
        new Date(data.suspended_at),
        data.suspended_until ? new Date(data.suspended_until) : null,
      );
    },
  };
}
