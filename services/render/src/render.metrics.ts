import { counter, gauge, histogram, type Registry, type ScopedDatabase } from '@flatrender/platform';
import { sql } from 'kysely';
import type { JobRow, RenderDb } from './render.db';

/**
 * Prometheus metrics of the orchestrator (prom-client, served at /metrics): job outcomes and
 * durations, chunk render speed, and — read from the database at scrape time, so every replica
 * reports the same truth — queue depths, node counts and job states.
 */
export class RenderMetrics {
  private readonly jobs;
  private readonly jobSeconds;
  private readonly itemSeconds;
  private readonly fps;
  private readonly snapshotMs;

  constructor(registry: Registry, db: ScopedDatabase<RenderDb>) {
    this.jobs = counter(
      registry,
      'flatrender_render_jobs_total',
      'Render jobs that ended, by kind and outcome.',
      ['kind', 'status'],
    );
    this.jobSeconds = histogram(
      registry,
      'flatrender_render_job_duration_seconds',
      'Wall time of render jobs from the first lease to the verified output.',
      ['kind'],
      [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
    );
    this.itemSeconds = histogram(
      registry,
      'flatrender_render_item_duration_seconds',
      'Wall time of work items from claim to verified result.',
      ['kind'],
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60, 120],
    );
    this.fps = histogram(
      registry,
      'flatrender_render_chunk_fps',
      'Frames per second a node achieved on a chunk (claim to completion).',
      [],
      [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 240],
    );
    this.snapshotMs = histogram(
      registry,
      'flatrender_render_snapshot_render_ms',
      'Milliseconds between dispatching a still and storing it.',
      [],
      [10, 25, 50, 100, 150, 250, 500, 1000, 2500],
    );
    const queueDepth = gauge(
      registry,
      'flatrender_render_queue_depth',
      'Work items waiting for a node, by queue.',
      ['queue'],
    );
    const nodes = gauge(registry, 'flatrender_render_nodes', 'Render nodes by status.', ['status']);
    const jobStates = gauge(registry, 'flatrender_render_jobs', 'Render jobs by state.', ['status']);
    const collect = async () => {
      const [depth, nodeRows, states] = await db.asSystem(async (tx) => [
        await tx
          .selectFrom('render_item')
          .select(['queue', (eb) => eb.fn.countAll<string>().as('n')])
          .where('status', '=', 'pending')
          .groupBy('queue')
          .execute(),
        await sql<{ status: string; n: string }>`
          select case when quarantined_at is not null and status = 'online' then 'quarantined' else status end as status,
                 count(*)::text as n
            from render_node group by 1`.execute(tx),
        await tx
          .selectFrom('render_job')
          .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
          .groupBy('status')
          .execute(),
      ]);
      queueDepth.reset();
      for (const r of depth) queueDepth.set({ queue: r.queue }, Number(r.n));
      nodes.reset();
      for (const r of nodeRows.rows) nodes.set({ status: r.status }, Number(r.n));
      jobStates.reset();
      for (const r of states) jobStates.set({ status: r.status }, Number(r.n));
    };
    // One query set per scrape, shared by the three gauges.
    let pending: Promise<void> | undefined;
    const once = () => {
      pending ??= collect().finally(() => {
        pending = undefined;
      });
      return pending;
    };
    for (const g of [queueDepth, nodes, jobStates]) {
      (g as unknown as { collect: () => Promise<void> }).collect = once;
    }
  }

  jobFinished(
    job: Pick<JobRow, 'kind'>,
    status: 'completed' | 'failed' | 'cancelled',
    seconds: number,
  ): void {
    this.jobs.inc({ kind: job.kind, status });
    if (status === 'completed') this.jobSeconds.observe({ kind: job.kind }, seconds);
  }

  itemDone(kind: string, seconds: number, frames: number | null): void {
    this.itemSeconds.observe({ kind }, seconds);
    if (frames && seconds > 0) this.fps.observe(frames / seconds);
  }

  snapshotReady(renderMs: number): void {
    this.snapshotMs.observe(renderMs);
  }
}
