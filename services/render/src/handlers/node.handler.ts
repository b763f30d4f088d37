import type { EventHandlers, Tx } from '@flatrender/platform';
import type { LeaseService } from '../lease.service';
import type { NodeRepository } from '../node.repository';
import type { RenderDb, RenderTx } from '../render.db';
import type { SnapshotService } from '../snapshot.service';

function inboxTx(tx: Tx | undefined): RenderTx {
  if (!tx) throw new Error('render handlers run in the inbox transaction');
  return tx as unknown as Tx<RenderDb>;
}

/** The render node pool: arrivals, heartbeats (leases and progress), departures, cache contents. */
export function nodeHandlers(
  nodes: NodeRepository,
  leases: LeaseService,
  snapshots: SnapshotService,
): Pick<
  EventHandlers,
  | 'node.online.v1'
  | 'node.offline.v1'
  | 'node.heartbeat.v1'
  | 'node.cache.updated.v1'
  | 'render.snapshot.requested.v1'
> {
  return {
    'node.online.v1': async (envelope, { tx }) => {
      const d = envelope.data;
      await nodes.online(inboxTx(tx), {
        id: d.node_id,
        hostname: d.hostname,
        version: d.version,
        queues: d.queues,
        formats: d.formats,
        engine_generations: d.engine_generations,
        slots: d.slots,
        cpu_cores: d.cpu_cores,
        memory_bytes: d.memory_bytes,
        cache: d.cache,
        started_at: d.started_at,
      });
    },
    'node.offline.v1': async (envelope, { tx }) => leases.offline(inboxTx(tx), envelope.data),
    'node.heartbeat.v1': async (envelope, { tx }) => leases.heartbeat(inboxTx(tx), envelope.data),
    'node.cache.updated.v1': async (envelope, { tx }) => {
      const t = inboxTx(tx);
      const d = envelope.data;
      await nodes.ensure(t, d.node_id);
      if (d.complete) await nodes.replaceCache(t, d.node_id, d.added);
      else await nodes.addCache(t, d.node_id, d.added);
      await nodes.evictCache(
        t,
        d.node_id,
        d.evicted.map((e) => e.content_hash),
      );
      await nodes.update(t, d.node_id, { cache: JSON.stringify(d.cache) });
    },
    'render.snapshot.requested.v1': async (envelope, { tx }) =>
      snapshots.recordRequested(inboxTx(tx), envelope),
  };
}
