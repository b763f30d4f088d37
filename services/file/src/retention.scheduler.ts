import type { ServiceContext, Tx } from '@flatrender/platform';
import type { FileConfig } from './file.config';
import type { FileRecord, FileRepository } from './file.repository';
import type { FileLifecycle } from './file-lifecycle';
import type { Candidate, CleanupReason, RetentionRepository, RetentionRule } from './retention.repository';
import type { TenantPolicyRepository } from './tenant-policy.repository';
import type { UploadRepository } from './upload.repository';

const HOUR_MS = 3600 * 1000;
/** The catalog lists at most this many file ids per file.cleanup.scheduled.v1. */
const CLEANUP_BATCH = 1000;
/** A file left `deleting` this long had its blob removal fail (or its process die); retry it. */
const STUCK_DELETE_MS = 60_000;

export interface RetentionDeps {
  ctx: ServiceContext;
  config: FileConfig;
  files: FileRepository;
  uploads: UploadRepository;
  policies: TenantPolicyRepository;
  retention: RetentionRepository;
  lifecycle: FileLifecycle;
  clock: () => Date;
}

export interface RetentionReport {
  uploadsDiscarded: number;
  blobsRetried: number;
  cleanupsScheduled: number;
  cleanupsExecuted: number;
  filesDeleted: number;
}

/**
 * The file service's housekeeping, run every FILE_RETENTION_INTERVAL_SECONDS from `start()`:
 * 1. discards resumable uploads that outlived their expiry (and finished ones kept as long);
 * 2. retries blob removal of files whose deletion was interrupted;
 * 3. schedules cleanups of files past retention (`file.cleanup.scheduled.v1`, owner warned ahead);
 * 4. executes cleanups whose grace period has passed (`file.deleted.v1` per file, then
 *    `file.cleanup.executed.v1`), re-checking each file first.
 * Time comes from the injected clock; several instances may run it at once (row locks keep them apart).
 */
export class RetentionScheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(private readonly deps: RetentionDeps) {}

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .catch((error: unknown) => this.deps.ctx.logger.error({ err: error }, 'retention run failed'))
        .finally(() => {
          this.#running = undefined;
          this.#schedule();
        });
    }, this.deps.config.retentionIntervalSeconds * 1000);
    this.#timer.unref();
  }

  async runOnce(): Promise<RetentionReport> {
    return {
      uploadsDiscarded: await this.discardStaleUploads(),
      blobsRetried: await this.retryBlobRemoval(),
      cleanupsScheduled: await this.scheduleExpired(),
      ...(await this.executeDue()),
    };
  }

  #db() {
    const db = this.deps.ctx.db;
    if (!db) throw new Error('file service: no database');
    return db;
  }

  #rule(): RetentionRule {
    return {
      now: this.deps.clock(),
      defaultRetentionDays: this.deps.config.defaultRetentionDays,
      orphanDays: this.deps.config.orphanDays,
    };
  }

  async discardStaleUploads(): Promise<number> {
    const cutoff = new Date(this.deps.clock().getTime() - this.deps.config.uploadExpiryHours * HOUR_MS);
    const stale = await this.#db().asSystem((tx) => this.deps.uploads.stale(tx, cutoff, 500));
    for (const upload of stale) {
      for (const part of upload.parts) await this.deps.ctx.blobs.delete(part.blobKey);
      await this.#db().asSystem((tx) => this.deps.uploads.remove(tx, upload.id));
    }
    return stale.length;
  }

  async retryBlobRemoval(): Promise<number> {
    const cutoff = new Date(this.deps.clock().getTime() - STUCK_DELETE_MS);
    const stuck = await this.#db().asSystem((tx) => this.deps.files.deletingBefore(tx, cutoff, 500));
    await this.deps.lifecycle.removeBlobs(stuck);
    return stuck.length;
  }

  /** Schedules every expired, unscheduled file: one cleanup per tenant (and batch of 1000). */
  async scheduleExpired(): Promise<number> {
    const rule = this.#rule();
    return this.#db().asSystem(async (tx) => {
      const candidates = await this.deps.retention.expiredFiles(tx, rule, 10 * CLEANUP_BATCH);
      const byTenant = new Map<string, Candidate[]>();
      for (const candidate of candidates) {
        byTenant.set(candidate.tenantId, [...(byTenant.get(candidate.tenantId) ?? []), candidate]);
      }
      let scheduled = 0;
      for (const [tenantId, files] of byTenant) {
        for (let i = 0; i < files.length; i += CLEANUP_BATCH) {
          await this.#scheduleCleanup(
            tx,
            tenantId,
            'retention_expired',
            files.slice(i, i + CLEANUP_BATCH),
            rule.now,
          );
          scheduled++;
        }
      }
      return scheduled;
    });
  }

  /**
   * After a plan expired into a smaller one: schedules the tenant's oldest render outputs until what is
   * left fits the new quota (uploads are never deleted for it; they only stop new uploads).
   */
  async scheduleOverQuota(tx: Tx, tenantId: string): Promise<string | null> {
    const policy = await this.deps.policies.get(tx, tenantId);
    const usage = await this.deps.files.usage(tx, tenantId);
    let excess = usage.usedBytes - policy.storageBytes;
    if (excess <= 0) return null;
    const chosen: Candidate[] = [];
    for (const output of await this.deps.retention.oldestRenderOutputs(tx, tenantId, CLEANUP_BATCH)) {
      if (excess <= 0) break;
      chosen.push(output);
      excess -= output.totalBytes;
    }
    if (chosen.length === 0) return null;
    return this.#scheduleCleanup(tx, tenantId, 'plan_expired', chosen, this.deps.clock());
  }

  async #scheduleCleanup(
    tx: Tx,
    tenantId: string,
    reason: CleanupReason,
    files: readonly Candidate[],
    now: Date,
  ) {
    const id = crypto.randomUUID();
    const scheduledFor = new Date(now.getTime() + this.deps.config.cleanupGraceHours * HOUR_MS);
    await this.deps.retention.createCleanup(
      tx,
      { id, tenantId, reason, scheduledFor, createdAt: now },
      files.map((f) => f.id),
    );
    await this.deps.ctx.emit(
      tx,
      'file.cleanup.scheduled.v1',
      {
        cleanup_id: id,
        reason_code: reason,
        scheduled_for: scheduledFor.toISOString(),
        file_count: files.length,
        total_bytes: files.reduce((sum, f) => sum + f.totalBytes, 0),
        file_ids: files.map((f) => f.id),
      },
      { tenantId },
    );
    return id;
  }

  async executeDue(): Promise<{ cleanupsExecuted: number; filesDeleted: number }> {
    const due = await this.#db().asSystem((tx) => this.deps.retention.dueCleanups(tx, this.deps.clock(), 50));
    let cleanupsExecuted = 0;
    let filesDeleted = 0;
    for (const cleanup of due) {
      const deleted = await this.#execute(cleanup.id, cleanup.tenantId, cleanup.reason);
      if (deleted === null) continue;
      cleanupsExecuted++;
      filesDeleted += deleted.length;
      await this.deps.lifecycle.removeBlobs(deleted);
    }
    return { cleanupsExecuted, filesDeleted };
  }

  /** Deletes what is still due in one transaction with its events; null when another instance has it. */
  async #execute(cleanupId: string, tenantId: string, reason: CleanupReason): Promise<FileRecord[] | null> {
    const startedAt = this.deps.clock();
    return this.#db().asSystem(async (tx) => {
      if (!(await this.deps.retention.claimCleanup(tx, cleanupId))) return null;
      const rule = this.#rule();
      const files = await this.deps.retention.cleanupFiles(tx, cleanupId, rule);
      const deleted: FileRecord[] = [];
      const skipped: string[] = [];
      if (reason === 'retention_expired') {
        for (const file of files) {
          const record = file.stillExpired
            ? await this.deps.lifecycle.markDeleted(tx, file.id, 'retention_expired', { cleanupId })
            : null;
          if (record) deleted.push(record);
          else skipped.push(file.id);
        }
      } else {
        // Over quota after a plan change: delete oldest first only while the tenant is still over.
        const policy = await this.deps.policies.get(tx, tenantId);
        let used = (await this.deps.files.usage(tx, tenantId)).usedBytes;
        for (const file of files) {
          const record =
            used > policy.storageBytes
              ? await this.deps.lifecycle.markDeleted(tx, file.id, 'quota_enforced', { cleanupId })
              : null;
          if (record) {
            deleted.push(record);
            used -= record.totalBytes;
          } else skipped.push(file.id);
        }
      }
      await this.deps.retention.unschedule(tx, skipped);
      const finishedAt = this.deps.clock();
      await this.deps.retention.markExecuted(tx, cleanupId, finishedAt);
      await this.deps.ctx.emit(
        tx,
        'file.cleanup.executed.v1',
        {
          cleanup_id: cleanupId,
          reason_code: reason,
          deleted_count: deleted.length,
          freed_bytes: deleted.reduce((sum, f) => sum + f.totalBytes, 0),
          skipped_count: skipped.length,
          failed_count: 0,
          started_at: startedAt.toISOString(),
          finished_at: finishedAt.toISOString(),
        },
        { tenantId },
      );
      return deleted;
    });
  }
}
