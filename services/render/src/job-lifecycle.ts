import { randomUUID } from 'node:crypto';
import {
  PLATFORM_TENANT_ID,
  type PlanLimits,
  type RENDER_CANCEL_REASONS,
  type RenderErrorCode,
  type RenderQueue,
  SYSTEM_USER_ID,
} from '@flatrender/contracts';
import type { BlobStore, Logger, ServiceContext } from '@flatrender/platform';
import { sql } from 'kysely';
import type { Dispatcher } from './dispatcher';
import { renderPrefix } from './domain/output-keys';
import { isPreviewClip } from './domain/preview-clip';
import { cancellationBill } from './domain/quote';
import type { ItemRepository } from './item.repository';
import type { JobRepository } from './job.repository';
import type { JobRow, RenderTx, SnapshotRow, StoredOutput } from './render.db';
import type { RenderMetrics } from './render.metrics';
import type { SnapshotRepository } from './snapshot.repository';
import type { UsageRepository } from './usage.repository';

export type CancelReason = (typeof RENDER_CANCEL_REASONS)[number];

export interface JobFailure {
  code: RenderErrorCode;
  message: string;
  retryable: boolean;
  chunkIndex?: number | null;
  nodeId?: string | null;
}

const seconds = (from: Date | null, to: Date) =>
  from ? Math.max(0, (to.getTime() - from.getTime()) / 1000) : 0;

/**
 * Every terminal transition of a job or snapshot, with the events, usage records and refunds that
 * go with it, in the caller's transaction. When a job ends, the tenant's oldest held job takes its
 * slot. Blobs that are no longer needed are removed after the commit (best effort; a leftover is
 * harmless and retention removes it).
 *
 * Preview clip jobs (the platform's gallery clips) end the same way but silently: no user-facing job
 * events (notification would tell the template's owner about a render nobody asked for, file would
 * count the clip against the tenant's storage and retention would delete it), no usage, no refund.
 */
export class JobLifecycle {
  constructor(
    private readonly deps: {
      ctx: ServiceContext;
      jobs: JobRepository;
      items: ItemRepository;
      snapshots: SnapshotRepository;
      usage: UsageRepository;
      dispatcher: Dispatcher;
      blobs: BlobStore;
      logger: Logger;
      metrics: RenderMetrics;
      limitsOf: (tx: RenderTx, tenantId: string) => Promise<PlanLimits>;
    },
  ) {}

  async complete(
    tx: RenderTx,
    job: JobRow,
    output: StoredOutput,
    options: { fromCache?: boolean } = {},
  ): Promise<JobRow> {
    const now = new Date();
    const billed = options.fromCache ? 0 : job.quote_seconds;
    const done = await this.deps.jobs.update(tx, job.id, {
      status: 'completed',
      stage: null,
      output: JSON.stringify(output),
      progress: 1,
      frames_done: job.frame_count ?? 0,
      billed_seconds: billed,
      refunded_seconds: job.quote_seconds - billed,
      refunded_cost: options.fromCache ? job.quote_cost : 0,
      held: false,
      finished_at: now,
      started_at: job.started_at ?? now,
      assembling_by: null,
      assembling_until: null,
    });
    if (isPreviewClip(job)) {
      this.deps.metrics.jobFinished(job, 'completed', seconds(job.started_at ?? now, now));
      return done;
    }
    const actor = { tenantId: job.tenant_id, userId: job.user_id };
    await this.deps.ctx.emit(
      tx,
      'render.job.completed.v1',
      {
        job_id: job.id,
        kind: job.kind,
        project_id: job.project_id,
        template: templateOf(job),
        output,
        watermark: job.watermark,
        attempts: Math.max(1, done.max_attempt),
        queue_wait_seconds: seconds(job.queued_at, job.started_at ?? now),
        render_seconds: seconds(job.started_at ?? now, now),
        billed_seconds: billed,
        completed_at: now.toISOString(),
        webhook_url: job.webhook_url,
        metadata: job.metadata,
      },
      actor,
    );
    await this.recordUsage(tx, job, billed, output);
    this.deps.metrics.jobFinished(job, 'completed', seconds(job.started_at ?? now, now));
    await this.promoteHeld(tx, job.tenant_id);
    return done;
  }

  async fail(tx: RenderTx, job: JobRow, failure: JobFailure): Promise<JobRow> {
    const now = new Date();
    await this.stopItems(tx, job, 'cancelled');
    const done = await this.deps.jobs.update(tx, job.id, {
      status: 'failed',
      stage: null,
      held: false,
      error_code: failure.code,
      error_message: failure.message.slice(0, 2000),
      retryable: failure.retryable,
      failed_chunk_index: failure.chunkIndex ?? null,
      failed_node_id: failure.nodeId ?? null,
      billed_seconds: 0,
      refunded_seconds: job.quote_seconds,
      refunded_cost: job.quote_cost,
      finished_at: now,
      assembling_by: null,
      assembling_until: null,
    });
    if (isPreviewClip(job)) {
      this.deps.metrics.jobFinished(job, 'failed', seconds(job.started_at, now));
      this.cleanupAfterCommit(job.id);
      return done;
    }
    await this.deps.ctx.emit(
      tx,
      'render.job.failed.v1',
      {
        job_id: job.id,
        kind: job.kind,
        project_id: job.project_id,
        error_code: failure.code,
        error_message: failure.message.slice(0, 2000) || failure.code,
        retryable: failure.retryable,
        attempts: Math.max(1, done.max_attempt),
        failed_chunk_index: failure.chunkIndex ?? null,
        node_id: failure.nodeId ?? null,
        failed_at: now.toISOString(),
        webhook_url: job.webhook_url,
        metadata: job.metadata,
      },
      { tenantId: job.tenant_id, userId: job.user_id },
    );
    this.deps.metrics.jobFinished(job, 'failed', seconds(job.started_at, now));
    await this.promoteHeld(tx, job.tenant_id);
    this.cleanupAfterCommit(job.id);
    return done;
  }

  /** Cancels a job that has not ended; what its finished chunks rendered is billed, the rest refunded. */
  async cancel(tx: RenderTx, job: JobRow, reason: CancelReason, actorUserId: string): Promise<JobRow> {
    const now = new Date();
    const items = await this.deps.items.forJob(tx, job.id, { forUpdate: true });
    const wasRendering = items.some((i) => i.status === 'leased');
    const framesDone = items
      .filter((i) => i.status === 'done' && i.kind === 'chunk')
      .reduce((n, i) => n + ((i.frame_end ?? 0) - (i.frame_start ?? 0)), 0);
    await this.stopItems(tx, job, 'cancelled');
    const bill = cancellationBill(
      { render_seconds: job.quote_seconds, cost: Number(job.quote_cost) },
      framesDone,
      job.kind === 'video' ? job.frame_count : null,
    );
    const done = await this.deps.jobs.update(tx, job.id, {
      status: 'cancelled',
      stage: null,
      held: false,
      cancel_reason: reason,
      billed_seconds: bill.billed_seconds,
      refunded_seconds: bill.refunded_seconds,
      refunded_cost: bill.refunded_cost,
      finished_at: now,
      assembling_by: null,
      assembling_until: null,
    });
    const preview = isPreviewClip(job);
    // Nodes stop a cancelled job's items on this event, so a preview job's is sent too, but as the
    // platform's: no tenant's stream or webhooks hear of a job it never asked for.
    await this.deps.ctx.emit(
      tx,
      'render.job.cancelled.v1',
      {
        job_id: job.id,
        kind: job.kind,
        project_id: job.project_id,
        reason_code: reason,
        was_rendering: wasRendering,
        cancelled_at: now.toISOString(),
      },
      preview
        ? { tenantId: PLATFORM_TENANT_ID, userId: SYSTEM_USER_ID }
        : { tenantId: job.tenant_id, userId: actorUserId },
    );
    if (bill.billed_seconds > 0 && !preview)
      await this.recordUsage(tx, job, bill.billed_seconds, null, framesDone);
    this.deps.metrics.jobFinished(job, 'cancelled', seconds(job.started_at, now));
    await this.promoteHeld(tx, job.tenant_id);
    this.cleanupAfterCommit(job.id);
    return done;
  }

  /** A still is stored: the snapshot is ready (and, for studio and API snapshots, counted). */
  async snapshotReady(
    tx: RenderTx,
    snapshot: SnapshotRow,
    output: StoredOutput,
    renderMs: number,
  ): Promise<void> {
    const now = new Date();
    await this.deps.snapshots.update(tx, snapshot.id, {
      status: 'ready',
      output: JSON.stringify(output),
      render_ms: renderMs,
      ready_at: now,
    });
    await this.deps.ctx.emit(
      tx,
      'render.snapshot.ready.v1',
      {
        snapshot_id: snapshot.id,
        project_id: snapshot.project_id,
        template: { template_id: snapshot.template_id, version: snapshot.template_version },
        time_seconds: snapshot.time_seconds,
        output,
        render_ms: renderMs,
        ready_at: now.toISOString(),
      },
      { tenantId: snapshot.tenant_id, userId: snapshot.user_id },
    );
    if (snapshot.source !== 'job') {
      const period = now.toISOString().slice(0, 7);
      const total = await this.deps.usage.record(tx, {
        id: randomUUID(),
        tenant_id: snapshot.tenant_id,
        period,
        metric: 'snapshots',
        quantity: 1,
        source_kind: 'snapshot',
        source_id: snapshot.id,
        frames: 1,
        width: output.width,
        height: output.height,
        size_bytes: output.size_bytes,
      });
      if (total !== null)
        await this.emitUsage(
          tx,
          snapshot.tenant_id,
          snapshot.user_id,
          'snapshots',
          1,
          'snapshot',
          snapshot.id,
          period,
          total,
          null,
          {
            frames: 1,
            width: output.width,
            height: output.height,
            size_bytes: output.size_bytes,
          },
        );
    }
    this.deps.metrics.snapshotReady(renderMs);
  }

  async snapshotFailed(
    tx: RenderTx,
    snapshot: SnapshotRow,
    failure: { code: string; message: string },
  ): Promise<void> {
    await this.deps.snapshots.update(tx, snapshot.id, {
      status: 'failed',
      error_code: failure.code,
      error_message: failure.message.slice(0, 2000),
    });
    this.cleanupAfterCommit(snapshot.id);
  }

  /** Dispatches the tenant's oldest held jobs while its plan has free slots. */
  async promoteHeld(tx: RenderTx, tenantId: string): Promise<void> {
    const limits = await this.deps.limitsOf(tx, tenantId);
    for (;;) {
      const running = await this.deps.jobs.runningCount(tx, tenantId);
      if (running >= limits.max_concurrent_jobs) return;
      const next = await this.deps.jobs.oldestHeld(tx, tenantId);
      if (!next) return;
      const job = await this.deps.jobs.update(tx, next.id, { held: false, queued_at: new Date() });
      const items = await this.deps.items.forJob(tx, job.id);
      for (const item of items)
        if (item.status === 'waiting') await this.deps.dispatcher.release(tx, { kind: 'job', job }, item);
    }
  }

  private async stopItems(tx: RenderTx, job: JobRow, status: 'cancelled'): Promise<void> {
    await tx
      .updateTable('render_item')
      .set({ status, lease_expires_at: null, redispatch_after: null })
      .where('job_id', '=', job.id)
      .where('status', 'in', ['waiting', 'pending', 'leased'])
      .execute();
    await tx
      .updateTable('render_attempt')
      .set({ status: 'cancelled', ended_at: sql`now()` })
      .where('item_id', 'in', (eb) => eb.selectFrom('render_item').select('id').where('job_id', '=', job.id))
      .where('status', 'in', ['dispatched', 'claimed'])
      .execute();
  }

  private async recordUsage(
    tx: RenderTx,
    job: JobRow,
    billed: number,
    output: StoredOutput | null,
    frames?: number,
  ): Promise<void> {
    const limits = await this.deps.limitsOf(tx, job.tenant_id);
    const metric =
      job.kind === 'mockup'
        ? 'mockups'
        : job.kind === 'voiceover'
          ? 'voiceover_characters'
          : 'render_seconds';
    const quantity =
      job.kind === 'mockup'
        ? 1
        : job.kind === 'voiceover'
          ? job.spec.kind === 'voiceover'
            ? job.spec.text.length
            : 0
          : billed;
    const figures = {
      frames: frames ?? output?.frame_count ?? (job.kind === 'image' ? 1 : 0),
      width: output?.width ?? job.width,
      height: output?.height ?? job.height,
      size_bytes: output?.size_bytes ?? 0,
    };
    const total = await this.deps.usage.record(tx, {
      id: randomUUID(),
      tenant_id: job.tenant_id,
      period: job.period,
      metric,
      quantity,
      source_kind: 'render_job',
      source_id: job.id,
      ...figures,
    });
    if (total === null) return;
    await this.emitUsage(
      tx,
      job.tenant_id,
      job.user_id,
      metric,
      quantity,
      'render_job',
      job.id,
      job.period,
      total,
      metric === 'render_seconds' ? limits.monthly_render_seconds : null,
      figures,
    );
  }

  private async emitUsage(
    tx: RenderTx,
    tenantId: string,
    userId: string,
    metric: 'render_seconds' | 'snapshots' | 'mockups' | 'voiceover_characters',
    quantity: number,
    sourceKind: 'render_job' | 'snapshot',
    sourceId: string,
    period: string,
    total: number,
    limit: number | null,
    figures: { frames: number; width: number | null; height: number | null; size_bytes: number },
  ): Promise<void> {
    await this.deps.ctx.emit(
      tx,
      'tenant.usage.recorded.v1',
      {
        usage_id: randomUUID(),
        metric,
        quantity,
        source_kind: sourceKind,
        source_id: sourceId,
        period,
        period_total: total,
        period_limit: limit,
        frames: figures.frames,
        width: figures.width,
        height: figures.height,
        size_bytes: figures.size_bytes,
        recorded_at: new Date().toISOString(),
      },
      { tenantId, userId },
    );
  }

  /** Removes a job's or snapshot's work files once the transaction had time to commit. */
  cleanupAfterCommit(id: string, keep?: string): void {
    setTimeout(() => {
      void (async () => {
        try {
          for await (const entry of this.deps.blobs.list(renderPrefix(id))) {
            if (entry.key !== keep) await this.deps.blobs.delete(entry.key);
          }
        } catch (error) {
          this.deps.logger.warn({ err: error, id }, 'cleanup of render work files failed');
        }
      })();
    }, 1000).unref();
  }
}

export function templateOf(job: Pick<JobRow, 'template_id' | 'template_version'>) {
  return job.template_id && job.template_version
    ? { template_id: job.template_id, version: job.template_version }
    : null;
}

export function routeOf(limits: PlanLimits, kind: JobRow['kind']): { queue: RenderQueue; priority: number } {
  if (kind === 'image') return { queue: 'render.queue.snapshot', priority: limits.priority };
  if (kind === 'mockup') return { queue: 'render.queue.mockup', priority: limits.priority };
  if (kind === 'voiceover') return { queue: 'render.queue.voiceover', priority: limits.priority };
  return { queue: `render.queue.${limits.render_queue}`, priority: limits.priority };
}
