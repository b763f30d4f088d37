import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoredFontsCache } from '@flatrender/engine/node';
import { defineService, type ScopedDatabase, type ServiceDefinition } from '@flatrender/platform';
import { Assembler } from './assembler';
import { CatalogRepository } from './catalog.repository';
import { Dispatcher } from './dispatcher';
import { standingOf } from './domain/tenant-plan';
import { contentHandlers } from './handlers/content.handler';
import { identityHandlers } from './handlers/identity.handler';
import { nodeHandlers } from './handlers/node.handler';
import { ItemRepository } from './item.repository';
import { JobRepository } from './job.repository';
import { JobService } from './job.service';
import { JobLifecycle } from './job-lifecycle';
import { JobPlanner } from './job-planner';
import { LeaseService } from './lease.service';
import { NodeRepository } from './node.repository';
import { OutputVerifier } from './output-verifier';
import { PeerServices } from './peer-services';
import { PreviewClipService } from './preview-clip.service';
import { Reaper } from './reaper';
import { readRenderConfig } from './render.config';
import type { RenderDb } from './render.db';
import { RenderMetrics } from './render.metrics';
import { registerAdminRoutes } from './routes/admin.routes';
import { registerInternalRoutes } from './routes/internal.routes';
import { registerRenderRoutes } from './routes/renders.routes';
import { registerStillRoutes } from './routes/stills.routes';
import { registerUsageRoutes } from './routes/usage.routes';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotService } from './snapshot.service';
import { TemplateSource } from './template-source';
import { TenantPlanRepository } from './tenant-plan.repository';
import { UsageRepository } from './usage.repository';

export { readRenderConfig, renderConfigShape } from './render.config';

export interface RenderServiceOptions {
  /** Where the service's own settings are read (default the process environment). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The render orchestrator: jobs (quotes, limits, cache, batches), their work items on the render
 * queues, leases with fencing tokens, the reaper, verification and joining of outputs, snapshots,
 * usage and the farm's admin view. PostgreSQL rows are the truth; RabbitMQ only carries the work.
 */
export function createRenderService(options: RenderServiceOptions = {}): ServiceDefinition {
  return defineService({
    name: 'render',
    producer: 'render-orchestrator',
    schema: 'render',
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    setup: (ctx) => {
      if (!ctx.db) throw new Error('render: needs a database');
      const config = readRenderConfig(options.env ?? process.env);
      const db = ctx.db as unknown as ScopedDatabase<RenderDb>;
      const workDir = config.workDir ?? path.join(ctx.config.dataDir, 'render-work');
      const catalog = new CatalogRepository();
      const jobs = new JobRepository();
      const items = new ItemRepository();
      const nodes = new NodeRepository();
      const snapshots = new SnapshotRepository(db.schema);
      const plans = new TenantPlanRepository();
      const usage = new UsageRepository();
      const metrics = new RenderMetrics(ctx.metrics, db);
      const peers = new PeerServices(ctx.internal, ctx.logger);
      const templates = new TemplateSource({
        db,
        catalog,
        blobs: ctx.blobs,
        internal: ctx.internal,
        logger: ctx.logger,
        cacheSize: 64,
      });
      const fonts = new StoredFontsCache({
        dir: config.fontDir ?? path.join(ctx.config.dataDir, 'render', 'fonts'),
        read: (key) => ctx.blobs.get(key),
        unavailable: (font, error) => ctx.logger.warn({ err: error, font }, 'font unavailable'),
      });
      const planner = new JobPlanner({ db, catalog, fonts, peers, minItemSeconds: config.minItemSeconds });
      const dispatcher = new Dispatcher(ctx, items, config.leaseSeconds);
      const lifecycle = new JobLifecycle({
        ctx,
        jobs,
        items,
        snapshots,
        usage,
        dispatcher,
        blobs: ctx.blobs,
        logger: ctx.logger,
        metrics,
        limitsOf: async (tx, tenantId) => standingOf(await plans.find(tx, tenantId), new Date()).limits,
      });
      const verifier = new OutputVerifier(ctx.blobs, workDir);
      const assembler = new Assembler({
        db,
        jobs,
        items,
        lifecycle,
        verifier,
        peers,
        blobs: ctx.blobs,
        logger: ctx.logger,
        workDir,
        previewCompleted: (jobId) => previews.completed(jobId),
      });
      const leases = new LeaseService({
        ctx,
        db,
        config,
        jobs,
        items,
        nodes,
        snapshots,
        dispatcher,
        lifecycle,
        verifier,
        assembler: () => assembler,
        metrics,
        logger: ctx.logger,
      });
      const service = new JobService({
        ctx,
        db,
        config,
        jobs,
        items,
        snapshots,
        plans,
        usage,
        templates,
        planner,
        dispatcher,
        lifecycle,
        peers,
        blobs: ctx.blobs,
        logger: ctx.logger,
      });
      const stills = new SnapshotService({
        db,
        snapshots,
        templates,
        planner,
        peers,
        dispatcher,
        jobs: service,
        logger: ctx.logger,
      });
      const previews = new PreviewClipService({
        db,
        config,
        jobs,
        service,
        templates,
        planner,
        dispatcher,
        peers,
        logger: ctx.logger,
      });
      const reaper = new Reaper({
        ctx,
        db,
        config,
        items,
        jobs,
        nodes,
        leases,
        dispatcher,
        lifecycle,
        assembler,
        snapshots: stills,
        logger: ctx.logger,
      });
      const view = {
        publicUrl: ctx.config.publicUrl,
        secret: ctx.secret,
        urlSeconds: config.outputUrlSeconds,
      };
      return {
        routes(app) {
          registerRenderRoutes(app, {
            db,
            jobs,
            snapshots,
            service,
            templates,
            view,
            maxBatchRows: config.maxBatchRows,
          });
          registerStillRoutes(app, { snapshots: stills, jobs: service, view });
          registerUsageRoutes(app, { db, usage, jobs, service });
          registerAdminRoutes(app, { db, nodes, jobs, lifecycle, view });
          registerInternalRoutes(app, ctx, leases);
        },
        events: {
          ...identityHandlers(plans, lifecycle),
          ...contentHandlers(catalog, () => previews.kick()),
          ...nodeHandlers(nodes, leases, stills),
        },
        async start() {
          await stills.start();
          reaper.start();
          // Work left from before a restart (finished jobs not assembled, snapshots not planned).
          assembler.kick();
          stills.kick();
          // Clips content still wants, and finished ones it has not heard of, from before the restart.
          previews.start();
        },
        async stop() {
          await previews.stop();
          await reaper.stop();
          await stills.stop();
        },
      };
    },
  });
}

export const renderService = createRenderService();
