import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, statfs } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  AUDIO_FORMATS,
  bindingsFor,
  type MessageData,
  type MessageKey,
  PLATFORM_TENANT_ID,
  RENDER_FORMATS,
  type RenderQueue,
  SYSTEM_USER_ID,
} from '@flatrender/contracts';
import { ENGINE_GENERATION } from '@flatrender/engine';
import { registerFontFile } from '@flatrender/engine/node';
import type { DeliveredMessage, ServiceContext, Subscription } from '@flatrender/platform';
import type { CacheChange, ContentCache } from './cache/content-cache';
import type { TemplateStore } from './cache/template.store';
import { type HeldLease, heartbeatData } from './domain/heartbeat';
import { SlotPool } from './domain/slot-pool';
import type { CompletedOutput, OrchestratorClient } from './orchestrator.client';
import type { RenderNodeConfig } from './render-node.config';
import { renderMockupItem, renderVoiceoverItem } from './work/media-work';
import { renderChunkItem, renderSnapshotItem } from './work/project-work';
import type { WorkControl, WorkDeps } from './work/work.types';
import { classifyFailure, WorkFailure } from './work/work-failure';

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** Why a running item was stopped from outside its work. */
type StopReason = 'cancelled' | 'timeout' | 'shutdown';

class ItemStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`work item stopped: ${reason}`);
  }
}

/** The message goes back to its queue for another node (the node is leaving or may not take work). */
class HandBack extends Error {
  readonly code = 'handed_back';
}

interface ActiveItem {
  queue: RenderQueue;
  jobId: string;
  itemId: string;
  fencingToken: number;
  frameCount: number;
  framesDone: number;
  claimed: boolean;
  controller: AbortController;
}

/** Slot order across queues: a freed slot goes to a VIP chunk before a paid one, before a preview. */
const QUEUE_RANK: Record<RenderQueue, number> = {
  'render.queue.snapshot': 0,
  'render.queue.vip': 1,
  'render.queue.paid': 2,
  'render.queue.mockup': 3,
  'render.queue.voiceover': 4,
  'render.queue.preview': 5,
};

export interface RenderNodeDeps {
  ctx: ServiceContext;
  config: RenderNodeConfig;
  nodeId: string;
  cache: ContentCache;
  templates: TemplateStore;
  client: OrchestratorClient;
  workDir: string;
}

/**
 * A render node at work: consumes its render queues (one message per slot and queue), claims each
 * item's lease, renders it, uploads the output and reports it, and only then acknowledges the message.
 * Heartbeats carry the leases it holds; a cancel listener on a queue of its own stops items of
 * cancelled jobs; shutting down drains (stops consuming, lets running items finish for a while, gives
 * the rest up) before it says goodbye.
 */
export class RenderNode {
  private readonly active = new Map<string, ActiveItem>();
  private readonly slots: SlotPool;
  private readonly deps: WorkDeps;
  private readonly subscriptions: Subscription[] = [];
  private listener: Subscription | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private stopping: Promise<void> | undefined;
  private readonly released: HeldLease[] = [];

  constructor(private readonly node: RenderNodeDeps) {
    this.slots = new SlotPool(node.config.slots);
    this.deps = {
      blobs: node.ctx.blobs,
      cache: node.cache,
      templates: node.templates,
      drawWorkers:
        node.config.drawWorkers ||
        Math.max(1, Math.floor((os.availableParallelism() - 1) / node.config.slots)),
      logger: node.ctx.logger,
    };
  }

  get id(): string {
    return this.node.nodeId;
  }

  /** Announces the node, then starts listening for cancels, consuming and heartbeating. */
  async start(): Promise<void> {
    const { ctx, config, cache } = this.node;
    await rm(this.node.workDir, { recursive: true, force: true });
    await mkdir(this.node.workDir, { recursive: true });
    await this.publish('node.online.v1', {
      node_id: this.id,
      hostname: os.hostname(),
      version: VERSION,
      engine_generations: Array.from({ length: ENGINE_GENERATION }, (_, i) => i + 1),
      queues: [...config.queues],
      formats: [...RENDER_FORMATS, ...AUDIO_FORMATS],
      slots: config.slots,
      cpu_cores: os.availableParallelism(),
      memory_bytes: os.totalmem(),
      cache: cache.stats(),
      started_at: new Date().toISOString(),
    });
    await this.publish('node.cache.updated.v1', {
      node_id: this.id,
      complete: true,
      added: cache.list().map((e) => ({ kind: e.kind, content_hash: e.contentHash, size_bytes: e.size })),
      evicted: [],
      cache: cache.stats(),
      updated_at: new Date().toISOString(),
    });
    // Cancels and font installations must reach this very node, so its queue is its own and goes
    // away with it.
    this.listener = await ctx.bus.subscribe(
      {
        queue: `render-node.${this.id}.${randomBytes(4).toString('hex')}`,
        bindings: bindingsFor('render-node'),
        prefetch: 16,
        transient: true,
      },
      async (message) => this.onNodeEvent(message),
    );
    for (const queue of config.queues) {
      this.subscriptions.push(
        await ctx.bus.subscribe({ queue, prefetch: config.slots }, (message) => this.onWork(queue, message)),
      );
    }
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), config.heartbeatSeconds * 1000);
    this.heartbeatTimer.unref();
    ctx.logger.info(
      { node_id: this.id, queues: config.queues, slots: config.slots, draw_workers: this.deps.drawWorkers },
      'render node online',
    );
  }

  /**
   * Graceful shutdown: stop consuming at once, give running items `drainSeconds` to finish, then stop
   * and give up the rest (failed as `node_lost`, listed as released in node.offline.v1), and only then
   * announce that the node is gone.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  /** The node.heartbeat.v1 payload as of now. */
  async heartbeatPayload(): Promise<MessageData<'node.heartbeat.v1'>> {
    let diskFree = 0;
    try {
      const fs = await statfs(this.node.workDir);
      diskFree = fs.bavail * fs.bsize;
    } catch {
      diskFree = 0;
    }
    return heartbeatData({
      nodeId: this.id,
      intervalSeconds: this.node.config.heartbeatSeconds,
      slots: this.node.config.slots,
      slotsBusy: this.slots.inUse,
      draining: this.draining,
      leases: this.heldLeases(),
      machine: {
        loadAverage: os.loadavg()[0] ?? 0,
        cpuCount: os.availableParallelism(),
        memoryFreeBytes: os.freemem(),
        diskFreeBytes: diskFree,
      },
      cache: this.node.cache.stats(),
      now: new Date(),
    });
  }

  /** Announces a cache change (node.cache.updated.v1); called by the cache. */
  cacheChanged(change: CacheChange): void {
    void this.publish('node.cache.updated.v1', {
      node_id: this.id,
      complete: false,
      added: change.added,
      evicted: change.evicted,
      cache: this.node.cache.stats(),
      updated_at: new Date().toISOString(),
    }).catch((err: unknown) => this.node.ctx.logger.warn({ err }, 'cache update not announced'));
  }

  private heldLeases(): HeldLease[] {
    return [...this.active.values()]
      .filter((a) => a.claimed)
      .map((a) => ({
        jobId: a.jobId,
        itemId: a.itemId,
        fencingToken: a.fencingToken,
        framesDone: a.framesDone,
        frameCount: a.frameCount,
      }));
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.publish('node.heartbeat.v1', await this.heartbeatPayload());
    } catch (err) {
      this.node.ctx.logger.warn({ err }, 'heartbeat not sent');
    }
  }

  private async publish<K extends MessageKey>(key: K, data: MessageData<K>): Promise<void> {
    // Node facts are platform-wide, whatever message the node is handling when it reports them.
    const envelope = this.node.ctx.envelope(key, data, {
      tenantId: PLATFORM_TENANT_ID,
      userId: SYSTEM_USER_ID,
    });
    await this.node.ctx.bus.publish(envelope);
  }

  private async onNodeEvent(message: DeliveredMessage): Promise<void> {
    if (message.routingKey === 'content.font.installed.v1') {
      // In the background: a cancel arriving meanwhile must not wait behind a download.
      void this.prefetchFont((message.envelope.data as MessageData<'content.font.installed.v1'>).font);
      return;
    }
    if (message.routingKey !== 'render.job.cancelled.v1') return;
    const { job_id } = message.envelope.data as MessageData<'render.job.cancelled.v1'>;
    for (const item of this.active.values()) {
      if (item.jobId !== job_id || item.controller.signal.aborted) continue;
      this.node.ctx.logger.info({ job_id, item_id: item.itemId }, 'job cancelled: stopping its item');
      item.controller.abort(new ItemStopped('cancelled'));
    }
  }

  /** Fetches a newly installed font into the cache and registers it, before any job needs it. */
  private async prefetchFont(font: MessageData<'content.font.installed.v1'>['font']): Promise<void> {
    try {
      const hold = await this.node.cache.acquire([
        { kind: 'font', contentHash: font.content_hash, blobKey: font.blob_key },
      ]);
      try {
        registerFontFile({ family: font.family, weight: font.weight, path: hold.pathOf(font.content_hash) });
      } finally {
        hold.release();
      }
    } catch (err) {
      this.node.ctx.logger.warn({ err, family: font.family, weight: font.weight }, 'font prefetch failed');
    }
  }

  private async onWork(queue: RenderQueue, message: DeliveredMessage): Promise<void> {
    if (this.draining) throw new HandBack('the node is shutting down');
    const data = message.envelope.data;
    switch (queue) {
      case 'render.queue.snapshot':
        return this.runSnapshot(data as MessageData<'render.queue.snapshot'>);
      case 'render.queue.mockup': {
        const item = data as MessageData<'render.queue.mockup'>;
        return this.runLeased(queue, message, { ...item, itemId: item.job_id, frameCount: 1 }, (ctl) =>
          renderMockupItem(this.deps, item, ctl),
        );
      }
      case 'render.queue.voiceover': {
        const item = data as MessageData<'render.queue.voiceover'>;
        return this.runLeased(queue, message, { ...item, itemId: item.job_id, frameCount: 1 }, (ctl) =>
          renderVoiceoverItem(this.deps, item, ctl),
        );
      }
      default: {
        const item = data as MessageData<'render.queue.paid'>;
        return this.runLeased(
          queue,
          message,
          {
            ...item,
            itemId: item.chunk_id,
            frameCount: item.frame_end - item.frame_start,
            maxSeconds: item.max_render_seconds,
          },
          (ctl) => renderChunkItem(this.deps, item, ctl),
        );
      }
    }
  }

  /**
   * A snapshot is latency-bound and takes no render slot: it is drawn on this thread in tens of
   * milliseconds with the warm template and fonts. It has no lease; its attempt number fences it.
   */
  private async runSnapshot(item: MessageData<'render.queue.snapshot'>): Promise<void> {
    const started = performance.now();
    let output: CompletedOutput;
    try {
      output = await renderSnapshotItem(this.deps, item);
    } catch (error) {
      const failure = classifyFailure(error);
      this.node.ctx.logger.warn(
        { snapshot_id: item.snapshot_id, error_code: failure.errorCode, err: error },
        'snapshot failed',
      );
      await this.node.client.fail(item.snapshot_id, item.attempt, {
        error_code: failure.errorCode,
        message: failure.message,
        retryable: failure.retryable,
      });
      return;
    }
    const outcome = await this.node.client.complete(item.snapshot_id, item.attempt, {
      ...output,
      render_ms: Math.round(performance.now() - started),
    });
    this.node.ctx.logger.debug(
      { snapshot_id: item.snapshot_id, ms: Math.round(performance.now() - started), outcome },
      'snapshot done',
    );
  }

  private async runLeased(
    queue: RenderQueue,
    message: DeliveredMessage,
    lease: { job_id: string; itemId: string; fencing_token: number; frameCount: number; maxSeconds?: number },
    work: (ctl: WorkControl) => Promise<CompletedOutput>,
  ): Promise<void> {
    const { client, ctx } = this.node;
    const key = `${lease.itemId}:${lease.fencing_token}`;
    const item: ActiveItem = {
      queue,
      jobId: lease.job_id,
      itemId: lease.itemId,
      fencingToken: lease.fencing_token,
      frameCount: lease.frameCount,
      framesDone: 0,
      claimed: false,
      controller: new AbortController(),
    };
    // Registered before it waits for a slot, so a cancel of its job reaches it at any point.
    this.active.set(key, item);
    const log = ctx.logger.child({
      job_id: lease.job_id,
      item_id: lease.itemId,
      fencing_token: lease.fencing_token,
    });
    let releaseSlot: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    let dir: string | undefined;
    try {
      releaseSlot = await this.slots.acquire([QUEUE_RANK[queue], -(message.priority ?? 0)]).catch((error) => {
        throw new HandBack((error as Error).message);
      });
      if (item.controller.signal.aborted) {
        log.info('job cancelled before its item started: dropped');
        return;
      }
      const claim = await client.claim(lease.itemId, lease.fencing_token);
      if (claim.status === 'stale') {
        log.info('lease is stale (cancelled, superseded or done): message dropped');
        return;
      }
      if (claim.status === 'quarantined') {
        // The orchestrator sends the item out again itself, to another node.
        log.warn('this node is quarantined: message dropped');
        return;
      }
      item.claimed = true;
      const claimedAt = performance.now();
      if (lease.maxSeconds !== undefined) {
        const limit = lease.maxSeconds * 1000;
        timer = setTimeout(() => item.controller.abort(new ItemStopped('timeout')), limit);
      }
      dir = await mkdtemp(path.join(this.node.workDir, `${lease.itemId}-`));
      const ctl: WorkControl = {
        signal: item.controller.signal,
        progress: (frames) => {
          item.framesDone = frames;
        },
        dir,
      };
      let output: CompletedOutput;
      try {
        output = await work(ctl);
      } catch (error) {
        const reason = stopReason(item);
        if (reason === 'cancelled') {
          log.info('item stopped: its job was cancelled');
          return;
        }
        const failure =
          reason === 'timeout'
            ? new WorkFailure(
                'timeout',
                `still rendering after max_render_seconds (${lease.maxSeconds} s)`,
                true,
              )
            : reason === 'shutdown'
              ? new WorkFailure('node_lost', 'the node shut down before the item was finished', true)
              : classifyFailure(error);
        log.warn({ error_code: failure.errorCode, retryable: failure.retryable, err: error }, 'item failed');
        await client.fail(lease.itemId, lease.fencing_token, {
          error_code: failure.errorCode,
          message: failure.message,
          retryable: failure.retryable,
        });
        return;
      }
      const outcome = await client.complete(lease.itemId, lease.fencing_token, {
        ...output,
        render_ms: Math.round(performance.now() - claimedAt),
      });
      if (outcome === 'stale') log.info('result discarded: the lease had moved on');
      else log.info({ size_bytes: output.size_bytes }, 'item completed');
    } finally {
      clearTimeout(timer);
      this.active.delete(key);
      releaseSlot?.();
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  private async drain(): Promise<void> {
    const { ctx, config } = this.node;
    this.draining = true;
    const stoppedAt = new Date().toISOString();
    ctx.logger.info({ running: this.active.size }, 'render node draining');
    this.slots.refuseWaiting(new HandBack('the node is shutting down'));
    const giveUp = setTimeout(() => {
      for (const item of this.active.values()) {
        if (item.controller.signal.aborted) continue;
        if (item.claimed)
          this.released.push({
            jobId: item.jobId,
            itemId: item.itemId,
            fencingToken: item.fencingToken,
            framesDone: item.framesDone,
            frameCount: item.frameCount,
          });
        item.controller.abort(new ItemStopped('shutdown'));
      }
    }, config.drainSeconds * 1000);
    // Cancelling a consumer stops deliveries at once and waits for the handlers in flight.
    await Promise.allSettled(this.subscriptions.map((s) => s.cancel()));
    clearTimeout(giveUp);
    clearInterval(this.heartbeatTimer);
    await this.listener?.cancel().catch(() => undefined);
    await this.publish('node.offline.v1', {
      node_id: this.id,
      hostname: os.hostname(),
      reason_code: 'shutdown',
      released_leases: this.released.map((l) => ({
        job_id: l.jobId,
        chunk_id: l.itemId,
        fencing_token: l.fencingToken,
      })),
      stopped_at: stoppedAt,
    }).catch((err: unknown) => ctx.logger.warn({ err }, 'node.offline.v1 not sent'));
    ctx.logger.info({ released: this.released.length }, 'render node offline');
  }
}

function stopReason(item: ActiveItem): StopReason | undefined {
  const reason = item.controller.signal.reason as unknown;
  return item.controller.signal.aborted && reason instanceof ItemStopped ? reason.reason : undefined;
}
