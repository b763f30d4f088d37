import type { Insertable, Updateable } from 'kysely';
import type { RenderTx, SnapshotRow, SnapshotTable } from './render.db';

export class SnapshotRepository {
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

  async update(tx: RenderTx, id: string, patch: Updateable<SnapshotTable>): Promise<SnapshotRow> {
    return tx
      .updateTable('snapshot')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
