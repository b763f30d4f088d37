import { type Insertable, sql, type Updateable } from 'kysely';
import type { RenderTx, SnapshotRow, SnapshotTable } from './render.db';

/** The NOTIFY channel on which a snapshot's id is sent when it becomes ready or failed. */
export function snapshotSettledChannel(schema: string): string {
  return `${schema}_snapshot_settled`;
}

export function isSettled(row: Pick<SnapshotRow, 'status'>): boolean {
  return row.status === 'ready' || row.status === 'failed';
}

export class SnapshotRepository {
  constructor(private readonly schema: string) {}

  async insert(tx: RenderTx, row: Insertable<SnapshotTable>): Promise<SnapshotRow | undefined> {
    return tx
      .insertInto('snapshot')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  find(tx: RenderTx, id: string, options: { forUpdate?: boolean } = {}): Promise<SnapshotRow | undefined> {
    let q = tx.selectFrom('snapshot').selectAll().where('id', '=', id);
    if (options.forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /** Updates a snapshot; one that becomes ready or failed wakes its waiters once the caller commits. */
  async update(tx: RenderTx, id: string, patch: Updateable<SnapshotTable>): Promise<SnapshotRow> {
    const row = await tx
      .updateTable('snapshot')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (patch.status !== undefined && isSettled(row))
      await sql`select pg_notify(${snapshotSettledChannel(this.schema)}, ${id})`.execute(tx);
    return row;
  }
}
