import type { Insertable, Selectable } from 'kysely';
import type { SnapshotTable, StudioTx } from './studio.db';

export type SnapshotRow = Selectable<SnapshotTable>;

/** Snapshot requests made from projects; render owns what becomes of them. */
export class SnapshotRepository {
  async insert(tx: StudioTx, s: Insertable<SnapshotTable>): Promise<SnapshotRow> {
    return tx.insertInto('snapshot').values(s).returningAll().executeTakeFirstOrThrow();
  }

  /** Newest first. */
  listForProject(tx: StudioTx, projectId: string, limit: number): Promise<SnapshotRow[]> {
    return tx
      .selectFrom('snapshot')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
