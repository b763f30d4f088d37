import type { Updateable } from 'kysely';
import { sql } from 'kysely';
import type { CacheStats, NodeRow, RenderNodeTable, RenderTx } from './render.db';

export interface NodeOnline {
  id: string;
  hostname: string;
  version: string;
  queues: string[];
  formats: string[];
  engine_generations: number[];
  slots: number;
  cpu_cores: number;
  memory_bytes: number;
  cache: CacheStats;
  started_at: string;
}

/** Render nodes (platform-wide rows, system scope only). */
export class NodeRepository {
  async online(tx: RenderTx, n: NodeOnline): Promise<void> {
    const values = {
      id: n.id,
      hostname: n.hostname,
      version: n.version,
      queues: JSON.stringify(n.queues),
      formats: JSON.stringify(n.formats),
      engine_generations: JSON.stringify(n.engine_generations),
      slots: n.slots,
      cpu_cores: n.cpu_cores,
      memory_bytes: n.memory_bytes,
      cache: JSON.stringify(n.cache),
      started_at: n.started_at,
      status: 'online' as const,
      draining: false,
      last_seen_at: sql<Date>`now()`,
    };
    const { id: _id, ...update } = values;
    await tx
      .insertInto('render_node')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet(update))
      .execute();
  }

  /** A node seen for the first time through a claim or a heartbeat (its online event may lag). */
  async ensure(tx: RenderTx, id: string): Promise<void> {
    await tx
      .insertInto('render_node')
      .values({ id, status: 'online', queues: '[]', formats: '[]', engine_generations: '[]' })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  find(tx: RenderTx, id: string, options: { forUpdate?: boolean } = {}): Promise<NodeRow | undefined> {
    let q = tx.selectFrom('render_node').selectAll().where('id', '=', id);
    if (options.forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async update(tx: RenderTx, id: string, patch: Updateable<RenderNodeTable>): Promise<void> {
    await tx.updateTable('render_node').set(patch).where('id', '=', id).execute();
  }

  list(tx: RenderTx, status?: string): Promise<NodeRow[]> {
    let q = tx.selectFrom('render_node').selectAll();
    if (status === 'quarantined') q = q.where('quarantined_at', 'is not', null);
    else if (status) q = q.where('status', '=', status as NodeRow['status']);
    return q.orderBy('created_at').orderBy('id').execute();
  }

  /** Online nodes silent for longer than `timeoutSeconds`, locked for the reaper. */
  silent(tx: RenderTx, timeoutSeconds: number): Promise<NodeRow[]> {
    return tx
      .selectFrom('render_node')
      .selectAll()
      .where('status', '=', 'online')
      .where('last_seen_at', '<', sql<Date>`now() - make_interval(secs => ${timeoutSeconds})`)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /**
   * Counts a failed attempt against a node; failures older than the window start the count again.
   * Returns the failures within the window, this one included.
   */
  async recordFailure(tx: RenderTx, id: string, windowSeconds: number): Promise<number> {
    const row = await tx
      .updateTable('render_node')
      .set({
        failures: sql`case when last_failure_at is null
                             or last_failure_at < now() - make_interval(secs => ${windowSeconds})
                           then 1 else failures + 1 end`,
        last_failure_at: sql`now()`,
      })
      .where('id', '=', id)
      .returning('failures')
      .executeTakeFirst();
    return row?.failures ?? 0;
  }

  async replaceCache(
    tx: RenderTx,
    nodeId: string,
    entries: { kind: string; content_hash: string; size_bytes: number }[],
  ): Promise<void> {
    await tx.deleteFrom('node_cache_entry').where('node_id', '=', nodeId).execute();
    await this.addCache(tx, nodeId, entries);
  }

  async addCache(
    tx: RenderTx,
    nodeId: string,
    entries: { kind: string; content_hash: string; size_bytes: number }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await tx
      .insertInto('node_cache_entry')
      .values(entries.map((e) => ({ node_id: nodeId, ...e })))
      .onConflict((oc) => oc.columns(['node_id', 'content_hash']).doNothing())
      .execute();
  }

  async evictCache(tx: RenderTx, nodeId: string, hashes: string[]): Promise<void> {
    if (hashes.length === 0) return;
    await tx
      .deleteFrom('node_cache_entry')
      .where('node_id', '=', nodeId)
      .where('content_hash', 'in', hashes)
      .execute();
  }

  async cacheCounts(tx: RenderTx): Promise<Map<string, Record<string, number>>> {
    const rows = await tx
      .selectFrom('node_cache_entry')
      .select(['node_id', 'kind', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['node_id', 'kind'])
      .execute();
    const out = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const entry = out.get(r.node_id) ?? {};
      entry[r.kind] = Number(r.n);
      out.set(r.node_id, entry);
    }
    return out;
  }
}
