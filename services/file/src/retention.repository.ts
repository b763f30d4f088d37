import type { CLEANUP_REASONS } from '@flatrender/contracts';
import type { Tx } from '@flatrender/platform';
import { type RawBuilder, sql } from 'kysely';

export type CleanupReason = (typeof CLEANUP_REASONS)[number];

export interface Candidate {
  id: string;
  tenantId: string;
  totalBytes: number;
}

export interface DueCleanup {
  id: string;
  tenantId: string;
  reason: CleanupReason;
}

/**
 * When a file has outlived what it is kept for; the ONE statement of the retention rule, used both to
 * schedule a cleanup and, at its execution, to re-check each file (a longer plan or a project that
 * started using an upload in between saves it):
 * - render outputs: older than the tenant's plan retention (the configured default without a plan);
 * - project uploads no saved project ever referenced: older than `orphanDays`.
 */
function expired(now: Date, defaultRetentionDays: number, orphanDays: number): RawBuilder<boolean> {
  return sql<boolean>`(
    (f.purpose = 'render_output' and f.created_at < ${now}::timestamptz - make_interval(days =>
      case when p.plan_effective_at is null then ${defaultRetentionDays}::int else p.retention_days end))
    or (f.purpose = 'project_asset' and f.referenced_at is null
      and f.created_at < ${now}::timestamptz - make_interval(days => ${orphanDays}::int))
  )`;
}

export interface RetentionRule {
  now: Date;
  defaultRetentionDays: number;
  orphanDays: number;
}

/** SQL of cleanups: finding expired files, scheduling them, executing due cleanups. System scope. */
export class RetentionRepository {
  /** Ready, unscheduled files past retention, oldest first, locked against a concurrent scheduler. */
  async expiredFiles(tx: Tx, rule: RetentionRule, limit: number): Promise<Candidate[]> {
    const { rows } = await sql<{ id: string; tenant_id: string; total_bytes: string }>`
      select f.id, f.tenant_id, f.total_bytes
        from file f left join tenant_policy p on p.tenant_id = f.tenant_id
       where f.status = 'ready' and f.cleanup_id is null
         and ${expired(rule.now, rule.defaultRetentionDays, rule.orphanDays)}
       order by f.created_at, f.id
       limit ${limit}
         for update of f skip locked`.execute(tx);
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, totalBytes: Number(r.total_bytes) }));
  }

  /** A tenant's unscheduled render outputs, oldest first (what goes when a smaller plan must fit). */
  async oldestRenderOutputs(tx: Tx, tenantId: string, limit: number): Promise<Candidate[]> {
    const rows = await tx
      .selectFrom('file')
      .select(['id', 'tenant_id', 'total_bytes'])
      .where('tenant_id', '=', tenantId)
      .where('purpose', '=', 'render_output')
      .where('status', '=', 'ready')
      .where('cleanup_id', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    return rows.map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      totalBytes: Number(r.total_bytes),
    }));
  }

  async createCleanup(
    tx: Tx,
    cleanup: { id: string; tenantId: string; reason: CleanupReason; scheduledFor: Date; createdAt: Date },
    fileIds: readonly string[],
  ): Promise<void> {
    await tx
      .insertInto('cleanup')
      .values({
        id: cleanup.id,
        tenant_id: cleanup.tenantId,
        reason_code: cleanup.reason,
        scheduled_for: cleanup.scheduledFor,
        created_at: cleanup.createdAt,
      })
      .execute();
    await tx
      .updateTable('file')
      .set({ cleanup_id: cleanup.id })
      .where('id', 'in', [...fileIds])
      .execute();
  }

  async dueCleanups(tx: Tx, now: Date, limit: number): Promise<DueCleanup[]> {
    const rows = await tx
      .selectFrom('cleanup')
      .select(['id', 'tenant_id', 'reason_code'])
      .where('executed_at', 'is', null)
      .where('scheduled_for', '<=', now)
      .orderBy('scheduled_for')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      reason: r.reason_code as CleanupReason,
    }));
  }

  /** Locks a due cleanup for execution; false when another instance has it or it already ran. */
  async claimCleanup(tx: Tx, id: string): Promise<boolean> {
    const row = await tx
      .selectFrom('cleanup')
      .select('id')
      .where('id', '=', id)
      .where('executed_at', 'is', null)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The cleanup's files, each with whether it is still past retention. */
  async cleanupFiles(
    tx: Tx,
    cleanupId: string,
    rule: RetentionRule,
  ): Promise<(Candidate & { stillExpired: boolean })[]> {
    const { rows } = await sql<{
      id: string;
      tenant_id: string;
      total_bytes: string;
      still_expired: boolean;
    }>`
      select f.id, f.tenant_id, f.total_bytes,
             ${expired(rule.now, rule.defaultRetentionDays, rule.orphanDays)} as still_expired
        from file f left join tenant_policy p on p.tenant_id = f.tenant_id
       where f.cleanup_id = ${cleanupId} and f.status = 'ready'
       order by f.created_at, f.id
         for update of f`.execute(tx);
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      totalBytes: Number(r.total_bytes),
      stillExpired: r.still_expired,
    }));
  }

  async unschedule(tx: Tx, fileIds: readonly string[]): Promise<void> {
    if (fileIds.length === 0) return;
    await tx
      .updateTable('file')
      .set({ cleanup_id: null })
      .where('id', 'in', [...fileIds])
      .execute();
  }

  async markExecuted(tx: Tx, cleanupId: string, at: Date): Promise<void> {
    await tx.updateTable('cleanup').set({ executed_at: at }).where('id', '=', cleanupId).execute();
  }
}
