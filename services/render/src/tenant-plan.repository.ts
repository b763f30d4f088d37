import type { PlanLimits } from '@flatrender/contracts';
import { sql } from 'kysely';
import type { RenderTx, TenantPlanRow } from './render.db';

/** Plans and suspensions as identity announces them; the latest `effective_at` wins. */
export class TenantPlanRepository {
  find(tx: RenderTx, tenantId: string): Promise<TenantPlanRow | undefined> {
    return tx.selectFrom('tenant_plan').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  }

  async applyPlan(
    tx: RenderTx,
    tenantId: string,
    plan: { code: string; limits: PlanLimits },
    effectiveAt: string,
  ): Promise<void> {
    await tx
      .insertInto('tenant_plan')
      .values({
        tenant_id: tenantId,
        plan_code: plan.code,
        limits: JSON.stringify(plan.limits),
        effective_at: effectiveAt,
      })
      .onConflict((oc) =>
        oc
          .column('tenant_id')
          .doUpdateSet({
            plan_code: (eb) => eb.ref('excluded.plan_code'),
            limits: (eb) => eb.ref('excluded.limits'),
            effective_at: (eb) => eb.ref('excluded.effective_at'),
            updated_at: sql`now()`,
          })
          .where((eb) =>
            eb.or([
              eb('tenant_plan.effective_at', 'is', null),
              eb('tenant_plan.effective_at', '<=', eb.ref('excluded.effective_at')),
            ]),
          ),
      )
      .execute();
  }

  async suspend(tx: RenderTx, tenantId: string, at: string, until: string | null): Promise<void> {
    await tx
      .insertInto('tenant_plan')
      .values({ tenant_id: tenantId, suspended_at: at, suspended_until: until })
      .onConflict((oc) =>
        oc
          .column('tenant_id')
          .doUpdateSet({ suspended_at: at, suspended_until: until, updated_at: sql`now()` }),
      )
      .execute();
  }

  /** Identity said the suspension is over (no event announces it; asked when refusing). */
  async lift(tx: RenderTx, tenantId: string): Promise<void> {
    await tx
      .updateTable('tenant_plan')
      .set({ suspended_at: null, suspended_until: null, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .execute();
  }
}
