import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { MessageData, RenderErrorCode } from '@flatrender/contracts';
import { HttpError, type Logger, type ScopedDatabase, type ServiceContext } from '@flatrender/platform';
import { sql } from 'kysely';
import type { Assembler } from './assembler';
import type { Dispatcher, ItemOwner } from './dispatcher';
import { countsAgainstNode, decideAfterFailure } from './domain/failure-policy';
import { mimeOf, renderPrefix } from './domain/output-keys';
import { isPreviewClip } from './domain/preview-clip';
import { jobProgress, progressDue } from './domain/progress';
import type { ItemRepository } from './item.repository';
import type { JobRepository } from './job.repository';
import type { JobLifecycle } from './job-lifecycle';
import type { NodeRepository } from './node.repository';
import { type ItemExpectation, OutputRejectedError, type OutputVerifier } from './output-verifier';
import type { RenderConfig } from './render.config';
import type { AttemptStatus, ItemRow, JobRow, RenderDb, RenderTx, SnapshotRow } from './render.db';
import type { RenderMetrics } from './render.metrics';
import type { SnapshotRepository } from './snapshot.repository';

export interface ClaimBody {
  node_id: string;
  fencing_token?: number | undefined;
}

export interface CompleteBody {
  node_id: string;
  fencing_token?: number | undefined;
  output_key: string;
  size_bytes: number;
  content_hash: string;
  probe?:
    | {
        frames?: number | undefined;
        duration_seconds?: number | undefined;
        video_codec?: string | null | undefined;
        width?: number | null | undefined;
        height?: number | null | undefined;
      }
    | undefined;
  render_ms?: number | undefined;
}

export interface FailBody {
  node_id: string;
  fencing_token?: number | undefined;
  error_code: string;
  message: string;
  retryable: boolean;
}

export interface AttemptFailure {
  code: RenderErrorCode;
  message: string;
  retryable: boolean;
  /** How the attempt ended: failed (the node said so), rejected (bad output), expired (lease ran out). */
  status: Extract<AttemptStatus, 'failed' | 'rejected' | 'expired'>;
}

/** A quarantined node's refused claim sends the item out again after this long (not at once). */
const QUARANTINE_REDISPATCH_MS = 5_000;

const stale = (message: string) => new HttpError(409, 'stale_lease', message);
const ERROR_CODES = new Set<string>([
  'template_invalid',
  'values_invalid',
  'font_missing',
  'asset_missing',
  'asset_unreadable',
  'engine_error',
  'encoder_failed',
  'output_invalid',
  'timeout',
  'node_lost',
  'quota_exceeded',
  'internal',
]);

/**
 * The orchestrator's side of the lease protocol (docs/services/render.md): claims, heartbeats,
 * results and failures of work items, each checked against the item's current fencing token. A
 * result whose lease was taken away is discarded (409 `stale_lease`) and its blob deleted.
 */
export class LeaseService {
  constructor(
    private readonly deps: {
      ctx: ServiceContext;
      db: ScopedDatabase<RenderDb>;
      config: RenderConfig;
      jobs: JobRepository;
      items: ItemRepository;
      nodes: NodeRepository;
      snapshots: SnapshotRepository;
      dispatcher: Dispatcher;
      lifecycle: JobLifecycle;
      verifier: OutputVerifier;
      assembler: () => Assembler;
      metrics: RenderMetrics;
      logger: Logger;
    },
  ) {}

  async claim(itemId: string, body: ClaimBody): Promise<{ lease_expires_at: string }> {
    const { db, items, nodes, config } = this.deps;
    const result = await db.asSystem(
      async (tx): Promise<{ lease_expires_at: string } | { refused: HttpError }> => {
        await nodes.ensure(tx, body.node_id);
        const node = await nodes.find(tx, body.node_id);
        const item = await items.find(tx, itemId, { forUpdate: true });
        if (!item) throw stale(`Work item ${itemId} is unknown; drop the message.`);
        if (!this.tokenMatches(item, body.fencing_token))
          throw stale(`Work item ${itemId} was dispatched again; your fencing token is superseded.`);
        if (node?.quarantined_at) {
          // Someone else must take it: dispatched again shortly, not at once (a lone quarantined node
          // would otherwise spin on it).
          if (item.status === 'pending')
            await items.update(tx, item.id, {
              redispatch_after: new Date(Date.now() + QUARANTINE_REDISPATCH_MS),
            });
          // Returned, not thrown: the deferred dispatch above must commit.
          return {
            refused: new HttpError(
              409,
              'node_quarantined',
              'This node is quarantined after repeated failures; it gets no work.',
            ),
          };
        }
        if (item.status === 'leased') {
          if (item.node_id !== body.node_id) throw stale(`Work item ${itemId} is leased to another node.`);
        } else if (item.status !== 'pending') {
          throw stale(`Work item ${itemId} is ${item.status}; drop the message.`);
        }
        const owner = await this.owner(tx, item, { forUpdate: true });
        if (!owner || ownerEnded(owner))
          throw stale(`The job of work item ${itemId} has ended; drop the message.`);
        const now = new Date();
        const expires = new Date(now.getTime() + config.leaseSeconds * 1000);
        await items.update(tx, item.id, {
          status: 'leased',
          node_id: body.node_id,
          lease_expires_at: expires,
          claimed_at: item.status === 'leased' ? item.claimed_at : now,
          redispatch_after: null,
        });
        await items.updateAttempt(tx, item.id, item.fencing_token, {
          status: 'claimed',
          node_id: body.node_id,
          claimed_at: now,
        });
        if (owner.kind === 'job') await this.jobStarted(tx, owner.job, item, body.node_id, now);
        else if (owner.snapshot.status === 'queued')
          await this.deps.snapshots.update(tx, owner.snapshot.id, { status: 'rendering' });
        return { lease_expires_at: expires.toISOString() };
      },
    );
    if ('refused' in result) throw result.refused;
    return result;
  }

  async complete(
    itemId: string,
    body: CompleteBody,
  ): Promise<{ status: 'accepted' | 'rejected'; error?: string }> {
    const { db, verifier } = this.deps;
    // Checked once before the (slow) verification and again, under lock, after it.
    const first = await db.asSystem((tx) => this.current(tx, itemId, body));
    if ('stale' in first) throw first.stale;
    let verified: Awaited<ReturnType<OutputVerifier['verify']>> | undefined;
    let rejection: OutputRejectedError | undefined;
    try {
      if (body.output_key !== first.item.output_key)
        throw new OutputRejectedError(`output_key ${body.output_key} is not the key of this attempt`);
      verified = await verifier.verify(body.output_key, this.expectation(first.owner, first.item, body));
    } catch (error) {
      if (!(error instanceof OutputRejectedError)) throw error;
      rejection = error;
    }
    try {
      const outcome = await db.asSystem(async (tx) => {
        const current = await this.current(tx, itemId, body, { forUpdate: true });
        if ('stale' in current) return current;
        const { item, owner } = current;
        if (rejection) {
          await this.attemptFailed(tx, item, owner, body.node_id, {
            code: 'output_invalid',
            message: rejection.message,
            retryable: true,
            status: 'rejected',
          });
          return { status: 'rejected' as const, error: rejection.message };
        }
        const info = verified?.info;
        const now = new Date();
        const frames = item.kind === 'chunk' ? (item.frame_end ?? 0) - (item.frame_start ?? 0) : 1;
        const renderMs =
          body.render_ms ??
          (item.claimed_at
            ? now.getTime() - item.claimed_at.getTime()
            : now.getTime() - (item.dispatched_at?.getTime() ?? now.getTime()));
        await this.deps.items.update(tx, item.id, {
          status: 'done',
          node_id: body.node_id,
          lease_expires_at: null,
          size_bytes: body.size_bytes,
          content_hash: body.content_hash,
          probe: JSON.stringify({
            frames: info?.video?.frameCount ?? frames,
            duration_seconds: info?.duration ?? 0,
            video_codec: info?.video?.codec ?? null,
            width: info?.video?.width ?? null,
            height: info?.video?.height ?? null,
          }),
          frames_done: frames,
          completed_at: now,
          render_ms: renderMs,
        });
        await this.deps.items.endAttempt(tx, item.id, item.fencing_token, 'completed');
        await tx
          .updateTable('render_node')
          .set({
            items_completed: sql`items_completed + 1`,
            frames_rendered: sql`frames_rendered + ${frames}`,
            last_seen_at: sql`now()`,
          })
          .where('id', '=', body.node_id)
          .execute();
        this.deps.metrics.itemDone(item.kind, renderMs / 1000, item.kind === 'chunk' ? frames : null);
        if (owner.kind === 'snapshot') {
          await this.snapshotDone(tx, owner.snapshot, item, body, info, renderMs);
        } else {
          await this.progress(tx, owner.job.id, { force: true });
        }
        return { status: 'accepted' as const };
      });
      if ('stale' in outcome) throw outcome.stale;
      return outcome;
    } finally {
      if (verified) await rm(verified.fetched.file, { force: true });
      if (first.owner.kind === 'job') this.deps.assembler().kick();
    }
  }

  async fail(itemId: string, body: FailBody): Promise<void> {
    const code = (ERROR_CODES.has(body.error_code) ? body.error_code : 'internal') as RenderErrorCode;
    const refused = await this.deps.db.asSystem(async (tx) => {
      const current = await this.current(tx, itemId, body, { forUpdate: true });
      if ('stale' in current) return current.stale;
      await this.attemptFailed(tx, current.item, current.owner, body.node_id, {
        code,
        message: body.message || code,
        retryable: body.retryable,
        status: 'failed',
      });
      return undefined;
    });
    if (refused) throw refused;
  }

  /** node.heartbeat.v1: extends the leases whose tokens still match, records load, reports progress. */
  async heartbeat(tx: RenderTx, data: MessageData<'node.heartbeat.v1'>): Promise<void> {
    const { config, nodes, items } = this.deps;
    if (Date.now() - new Date(data.sent_at).getTime() > config.leaseSeconds * 1000) return;
    await nodes.ensure(tx, data.node_id);
    const node = await nodes.find(tx, data.node_id);
    await nodes.update(tx, data.node_id, {
      status: 'online',
      last_heartbeat_at: new Date(data.sent_at),
      last_seen_at: new Date(),
      heartbeat_interval_seconds: data.interval_seconds,
      slots: data.slots,
      slots_busy: data.slots_busy,
      load: data.load,
      memory_free_bytes: data.memory_free_bytes,
      disk_free_bytes: data.disk_free_bytes,
      cache: JSON.stringify(data.cache),
      draining: data.draining,
      ...(node?.status === 'crashed' ? { failures: 0 } : {}),
    });
    const extended = await items.extendLeases(tx, data.node_id, data.leases, config.leaseSeconds);
    for (const jobId of new Set(extended.map((i) => i.job_id).filter((j): j is string => j !== null)))
      await this.progress(tx, jobId, { force: false });
  }

  /** node.offline.v1: the node left on purpose; what it gave back goes to other nodes at once. */
  async offline(tx: RenderTx, data: MessageData<'node.offline.v1'>): Promise<void> {
    await this.deps.nodes.ensure(tx, data.node_id);
    await this.deps.nodes.update(tx, data.node_id, { status: 'offline', draining: false, slots_busy: 0 });
    for (const lease of data.released_leases) {
      const item = await this.deps.items.find(tx, lease.chunk_id, { forUpdate: true });
      if (item?.status !== 'leased' || item.node_id !== data.node_id) continue;
      if (Number(item.fencing_token) !== lease.fencing_token) continue;
      const owner = await this.owner(tx, item, { forUpdate: true });
      if (!owner || ownerEnded(owner)) continue;
      await this.deps.items.endAttempt(tx, item.id, item.fencing_token, 'expired', {
        code: 'node_lost',
        message: 'the node shut down and gave the item back',
      });
      await this.deps.dispatcher.redispatch(tx, owner, item);
    }
  }

  /**
   * An attempt failed (the node said so, its output was refused, or its lease expired): counted against
   * the node (quarantine), then retried on any node or, by the failure policy, the end of the job.
   */
  async attemptFailed(
    tx: RenderTx,
    item: ItemRow,
    owner: ItemOwner,
    nodeId: string | null,
    failure: AttemptFailure,
  ): Promise<void> {
    const { items, nodes, config, dispatcher, lifecycle } = this.deps;
    await items.endAttempt(tx, item.id, item.fencing_token, failure.status, {
      code: failure.code,
      message: failure.message,
    });
    const failedNodes = nodeId ? [...item.failed_nodes, nodeId] : item.failed_nodes;
    await items.update(tx, item.id, {
      failed_nodes: failedNodes,
      last_error_code: failure.code,
      last_error: failure.message.slice(0, 2000),
      lease_expires_at: null,
    });
    if (nodeId && countsAgainstNode(failure.code)) {
      await nodes.ensure(tx, nodeId);
      const failures = await nodes.recordFailure(tx, nodeId, config.quarantineWindowSeconds);
      if (failures >= config.quarantineFailures) {
        await tx
          .updateTable('render_node')
          .set({
            quarantined_at: sql`coalesce(quarantined_at, now())`,
            quarantine_reason: `${failures} failed attempts within ${config.quarantineWindowSeconds} s (last: ${failure.code})`,
          })
          .where('id', '=', nodeId)
          .execute();
        this.deps.logger.warn({ nodeId, failures }, 'render node quarantined');
      }
    }
    const decision = decideAfterFailure(
      { retryable: failure.retryable, failedNodes, attempt: item.attempt },
      { maxFailedNodes: config.maxFailedNodes, maxAttempts: config.maxAttempts },
    );
    if (decision.action === 'retry') {
      await dispatcher.redispatch(tx, owner, { ...item, failed_nodes: failedNodes });
      return;
    }
    await items.update(tx, item.id, { status: 'failed' });
    const why =
      decision.reason === 'failed_on_nodes'
        ? ` (failed on ${new Set(failedNodes).size} different nodes)`
        : decision.reason === 'attempts_exhausted'
          ? ` (after ${item.attempt} attempts)`
          : '';
    if (owner.kind === 'job') {
      await lifecycle.fail(tx, owner.job, {
        code: failure.code,
        message: `${failure.message}${why}`,
        retryable: failure.retryable,
        chunkIndex: owner.job.kind === 'video' ? item.idx : null,
        nodeId,
      });
    } else {
      await lifecycle.snapshotFailed(tx, owner.snapshot, {
        code: failure.code,
        message: `${failure.message}${why}`,
      });
    }
  }

  /** Emits render.job.progress.v1 for a job at most once per interval (always when `force`). */
  async progress(tx: RenderTx, jobId: string, options: { force: boolean }): Promise<void> {
    const job = await this.deps.jobs.find(tx, jobId, { forUpdate: true });
    if (job?.status !== 'rendering' || job.kind !== 'video') return;
    const now = new Date();
    if (!options.force && !progressDue(job.progress_emitted_at, now, this.deps.config.progressIntervalMs))
      return;
    const items = await this.deps.items.forJob(tx, jobId);
    const p = jobProgress(
      items.map((i) => ({
        status: i.status,
        frames: (i.frame_end ?? 0) - (i.frame_start ?? 0),
        frames_done: i.frames_done,
      })),
      job.progress,
      job.started_at ? (now.getTime() - job.started_at.getTime()) / 1000 : null,
    );
    if (p.progress === job.progress && job.progress_emitted_at && !options.force) return;
    // Throttled even when forced: several chunks finishing together give one event, not one each.
    if (options.force && !progressDue(job.progress_emitted_at, now, this.deps.config.progressIntervalMs)) {
      await this.deps.jobs.update(tx, jobId, { progress: p.progress, frames_done: p.frames_done });
      return;
    }
    await this.deps.jobs.update(tx, jobId, {
      progress: p.progress,
      frames_done: p.frames_done,
      progress_emitted_at: now,
    });
    // A preview clip is the platform's work: its owner's event stream is not told about it.
    if (isPreviewClip(job)) return;
    await this.deps.ctx.emit(
      tx,
      'render.job.progress.v1',
      {
        job_id: jobId,
        progress: p.progress,
        stage: p.chunks_done === p.chunk_count ? 'assembling' : 'rendering',
        frames_done: p.frames_done,
        frame_count: p.frame_count,
        chunks_done: p.chunks_done,
        chunk_count: p.chunk_count,
        eta_seconds: p.eta_seconds,
        measured_at: now.toISOString(),
      },
      { tenantId: job.tenant_id, userId: job.user_id },
    );
  }

  async owner(
    tx: RenderTx,
    item: ItemRow,
    options: { forUpdate?: boolean } = {},
  ): Promise<ItemOwner | undefined> {
    if (item.job_id) {
      const job = await this.deps.jobs.find(tx, item.job_id, options);
      return job ? { kind: 'job', job } : undefined;
    }
    if (item.snapshot_id) {
      const snapshot = await this.deps.snapshots.find(tx, item.snapshot_id, options);
      return snapshot ? { kind: 'snapshot', snapshot } : undefined;
    }
    return undefined;
  }

  /**
   * The item and its owner if `body` speaks for its current lease. Otherwise the result is late: it is
   * recorded on its attempt and its blob deleted, and the caller answers 409 once this commits.
   */
  private async current(
    tx: RenderTx,
    itemId: string,
    body: { node_id: string; fencing_token?: number | undefined; output_key?: string },
    options: { forUpdate?: boolean } = {},
  ): Promise<{ item: ItemRow; owner: ItemOwner } | { stale: HttpError }> {
    const item = await this.deps.items.find(tx, itemId, options);
    if (!item) return { stale: stale(`Work item ${itemId} is unknown.`) };
    const owner = await this.owner(tx, item, options);
    const tokenOk = this.tokenMatches(item, body.fencing_token);
    const leaseOk =
      (item.status === 'leased' && item.node_id === body.node_id) ||
      // A still may be answered without a claim (the snapshot message carries no lease).
      (item.status === 'pending' && item.kind === 'still');
    if (tokenOk && leaseOk && owner && !ownerEnded(owner)) return { item, owner };
    await this.discardLate(tx, item, body);
    return {
      stale: stale(
        !tokenOk
          ? `Work item ${itemId} was dispatched again after your lease; your result is discarded.`
          : `Work item ${itemId} is no longer leased to this node (${item.status}); your result is discarded.`,
      ),
    };
  }

  private async discardLate(
    tx: RenderTx,
    item: ItemRow,
    body: { node_id: string; fencing_token?: number | undefined; output_key?: string },
  ): Promise<void> {
    const token = body.fencing_token ?? (item.kind === 'still' ? item.fencing_token : undefined);
    const attempt =
      token !== undefined ? await this.deps.items.findAttempt(tx, item.id, Number(token)) : undefined;
    if (attempt && body.output_key) {
      await this.deps.items.updateAttempt(tx, item.id, attempt.fencing_token, { late_result_at: new Date() });
      // Only the key this attempt was given, and never the item's current one: nothing else is touched.
      const owned = body.output_key === attempt.output_key && body.output_key !== item.output_key;
      const ownerId = item.job_id ?? item.snapshot_id ?? item.id;
      if (owned && body.output_key.startsWith(renderPrefix(ownerId))) {
        const key = body.output_key;
        setImmediate(() => {
          this.deps.ctx.blobs
            .delete(key)
            .catch((error) => this.deps.logger.warn({ err: error, key }, 'late blob not deleted'));
        });
      }
    }
  }

  private tokenMatches(item: ItemRow, token: number | undefined): boolean {
    if (token === undefined) return item.kind === 'still';
    return Number(item.fencing_token) === token;
  }

  private expectation(owner: ItemOwner, item: ItemRow, body: CompleteBody): ItemExpectation {
    const base = { size_bytes: body.size_bytes, content_hash: body.content_hash };
    if (owner.kind === 'snapshot')
      return {
        ...base,
        kind: 'still',
        format: owner.snapshot.format,
        width: owner.snapshot.width,
        height: owner.snapshot.height,
      };
    const { job } = owner;
    if (item.kind === 'mockup' && job.spec.kind === 'mockup')
      return { ...base, kind: 'mockup', format: job.spec.format, width: job.spec.width };
    if (item.kind === 'voiceover' && job.spec.kind === 'voiceover')
      return { ...base, kind: 'voiceover', format: job.spec.format };
    if (item.kind === 'still')
      return {
        ...base,
        kind: 'still',
        format: job.format,
        width: job.width ?? undefined,
        height: job.height ?? undefined,
      } as ItemExpectation;
    return {
      ...base,
      kind: 'chunk',
      format: job.format,
      frames: (item.frame_end ?? 0) - (item.frame_start ?? 0),
      fps: job.fps ?? 30,
      width: job.width ?? undefined,
      height: job.height ?? undefined,
    } as ItemExpectation;
  }

  private async jobStarted(
    tx: RenderTx,
    job: JobRow,
    item: ItemRow,
    nodeId: string,
    now: Date,
  ): Promise<void> {
    const patch = { max_attempt: Math.max(job.max_attempt, item.attempt) };
    if (job.status !== 'queued') {
      if (patch.max_attempt !== job.max_attempt) await this.deps.jobs.update(tx, job.id, patch);
      return;
    }
    await this.deps.jobs.update(tx, job.id, {
      ...patch,
      status: 'rendering',
      stage: 'rendering',
      started_at: now,
    });
    if (isPreviewClip(job)) return;
    await this.deps.ctx.emit(
      tx,
      'render.job.started.v1',
      {
        job_id: job.id,
        kind: job.kind,
        project_id: job.project_id,
        node_id: nodeId,
        queue_wait_seconds: Math.max(0, (now.getTime() - job.queued_at.getTime()) / 1000),
        started_at: now.toISOString(),
      },
      { tenantId: job.tenant_id, userId: job.user_id },
    );
  }

  private async snapshotDone(
    tx: RenderTx,
    snapshot: SnapshotRow,
    item: ItemRow,
    body: CompleteBody,
    info: { video: { width: number; height: number } | null } | undefined,
    renderMs: number,
  ): Promise<void> {
    await this.deps.lifecycle.snapshotReady(
      tx,
      snapshot,
      {
        file_id: randomUUID(),
        blob_key: item.output_key,
        mime: mimeOf(snapshot.format),
        format: snapshot.format,
        size_bytes: body.size_bytes,
        content_hash: body.content_hash,
        width: info?.video?.width ?? snapshot.width,
        height: info?.video?.height ?? snapshot.height,
        fps: null,
        duration_seconds: null,
        frame_count: 1,
      },
      Math.max(0, Math.round(renderMs)),
    );
  }
}

function ownerEnded(owner: ItemOwner): boolean {
  if (owner.kind === 'job') return !['queued', 'rendering'].includes(owner.job.status);
  return owner.snapshot.status === 'ready' || owner.snapshot.status === 'failed';
}
