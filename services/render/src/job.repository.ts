import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { JobPurpose, JobRow, RenderJobTable, RenderTx } from './render.db';

export interface JobListFilter {
  tenant_id?: string | undefined;
  status?: string | undefined;
  kind?: string | undefined;
  project_id?: string | undefined;
  template_id?: string | undefined;
  batch_id?: string | undefined;
  created_after?: string | undefined;
  created_before?: string | undefined;
  /** Jobs with a smaller `seq` (the cursor of the previous page). */
  before_seq?: string | undefined;
  /** Only jobs of this purpose (tenant lists show `render` jobs; preview clips are the platform's). */
  purpose?: JobPurpose | undefined;
}

export const ACTIVE_STATUSES = ['queued', 'rendering'] as const;

/** Render jobs; the transaction's scope decides which tenant's rows are seen. */
export class JobRepository {
  async insert(tx: RenderTx, row: Insertable<RenderJobTable>): Promise<JobRow> {
    return tx.insertInto('render_job').values(row).returningAll().executeTakeFirstOrThrow();
  }

  find(tx: RenderTx, id: string, options: { forUpdate?: boolean } = {}): Promise<JobRow | undefined> {
    let q = tx.selectFrom('render_job').selectAll().where('id', '=', id);
    if (options.forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async update(tx: RenderTx, id: string, patch: Updateable<RenderJobTable>): Promise<JobRow> {
    return tx
      .updateTable('render_job')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Newest first (by `seq`), `limit` rows. */
  list(tx: RenderTx, filter: JobListFilter, limit: number): Promise<JobRow[]> {
    let q = tx.selectFrom('render_job').selectAll();
    if (filter.tenant_id) q = q.where('tenant_id', '=', filter.tenant_id);
    if (filter.status) q = q.where('status', '=', filter.status as JobRow['status']);
    if (filter.kind) q = q.where('kind', '=', filter.kind as JobRow['kind']);
    if (filter.project_id) q = q.where('project_id', '=', filter.project_id);
    if (filter.template_id) q = q.where('template_id', '=', filter.template_id);
    if (filter.batch_id) q = q.where('batch_id', '=', filter.batch_id);
    if (filter.created_after) q = q.where('created_at', '>=', new Date(filter.created_after));
    if (filter.created_before) q = q.where('created_at', '<', new Date(filter.created_before));
    if (filter.before_seq) q = q.where(sql<boolean>`seq < ${filter.before_seq}::bigint`);
    if (filter.purpose) q = q.where('purpose', '=', filter.purpose);
    return q.orderBy('seq', 'desc').limit(limit).execute();
  }

  /** Jobs of the tenant queued or rendering (held ones included); preview clips are not the tenant's. */
  async activeCount(tx: RenderTx, tenantId: string): Promise<number> {
    const row = await tx
      .selectFrom('render_job')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('purpose', '=', 'render')
      .where('status', 'in', [...ACTIVE_STATUSES])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Jobs of the tenant holding a slot of the plan's concurrency (dispatched and not finished). */
  async runningCount(tx: RenderTx, tenantId: string): Promise<number> {
    const row = await tx
      .selectFrom('render_job')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('purpose', '=', 'render')
      .where('status', 'in', [...ACTIVE_STATUSES])
      .where('held', '=', false)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The oldest held job of the tenant, locked (the next to dispatch when a slot frees). */
  oldestHeld(tx: RenderTx, tenantId: string): Promise<JobRow | undefined> {
    return tx
      .selectFrom('render_job')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('held', '=', true)
      .where('status', '=', 'queued')
      .orderBy('seq')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
  }

  /** Tenants with held jobs and a free slot: a safety net for promotions missed by a crash. */
  async tenantsWithHeldJobs(tx: RenderTx): Promise<string[]> {
    const rows = await tx
      .selectFrom('render_job')
      .select('tenant_id')
      .distinct()
      .where('held', '=', true)
      .where('status', '=', 'queued')
      .execute();
    return rows.map((r) => r.tenant_id);
  }

  /** Seconds quoted by the tenant's unfinished jobs of `period`: reserved against the allowance. */
  async reservedSeconds(tx: RenderTx, tenantId: string, period: string): Promise<number> {
    const row = await tx
      .selectFrom('render_job')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quote_seconds'), sql<number>`0`).as('s'))
      .where('tenant_id', '=', tenantId)
      .where('purpose', '=', 'render')
      .where('period', '=', period)
      .where('status', 'in', [...ACTIVE_STATUSES])
      .executeTakeFirstOrThrow();
    return Number(row.s);
  }

  /** The newest completed job with this cache key whose output is still known. */
  findCached(tx: RenderTx, tenantId: string, cacheKey: string): Promise<JobRow | undefined> {
    return tx
      .selectFrom('render_job')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('purpose', '=', 'render')
      .where('cache_key', '=', cacheKey)
      .where('status', '=', 'completed')
      .where('output', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Forgets a cached output that no longer exists (deleted by the user or retention). */
  async forgetCache(tx: RenderTx, jobId: string): Promise<void> {
    await tx.updateTable('render_job').set({ cache_key: null }).where('id', '=', jobId).execute();
  }

  /**
   * Claims up to `limit` jobs whose every work item is done and that nobody is assembling (or whose
   * assembler's claim expired): the assembler joins them.
   */
  async claimAssemblable(
    tx: RenderTx,
    claimant: string,
    claimSeconds: number,
    limit: number,
  ): Promise<JobRow[]> {
    const { rows } = await sql<JobRow>`
      update render_job j
         set assembling_by = ${claimant},
             assembling_until = now() + make_interval(secs => ${claimSeconds}),
             stage = 'assembling'
       where j.id in (
               select j2.id from render_job j2
                where j2.status = 'rendering'
                  and (j2.assembling_until is null or j2.assembling_until < now())
                  and not exists (select 1 from render_item i where i.job_id = j2.id and i.status <> 'done'
                                    and i.snapshot_id is null)
                order by j2.seq
                limit ${limit}
                  for update skip locked)
      returning j.*`.execute(tx);
    return rows;
  }

  /** Preview jobs of one version and aspect, newest first (live, finished and the failed attempts). */
  previewJobs(
    tx: RenderTx,
    key: { template_id: string; version: number; aspect: string },
  ): Promise<JobRow[]> {
    return tx
      .selectFrom('render_job')
      .selectAll()
      .where('purpose', '=', 'preview_clip')
      .where('template_id', '=', key.template_id)
      .where('template_version', '=', key.version)
      .where('aspect', '=', key.aspect as JobRow['aspect'] & string)
      .orderBy('seq', 'desc')
      .execute();
  }

  /** Completed preview jobs whose clip content has not accepted yet (oldest first). */
  unreportedClips(tx: RenderTx, limit: number): Promise<JobRow[]> {
    return tx
      .selectFrom('render_job')
      .selectAll()
      .where('purpose', '=', 'preview_clip')
      .where('status', '=', 'completed')
      .where('clip_reported_at', 'is', null)
      .orderBy('finished_at')
      .limit(limit)
      .execute();
  }

  /**
   * Inserts a preview job unless the version and aspect already have a live or finished one (another
   * sweep, another replica): undefined then, and nothing else may be written for it.
   */
  async insertPreview(tx: RenderTx, row: Insertable<RenderJobTable>): Promise<JobRow | undefined> {
    return tx
      .insertInto('render_job')
      .values({ ...row, purpose: 'preview_clip' })
      .onConflict((oc) =>
        oc
          .columns(['template_id', 'template_version', 'aspect'])
          .where(sql<boolean>`purpose = 'preview_clip' and status in ('queued', 'rendering', 'completed')`)
          .doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
  }

  /** Counts of the tenant's jobs by state (or every tenant's in the system scope). */
  async countByStatus(tx: RenderTx): Promise<Record<string, number>> {
    const rows = await tx
      .selectFrom('render_job')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
