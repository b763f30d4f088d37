import type { Tx } from '@flatrender/platform';
import { type DefaultLimits, defaultPolicy, type TenantPolicy } from './domain/tenant-policy';

interface PolicyRow {
  tenant_id: string;
  plan_code: string;
  storage_bytes: string | number;
  max_upload_bytes: string | number;
  retention_days: number;
  plan_effective_at: Date | null;
  suspended_at: Date | null;
  suspended_until: Date | null;
  quota_exceeded_announced: boolean;
}

function toPolicy(row: PolicyRow, defaults: DefaultLimits): TenantPolicy {
  // Until a plan event arrives the configured defaults apply as they are now, not as they were stored.
  if (row.plan_effective_at === null) {
    return {
      ...defaultPolicy(row.tenant_id, defaults),
      suspendedAt: row.suspended_at,
      suspendedUntil: row.suspended_until,
      quotaExceededAnnounced: row.quota_exceeded_announced,
    };
  }
  return {
    tenantId: row.tenant_id,
    planCode: row.plan_code,
    storageBytes: Number(row.storage_bytes),
    maxUploadBytes: Number(row.max_upload_bytes),
    retentionDays: row.retention_days,
    planEffectiveAt: row.plan_effective_at,
    suspendedAt: row.suspended_at,
    suspendedUntil: row.suspended_until,
    quotaExceededAnnounced: row.quota_exceeded_announced,
  };
}

export interface PlanUpdate {
  planCode: string;
  storageBytes: number;
  maxUploadBytes: number;
  retentionDays: number;
  effectiveAt: Date;
}

/** SQL of `tenant_policy`: a tenant without a row has the configured defaults. */
export class TenantPolicyRepository {
  constructor(private readonly defaults: DefaultLimits) {}

  async get(tx: Tx, tenantId: string): Promise<TenantPolicy> {
    const row = await tx
      .selectFrom('tenant_policy')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row ? toPolicy(row as PolicyRow, this.defaults) : defaultPolicy(tenantId, this.defaults);
  }

  /**
   * The tenant's policy, locked until the transaction ends: uploads of one tenant that check and
   * charge the quota pass this point one at a time, so two cannot both take the last free bytes.
   */
  async lock(tx: Tx, tenantId: string): Promise<TenantPolicy> {
    await this.#ensure(tx, tenantId);
    const row = await tx
      .selectFrom('tenant_policy')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    return toPolicy(row as PolicyRow, this.defaults);
  }

  /** Applies a plan's limits unless newer ones are already in force; true when applied. */
  async applyPlan(tx: Tx, tenantId: string, plan: PlanUpdate): Promise<boolean> {
    await this.#ensure(tx, tenantId);
    const result = await tx
      .updateTable('tenant_policy')
      .set({
        plan_code: plan.planCode,
        storage_bytes: plan.storageBytes,
        max_upload_bytes: plan.maxUploadBytes,
        retention_days: plan.retentionDays,
        plan_effective_at: plan.effectiveAt,
        quota_exceeded_announced: false,
      })
      .where('tenant_id', '=', tenantId)
      .where((eb) =>
        eb.or([eb('plan_effective_at', 'is', null), eb('plan_effective_at', '<=', plan.effectiveAt)]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records a suspension unless a later one is already known. */
  async suspend(tx: Tx, tenantId: string, at: Date, until: Date | null): Promise<void> {
    await this.#ensure(tx, tenantId);
    await tx
      .updateTable('tenant_policy')
      .set({ suspended_at: at, suspended_until: until })
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('suspended_at', 'is', null), eb('suspended_at', '<=', at)]))
      .execute();
  }

  async setQuotaExceededAnnounced(tx: Tx, tenantId: string, announced: boolean): Promise<void> {
    await tx
      .updateTable('tenant_policy')
      .set({ quota_exceeded_announced: announced })
      .where('tenant_id', '=', tenantId)
      .execute();
  }

  async #ensure(tx: Tx, tenantId: string): Promise<void> {
    const d = defaultPolicy(tenantId, this.defaults);
    await tx
      .insertInto('tenant_policy')
      .values({
        tenant_id: tenantId,
        plan_code: d.planCode,
        storage_bytes: d.storageBytes,
        max_upload_bytes: d.maxUploadBytes,
        retention_days: d.retentionDays,
      })
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .execute();
  }
}
