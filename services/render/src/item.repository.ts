import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type {
  AttemptRow,
  AttemptStatus,
  ItemRow,
  RenderAttemptTable,
  RenderItemTable,
  RenderTx,
} from './render.db';

/** Work items and their attempts (one attempt per lease). */
export class ItemRepository {
  async nextFencingToken(tx: RenderTx): Promise<number> {
    const { rows } = await sql<{ t: string }>`select nextval('fencing_token_seq')::text as t`.execute(tx);
    return Number(rows[0]?.t);
  }

  async insert(tx: RenderTx, row: Insertable<RenderItemTable>): Promise<ItemRow> {
    return tx.insertInto('render_item').values(row).returningAll().executeTakeFirstOrThrow();
  }

  find(tx: RenderTx, id: string, options: { forUpdate?: boolean } = {}): Promise<ItemRow | undefined> {
    let q = tx.selectFrom('render_item').selectAll().where('id', '=', id);
    if (options.forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async update(tx: RenderTx, id: string, patch: Updateable<RenderItemTable>): Promise<ItemRow> {
    return tx
      .updateTable('render_item')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  forJob(tx: RenderTx, jobId: string, options: { forUpdate?: boolean } = {}): Promise<ItemRow[]> {
    let q = tx.selectFrom('render_item').selectAll().where('job_id', '=', jobId).orderBy('idx');
    if (options.forUpdate) q = q.forUpdate();
    return q.execute();
  }

  /** Leased items whose lease ran out, locked for the reaper (other replicas skip them). */
  expiredLeases(tx: RenderTx, limit: number): Promise<ItemRow[]> {
    return tx
      .selectFrom('render_item')
      .selectAll()
      .where('status', '=', 'leased')
      .where('lease_expires_at', '<', sql<Date>`now()`)
      .orderBy('lease_expires_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  leasedByNode(tx: RenderTx, nodeId: string): Promise<ItemRow[]> {
    return tx
      .selectFrom('render_item')
      .selectAll()
      .where('status', '=', 'leased')
      .where('node_id', '=', nodeId)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /** Items whose re-dispatch was deferred and is now due. */
  dueRedispatches(tx: RenderTx, limit: number): Promise<ItemRow[]> {
    return tx
      .selectFrom('render_item')
      .selectAll()
      .where('redispatch_after', '<', sql<Date>`now()`)
      .where('status', '=', 'pending')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /** Extends the leases a heartbeat lists, where node and token still match; returns those extended. */
  async extendLeases(
    tx: RenderTx,
    nodeId: string,
    leases: { chunk_id: string; fencing_token: number; frames_done: number }[],
    leaseSeconds: number,
  ): Promise<ItemRow[]> {
    const extended: ItemRow[] = [];
    for (const lease of leases) {
      const row = await tx
        .updateTable('render_item')
        .set({
          lease_expires_at: sql`greatest(lease_expires_at, now() + make_interval(secs => ${leaseSeconds}))`,
          frames_done: sql`greatest(frames_done, ${lease.frames_done})`,
        })
        .where('id', '=', lease.chunk_id)
        .where('node_id', '=', nodeId)
        .where('fencing_token', '=', lease.fencing_token)
        .where('status', '=', 'leased')
        .returningAll()
        .executeTakeFirst();
      if (row) extended.push(row);
    }
    return extended;
  }

  async insertAttempt(tx: RenderTx, row: Insertable<RenderAttemptTable>): Promise<void> {
    await tx.insertInto('render_attempt').values(row).execute();
  }

  findAttempt(tx: RenderTx, itemId: string, token: number): Promise<AttemptRow | undefined> {
    return tx
      .selectFrom('render_attempt')
      .selectAll()
      .where('item_id', '=', itemId)
      .where('fencing_token', '=', token)
      .executeTakeFirst();
  }

  async endAttempt(
    tx: RenderTx,
    itemId: string,
    token: number | string,
    status: AttemptStatus,
    error?: { code: string; message: string },
  ): Promise<void> {
    await tx
      .updateTable('render_attempt')
      .set({
        status,
        ended_at: sql`now()`,
        ...(error ? { error_code: error.code, error_message: error.message.slice(0, 2000) } : {}),
      })
      .where('item_id', '=', itemId)
      .where('fencing_token', '=', token)
      .execute();
  }

  async updateAttempt(
    tx: RenderTx,
    itemId: string,
    token: number | string,
    patch: Updateable<RenderAttemptTable>,
  ): Promise<void> {
    await tx
      .updateTable('render_attempt')
      .set(patch)
      .where('item_id', '=', itemId)
      .where('fencing_token', '=', token)
      .execute();
  }

  attemptsOf(tx: RenderTx, itemIds: string[]): Promise<AttemptRow[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return tx
      .selectFrom('render_attempt')
      .selectAll()
      .where('item_id', 'in', itemIds)
      .orderBy('fencing_token')
      .execute();
  }
}
