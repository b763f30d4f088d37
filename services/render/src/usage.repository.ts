import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { RenderTx, UsageRecordTable } from './render.db';

export class UsageRepository {
  /** Records usage once per (source, metric); returns the period's total of the metric after it. */
  async record(tx: RenderTx, row: Insertable<UsageRecordTable>): Promise<number | null> {
    const inserted = await tx
      .insertInto('usage_record')
      .values(row)
      .onConflict((oc) => oc.columns(['source_id', 'metric']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return null;
    return this.total(tx, row.tenant_id, row.period, row.metric);
  }

  async total(tx: RenderTx, tenantId: string, period: string, metric: string): Promise<number> {
    const row = await tx
      .selectFrom('usage_record')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), sql<number>`0`).as('q'))
      .where('tenant_id', '=', tenantId)
      .where('period', '=', period)
      .where('metric', '=', metric)
      .executeTakeFirstOrThrow();
    return Number(row.q);
  }

  async totals(tx: RenderTx, tenantId: string, period: string): Promise<Record<string, number>> {
    const rows = await tx
      .selectFrom('usage_record')
      .select(['metric', (eb) => eb.fn.sum<number>('quantity').as('q')])
      .where('tenant_id', '=', tenantId)
      .where('period', '=', period)
      .groupBy('metric')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.metric, Number(r.q)]));
  }

  /** Frames, bytes and jobs of the period (for the usage view). */
  async jobFigures(
    tx: RenderTx,
    tenantId: string,
    period: string,
  ): Promise<{ jobs: number; frames: number; size_bytes: number }> {
    const row = await tx
      .selectFrom('usage_record')
      .select((eb) => [
        eb.fn.countAll<string>().as('jobs'),
        eb.fn.coalesce(eb.fn.sum<number>('frames'), sql<number>`0`).as('frames'),
        eb.fn.coalesce(eb.fn.sum<number>('size_bytes'), sql<number>`0`).as('bytes'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('period', '=', period)
      .where('source_kind', '=', 'render_job')
      .executeTakeFirstOrThrow();
    return { jobs: Number(row.jobs), frames: Number(row.frames), size_bytes: Number(row.bytes) };
  }
}
