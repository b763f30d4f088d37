import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MessageData, RenderQueue } from '@flatrender/contracts';
import { parseTemplate } from '@flatrender/engine';
import { renderStill, renderVideo } from '@flatrender/engine/node';
import type { DeliveredMessage, Subscription } from '@flatrender/platform';
import type { ServiceHarness } from '@flatrender/platform/testing';

type Chunk = MessageData<'render.queue.paid'>;
type Still = MessageData<'render.queue.snapshot'>;

export type NodeBehaviour =
  /** Renders and completes every item. */
  | 'honest'
  /** Uploads the first chunk it renders cut short (later ones honestly). */
  | 'truncate-once'
  /** Claims, then never answers or heartbeats again (a frozen or dead node). */
  | 'vanish'
  /** Reports every item as failed (retryable). */
  | 'fail';

export interface ScriptedNodeLog {
  /** Every message taken from a render queue, with the priority the broker delivered it at. */
  delivered: { queue: RenderQueue; priority: number | undefined; data: Chunk | Still }[];
  claimed: { item: string; token: number; status: number; code?: string }[];
  completed: { item: string; token: number; status: number; body: unknown }[];
  failed: { item: string; status: number }[];
}

/**
 * A render node written for the tests, speaking the render protocol through the orchestrator's
 * internal routes: claim, heartbeat, render with the engine (real chunks), upload, complete. Its
 * behaviour can be made to misbehave (truncated output, vanishing, failing) on purpose.
 */
export class ScriptedNode {
  readonly id = randomUUID();
  readonly log: ScriptedNodeLog = { delivered: [], claimed: [], completed: [], failed: [] };
  private readonly leases = new Map<
    string,
    { job_id: string; chunk_id: string; fencing_token: number; frames_done: number; frame_count: number }
  >();
  private subscriptions: Subscription[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private truncated = false;
  private dir = '';
  private release: (() => void) | undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  /** Until released, a claimed item waits here before rendering (to hold a lease on purpose). */
  gate: Promise<void> | undefined;

  constructor(
    private readonly harness: ServiceHarness,
    private behaviour: NodeBehaviour = 'honest',
  ) {}

  setBehaviour(behaviour: NodeBehaviour): void {
    this.behaviour = behaviour;
  }

  async start(queues: RenderQueue[]): Promise<void> {
    this.dir = await mkdtemp(path.join(os.tmpdir(), 'scripted-node-'));
    await this.harness.bus.publish(
      this.envelope('node.online.v1', {
        node_id: this.id,
        hostname: `scripted-${this.id.slice(0, 6)}`,
        version: 'test',
        engine_generations: [1],
        queues,
        formats: ['mp4', 'webm', 'gif', 'png', 'jpg'],
        slots: 1,
        cpu_cores: 1,
        memory_bytes: 1024 ** 3,
        cache: { entries: 0, size_bytes: 0, capacity_bytes: 1024 ** 3 },
        started_at: new Date().toISOString(),
      }),
    );
    this.heartbeat = setInterval(() => void this.beat(), 500);
    for (const queue of queues) {
      this.subscriptions.push(
        await this.harness.bus.subscribe({ queue, prefetch: 1 }, (message) => this.handle(queue, message)),
      );
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    this.release?.();
    await Promise.all(this.subscriptions.map((s) => s.cancel()));
    this.subscriptions = [];
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private async beat(): Promise<void> {
    if (this.behaviour === 'vanish' && this.log.claimed.length > 0) return;
    await this.harness.bus
      .publish(
        this.envelope('node.heartbeat.v1', {
          node_id: this.id,
          interval_seconds: 0.5,
          slots: 1,
          slots_busy: this.leases.size,
          load: 0.1,
          memory_free_bytes: 1024 ** 3,
          disk_free_bytes: 1024 ** 3,
          cache: { entries: 0, size_bytes: 0, capacity_bytes: 1024 ** 3 },
          draining: false,
          leases: [...this.leases.values()],
          sent_at: new Date().toISOString(),
        }),
      )
      .catch(() => undefined);
  }

  private async handle(queue: RenderQueue, message: DeliveredMessage): Promise<void> {
    const data = message.envelope.data as Chunk | Still;
    this.log.delivered.push({ queue, priority: message.priority, data });
    const isStill = queue === 'render.queue.snapshot';
    const itemId = isStill ? (data as Still).snapshot_id : (data as Chunk).chunk_id;
    const token = isStill ? (data as Still).attempt : (data as Chunk).fencing_token;
    const claim = await this.call(`/internal/render/items/${itemId}/claim`, {
      node_id: this.id,
      fencing_token: token,
    });
    const code = (claim.body as { error?: { code?: string } } | undefined)?.error?.code;
    this.log.claimed.push({ item: itemId, token, status: claim.status, ...(code ? { code } : {}) });
    if (claim.status !== 200) return;
    if (this.behaviour === 'vanish') {
      // Holds the message unacknowledged and never answers, like a frozen process (until stopped).
      await this.stopped;
      return;
    }
    if (!isStill) {
      const chunk = data as Chunk;
      this.leases.set(itemId, {
        job_id: chunk.job_id,
        chunk_id: itemId,
        fencing_token: token,
        frames_done: 0,
        frame_count: chunk.frame_end - chunk.frame_start,
      });
    }
    try {
      if (this.gate) await this.gate;
      if (this.behaviour === 'fail') {
        const res = await this.call(`/internal/render/items/${itemId}/fail`, {
          node_id: this.id,
          fencing_token: token,
          error_code: 'encoder_failed',
          message: 'scripted failure',
          retryable: true,
        });
        this.log.failed.push({ item: itemId, status: res.status });
        return;
      }
      const out = path.join(
        this.dir,
        `${itemId}-${token}.${isStill ? (data as Still).format : (data as Chunk).output.format}`,
      );
      const started = performance.now();
      if (isStill) await this.renderStill(data as Still, out);
      else await this.renderChunk(data as Chunk, out, itemId);
      if (!isStill && this.behaviour === 'truncate-once' && !this.truncated) {
        this.truncated = true;
        const bytes = await readFile(out);
        await truncate(out, Math.floor(bytes.length * 0.6));
      }
      const bytes = await readFile(out);
      await this.harness.blobs.put(data.output_key, bytes, {
        contentType: 'application/octet-stream',
        contentLength: bytes.length,
      });
      const res = await this.call(`/internal/render/items/${itemId}/complete`, {
        node_id: this.id,
        fencing_token: token,
        output_key: data.output_key,
        size_bytes: bytes.length,
        content_hash: createHash('sha256').update(bytes).digest('hex'),
        render_ms: Math.round(performance.now() - started),
      });
      this.log.completed.push({ item: itemId, token, status: res.status, body: res.body });
    } finally {
      this.leases.delete(itemId);
    }
  }

  private async document(data: Chunk | Still) {
    if (data.template.source.type !== 'blob') throw new Error('inline templates are not used here');
    const stream = await this.harness.blobs.get(data.template.source.blob_key);
    return parseTemplate(JSON.parse(Buffer.concat(await stream.toArray()).toString('utf8')));
  }

  private values(data: Chunk | Still) {
    return {
      fields: data.values as Record<string, unknown>,
      durations: Object.fromEntries(data.scenes.map((s) => [s.id, s.duration_seconds])),
    };
  }

  private async renderChunk(chunk: Chunk, out: string, itemId: string): Promise<void> {
    const template = await this.document(chunk);
    const [w] = template.aspects[chunk.aspect] ?? [chunk.output.width];
    await renderVideo({
      template,
      values: this.values(chunk),
      aspect: chunk.aspect,
      locale: chunk.locale ?? 'fa',
      format: chunk.output.format as 'mp4',
      quality: chunk.output.quality,
      out,
      ...(chunk.output.format === 'gif'
        ? {}
        : { range: [chunk.frame_start, chunk.frame_end] as [number, number] }),
      scale: chunk.output.width / (w ?? chunk.output.width),
      workers: 1,
      watermark: chunk.watermark,
      onProgress: (p) => {
        const lease = this.leases.get(itemId);
        if (lease) lease.frames_done = p.framesDone;
      },
    });
  }

  private async renderStill(still: Still, out: string): Promise<void> {
    const template = await this.document(still);
    const [w] = template.aspects[still.aspect] ?? [still.width];
    await renderStill({
      template,
      values: this.values(still),
      aspect: still.aspect,
      locale: still.locale ?? 'fa',
      time: still.time_seconds,
      format: still.format,
      scale: still.width / (w ?? still.width),
      watermark: still.watermark,
      out,
    });
  }

  private async call(p: string, body: unknown): Promise<{ status: number; body: unknown }> {
    return this.harness.infra.internal.request('render', { method: 'POST', path: p, body });
  }

  private envelope<K extends 'node.online.v1' | 'node.heartbeat.v1'>(key: K, data: MessageData<K>) {
    return {
      event_id: randomUUID(),
      event_type: key,
      event_time: new Date().toISOString(),
      tenant_id: '00000000-0000-0000-0000-000000000000',
      user_id: '00000000-0000-0000-0000-000000000000',
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
      producer: 'render-node',
      data,
    };
  }
}
