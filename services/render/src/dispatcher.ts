import type { DispatchKey, MessageData, RenderQueue } from '@flatrender/contracts';
import type { ServiceContext } from '@flatrender/platform';
import { sql } from 'kysely';
import type { JobSpec, TemplateJobSpec } from './domain/job-spec';
import { itemOutputKey } from './domain/output-keys';
import type { ItemRepository } from './item.repository';
import type { ItemRow, JobRow, RenderTx, SnapshotRow } from './render.db';

/** What a work item renders: its job (chunks, images, mockups, voice-overs) or its snapshot. */
export type ItemOwner = { kind: 'job'; job: JobRow } | { kind: 'snapshot'; snapshot: SnapshotRow };

export interface NewItem {
  id: string;
  kind: ItemRow['kind'];
  index: number;
  frames?: [number, number];
}

export function itemExtension(owner: ItemOwner, kind: ItemRow['kind']): string {
  if (owner.kind === 'snapshot') return owner.snapshot.format;
  const spec = owner.job.spec;
  if (kind === 'mockup' && spec.kind === 'mockup') return spec.format;
  if (kind === 'voiceover' && spec.kind === 'voiceover') return spec.format;
  return owner.job.format;
}

/**
 * Sends work items through the outbox: every (re)dispatch is a new attempt with a larger fencing
 * token and its own output key, written in the same transaction as the rows that say so.
 */
export class Dispatcher {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly items: ItemRepository,
    private readonly leaseSeconds: number,
  ) {}

  /** Creates a work item with its first attempt; `hold` records it without sending it yet. */
  async create(
    tx: RenderTx,
    owner: ItemOwner,
    item: NewItem,
    route: { queue: RenderQueue; priority: number },
    hold = false,
  ): Promise<ItemRow> {
    const { tenantId, ownerId } = ownerIds(owner);
    const token = await this.tokenFor(tx, item.kind, 1);
    const outputKey = itemOutputKey(ownerId, item.index, 1, token, itemExtension(owner, item.kind));
    const row = await this.items.insert(tx, {
      id: item.id,
      tenant_id: tenantId,
      job_id: owner.kind === 'job' ? owner.job.id : null,
      snapshot_id: owner.kind === 'snapshot' ? owner.snapshot.id : null,
      kind: item.kind,
      queue: route.queue,
      priority: route.priority,
      idx: item.index,
      frame_start: item.frames?.[0] ?? null,
      frame_end: item.frames?.[1] ?? null,
      status: hold ? 'waiting' : 'pending',
      attempt: 1,
      fencing_token: token,
      output_key: outputKey,
      dispatched_at: hold ? null : new Date(),
    });
    if (!hold) await this.send(tx, owner, row);
    return row;
  }

  /** Sends an item recorded while its job was held. */
  async release(tx: RenderTx, owner: ItemOwner, item: ItemRow): Promise<void> {
    const row = await this.items.update(tx, item.id, { status: 'pending', dispatched_at: new Date() });
    await this.send(tx, owner, row);
  }

  /**
   * Dispatches an item again as a new attempt (the previous lease expired, failed or was refused):
   * new token, new output key, the old attempt superseded unless already ended.
   */
  async redispatch(tx: RenderTx, owner: ItemOwner, item: ItemRow): Promise<ItemRow> {
    const attempt = item.attempt + 1;
    const token = await this.tokenFor(tx, item.kind, attempt);
    await tx
      .updateTable('render_attempt')
      .set({ status: 'superseded', ended_at: sql`now()` })
      .where('item_id', '=', item.id)
      .where('status', 'in', ['dispatched', 'claimed'])
      .execute();
    const row = await this.items.update(tx, item.id, {
      status: 'pending',
      attempt,
      fencing_token: token,
      node_id: null,
      lease_expires_at: null,
      frames_done: 0,
      redispatch_after: null,
      dispatched_at: new Date(),
      claimed_at: null,
      output_key: itemOutputKey(
        ownerIds(owner).ownerId,
        item.idx,
        attempt,
        token,
        itemExtension(owner, item.kind),
      ),
    });
    await this.send(tx, owner, row);
    return row;
  }

  /**
   * Stills travel without a fencing token (the snapshot message has none), so their token is their
   * attempt number: it still grows with every dispatch of the item, which is all fencing needs.
   */
  private async tokenFor(tx: RenderTx, kind: ItemRow['kind'], attempt: number): Promise<number> {
    return kind === 'still' ? attempt : this.items.nextFencingToken(tx);
  }

  private async send(tx: RenderTx, owner: ItemOwner, item: ItemRow): Promise<void> {
    const { tenantId, userId } = ownerIds(owner);
    await this.items.insertAttempt(tx, {
      item_id: item.id,
      fencing_token: item.fencing_token,
      tenant_id: tenantId,
      attempt: item.attempt,
      output_key: item.output_key,
      status: 'dispatched',
    });
    const key = item.queue as DispatchKey;
    const data = this.message(owner, item);
    await this.ctx.emit(tx, key, data as MessageData<typeof key>, {
      tenantId,
      userId,
      priority: item.priority,
    });
  }

  private message(owner: ItemOwner, item: ItemRow): unknown {
    const lease = {
      attempt: item.attempt,
      fencing_token: Number(item.fencing_token),
      lease_seconds: this.leaseSeconds,
    };
    if (owner.kind === 'snapshot') {
      if (!owner.snapshot.spec)
        throw new Error(`snapshot ${owner.snapshot.id} is dispatched before it was planned`);
      return stillMessage(owner.snapshot.spec, item, owner.snapshot);
    }
    const { job } = owner;
    const spec: JobSpec = job.spec;
    if (spec.kind === 'mockup') {
      return {
        job_id: job.id,
        ...lease,
        image: spec.image,
        mockup: spec.mockup,
        format: spec.format,
        width: spec.width,
        output_key: item.output_key,
      } satisfies MessageData<'render.queue.mockup'>;
    }
    if (spec.kind === 'voiceover') {
      return {
        job_id: job.id,
        ...lease,
        text: spec.text,
        language: spec.language,
        voice: spec.voice,
        speed: spec.speed,
        format: spec.format,
        output_key: item.output_key,
      } satisfies MessageData<'render.queue.voiceover'>;
    }
    if (item.kind === 'still') {
      return stillMessage(spec, item, {
        id: job.id,
        aspect: job.aspect ?? '16:9',
        time_seconds: spec.time_seconds ?? 0,
        format: job.format as 'png' | 'jpg',
        width: job.width ?? 1,
        height: job.height ?? 1,
        watermark: job.watermark,
      });
    }
    return {
      job_id: job.id,
      ...lease,
      chunk_id: item.id,
      chunk_index: item.idx,
      chunk_count: job.chunk_count,
      max_render_seconds: spec.max_render_seconds,
      ...templateFields(spec, item, job.aspect ?? '16:9', job.watermark),
      output: {
        format: job.format as 'mp4',
        width: job.width ?? 1,
        height: job.height ?? 1,
        fps: job.fps ?? 30,
        quality: job.quality,
      },
      frame_start: item.frame_start ?? 0,
      frame_end: item.frame_end ?? 1,
    } satisfies MessageData<'render.queue.paid'>;
  }
}

function templateFields(spec: TemplateJobSpec, item: ItemRow, aspect: string, watermark: boolean) {
  return {
    engine: spec.template.engine,
    template: {
      template_id: spec.template.template_id,
      version: spec.template.version,
      content_hash: spec.template.content_hash,
      source: { type: 'blob' as const, blob_key: spec.template.document_key },
    },
    values: spec.values,
    scenes: spec.scenes,
    aspect: aspect as '16:9',
    fonts: spec.fonts,
    assets: spec.assets,
    output_key: item.output_key,
    watermark,
    locale: spec.locale,
  };
}

function stillMessage(
  spec: TemplateJobSpec,
  item: ItemRow,
  still: {
    id: string;
    aspect: string;
    time_seconds: number;
    format: 'png' | 'jpg';
    width: number;
    height: number;
    watermark?: boolean;
  },
): MessageData<'render.queue.snapshot'> {
  return {
    snapshot_id: item.id,
    attempt: item.attempt,
    ...templateFields(spec, item, still.aspect, still.watermark ?? false),
    time_seconds: still.time_seconds,
    format: still.format,
    width: still.width,
    height: still.height,
  };
}

function ownerIds(owner: ItemOwner): { tenantId: string; userId: string; ownerId: string } {
  return owner.kind === 'job'
    ? { tenantId: owner.job.tenant_id, userId: owner.job.user_id, ownerId: owner.job.id }
    : { tenantId: owner.snapshot.tenant_id, userId: owner.snapshot.user_id, ownerId: owner.snapshot.id };
}
