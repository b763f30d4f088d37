import type { EventHandlers, Tx } from '@flatrender/platform';
import type { JobLifecycle } from '../job-lifecycle';
import type { RenderDb, RenderTx } from '../render.db';
import type { TenantPlanRepository } from '../tenant-plan.repository';

function inboxTx(tx: Tx | undefined): RenderTx {
  if (!tx) throw new Error('render handlers run in the inbox transaction');
  return tx as unknown as Tx<RenderDb>;
}

/**
 * Plans and suspensions from identity. A suspended tenant's unfinished jobs are cancelled (its
 * nodes stop), a banned user's queued ones too; the latest plan by `effective_at` applies.
 */
export function identityHandlers(
  plans: TenantPlanRepository,
  lifecycle: JobLifecycle,
): Pick<
  EventHandlers,
  | 'identity.plan.activated.v1'
  | 'identity.plan.expired.v1'
  | 'identity.tenant.suspended.v1'
  | 'identity.user.banned.v1'
> {
  return {
    'identity.plan.activated.v1': async (envelope, { tx }) => {
      const d = envelope.data;
      await plans.applyPlan(inboxTx(tx), d.tenant_id, d.plan, d.effective_at);
    },
    'identity.plan.expired.v1': async (envelope, { tx }) => {
      const d = envelope.data;
      await plans.applyPlan(inboxTx(tx), d.tenant_id, d.effective_plan, d.effective_at);
    },
    'identity.tenant.suspended.v1': async (envelope, { tx }) => {
      const t = inboxTx(tx);
      const d = envelope.data;
      await plans.suspend(t, d.tenant_id, d.suspended_at, d.suspended_until);
      const active = await t
        .selectFrom('render_job')
        .selectAll()
        .where('tenant_id', '=', d.tenant_id)
        .where('status', 'in', ['queued', 'rendering'])
        .forUpdate()
        .execute();
      for (const job of active) await lifecycle.cancel(t, job, 'tenant_suspended', envelope.user_id);
    },
    'identity.user.banned.v1': async (envelope, { tx }) => {
      const t = inboxTx(tx);
      const queued = await t
        .selectFrom('render_job')
        .selectAll()
        .where('user_id', '=', envelope.data.user_id)
        .where('status', 'in', ['queued', 'rendering'])
        .forUpdate()
        .execute();
      for (const job of queued) await lifecycle.cancel(t, job, 'user_banned', envelope.user_id);
    },
  };
}
