import type { Logger, ScopedDatabase, ServiceContext } from '@flatrender/platform';
import type { Assembler } from './assembler';
import type { Dispatcher } from './dispatcher';
import type { ItemRepository } from './item.repository';
import type { JobRepository } from './job.repository';
import type { JobLifecycle } from './job-lifecycle';
import type { LeaseService } from './lease.service';
import type { NodeRepository } from './node.repository';
import type { RenderConfig } from './render.config';
import type { RenderDb, RenderTx } from './render.db';
import type { SnapshotService } from './snapshot.service';

const BATCH = 100;

/**
 * The orchestrator's clock: re-queues work items whose lease ran out (a crashed or frozen node),
 * declares silent nodes crashed (node.crashed.v1) and takes their leases back at once, sends items
 * whose re-dispatch was deferred, dispatches held jobs whose slot freed, and assembles finished jobs
 * nobody assembled. Each step locks its rows with SKIP LOCKED, so replicas share the work.
 */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      ctx: ServiceContext;
      db: ScopedDatabase<RenderDb>;
      config: RenderConfig;
      items: ItemRepository;
      jobs: JobRepository;
      nodes: NodeRepository;
      leases: LeaseService;
      dispatcher: Dispatcher;
      lifecycle: JobLifecycle;
      assembler: Assembler;
      snapshots: SnapshotService;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.tick ??= this.runOnce()
        .catch((error) => this.deps.logger.error({ err: error }, 'reaper round failed'))
        .finally(() => {
          this.tick = undefined;
        });
    }, this.deps.config.reaperIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.tick;
    await this.deps.assembler.idle();
    await this.deps.snapshots.idle();
  }

  async runOnce(): Promise<void> {
    const { db } = this.deps;
    await db.asSystem((tx) => this.silentNodes(tx));
    await db.asSystem((tx) => this.expiredLeases(tx));
    await db.asSystem((tx) => this.deferred(tx));
    await db.asSystem((tx) => this.heldJobs(tx));
    this.deps.assembler.kick();
    this.deps.snapshots.kick();
  }

  private async expiredLeases(tx: RenderTx): Promise<void> {
    const { items, leases } = this.deps;
    for (const item of await items.expiredLeases(tx, BATCH)) {
      const owner = await leases.owner(tx, item, { forUpdate: true });
      if (!owner) continue;
      await leases.attemptFailed(tx, item, owner, item.node_id, {
        code: 'node_lost',
        message: `the lease of node ${item.node_id ?? 'unknown'} expired (no heartbeat extended it)`,
        retryable: true,
        status: 'expired',
      });
    }
  }

  private async silentNodes(tx: RenderTx): Promise<void> {
    const { nodes, items, leases, ctx, config } = this.deps;
    for (const node of await nodes.silent(tx, config.nodeTimeoutSeconds)) {
      await nodes.update(tx, node.id, { status: 'crashed', slots_busy: 0 });
      const requeued: { job_id: string; chunk_id: string; fencing_token: number }[] = [];
      for (const item of await items.leasedByNode(tx, node.id)) {
        const owner = await leases.owner(tx, item, { forUpdate: true });
        if (!owner) continue;
        requeued.push({
          job_id: item.job_id ?? item.snapshot_id ?? item.id,
          chunk_id: item.id,
          fencing_token: Number(item.fencing_token),
        });
        await leases.attemptFailed(tx, item, owner, node.id, {
          code: 'node_lost',
          message: `node ${node.hostname} (${node.id}) stopped sending heartbeats`,
          retryable: true,
          status: 'expired',
        });
      }
      await ctx.emit(tx, 'node.crashed.v1', {
        node_id: node.id,
        hostname: node.hostname,
        last_heartbeat_at: node.last_heartbeat_at ? node.last_heartbeat_at.toISOString() : null,
        requeued_leases: requeued,
        detected_at: new Date().toISOString(),
      });
      this.deps.logger.warn({ nodeId: node.id, requeued: requeued.length }, 'render node crashed');
    }
  }

  private async deferred(tx: RenderTx): Promise<void> {
    const { items, leases, dispatcher } = this.deps;
    for (const item of await items.dueRedispatches(tx, BATCH)) {
      const owner = await leases.owner(tx, item, { forUpdate: true });
      if (owner) await dispatcher.redispatch(tx, owner, item);
    }
  }

  private async heldJobs(tx: RenderTx): Promise<void> {
    for (const tenantId of await this.deps.jobs.tenantsWithHeldJobs(tx))
      await this.deps.lifecycle.promoteHeld(tx, tenantId);
  }
}
