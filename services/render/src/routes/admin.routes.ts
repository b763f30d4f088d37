import { RENDER_JOB_STATUSES, RENDER_QUEUES } from '@flatrender/contracts';
import { type HttpServer, notFound, requirePrincipal, type ScopedDatabase } from '@flatrender/platform';
import { sql } from 'kysely';
import { z } from 'zod';
import type { JobRepository } from '../job.repository';
import type { JobLifecycle } from '../job-lifecycle';
import type { NodeRepository } from '../node.repository';
import type { NodeRow, RenderDb } from '../render.db';
import { idParams, jobSchema } from './render.schemas';
import { jobView, type ViewContext } from './render.views';

const nodeSchema = z
  .object({
    id: z.uuid(),
    hostname: z.string(),
    version: z.string().nullable(),
    status: z.enum(['online', 'offline', 'crashed']),
    quarantined: z.boolean(),
    quarantine_reason: z.string().nullable(),
    draining: z.boolean(),
    queues: z.array(z.string()),
    slots: z.int(),
    slots_busy: z.int(),
    leases: z.int().describe('Work items it holds now'),
    load: z.number().nullable(),
    memory_free_bytes: z.number().nullable(),
    disk_free_bytes: z.number().nullable(),
    cache: z
      .object({
        entries: z.int(),
        size_bytes: z.number(),
        capacity_bytes: z.number(),
        by_kind: z.record(z.string(), z.int()),
      })
      .nullable(),
    failures: z.int().describe('Failed attempts in the current quarantine window'),
    items_completed: z.number(),
    frames_rendered: z.number(),
    last_heartbeat_at: z.iso.datetime().nullable(),
    started_at: z.iso.datetime().nullable(),
  })
  .meta({ title: 'RenderNode' });

const queueSchema = z.object({
  queue: z.enum(RENDER_QUEUES),
  waiting: z.int().describe('Dispatched, not yet taken by a node'),
  rendering: z.int().describe('Leased by a node'),
  held: z.int().describe('Accepted but held by the plan’s concurrency limit'),
  oldest_waiting_seconds: z.number().nullable(),
  nodes: z.int().describe('Online nodes consuming the queue'),
});

/** `/v1/admin/nodes|queues|jobs`: the render farm for platform administrators. */
export function registerAdminRoutes(
  app: HttpServer,
  deps: {
    db: ScopedDatabase<RenderDb>;
    nodes: NodeRepository;
    jobs: JobRepository;
    lifecycle: JobLifecycle;
    view: ViewContext;
  },
): void {
  const { db, nodes, jobs, view } = deps;
  const admin = { platformAdmin: true } as const;

  const nodeViews = async (rows: NodeRow[]) => {
    const { counts, leases } = await db.asSystem(async (tx) => ({
      counts: await nodes.cacheCounts(tx),
      leases: await tx
        .selectFrom('render_item')
        .select(['node_id', (eb) => eb.fn.countAll<string>().as('n')])
        .where('status', '=', 'leased')
        .groupBy('node_id')
        .execute(),
    }));
    return rows.map((n) => ({
      id: n.id,
      hostname: n.hostname,
      version: n.version,
      status: n.status,
      quarantined: n.quarantined_at !== null,
      quarantine_reason: n.quarantine_reason,
      draining: n.draining,
      queues: n.queues,
      slots: n.slots,
      slots_busy: n.slots_busy,
      leases: Number(leases.find((l) => l.node_id === n.id)?.n ?? 0),
      load: n.load,
      memory_free_bytes: n.memory_free_bytes === null ? null : Number(n.memory_free_bytes),
      disk_free_bytes: n.disk_free_bytes === null ? null : Number(n.disk_free_bytes),
      cache: n.cache ? { ...n.cache, by_kind: counts.get(n.id) ?? {} } : null,
      failures: n.failures,
      items_completed: Number(n.items_completed),
      frames_rendered: Number(n.frames_rendered),
      last_heartbeat_at: n.last_heartbeat_at ? n.last_heartbeat_at.toISOString() : null,
      started_at: n.started_at ? n.started_at.toISOString() : null,
    }));
  };

  app.get(
    '/v1/admin/nodes',
    {
      schema: {
        tags: ['admin'],
        summary: 'Render nodes with status, load, leases and cache',
        querystring: z.object({ status: z.enum(['online', 'offline', 'crashed', 'quarantined']).optional() }),
        response: { 200: z.object({ items: z.array(nodeSchema) }) },
      },
    },
    async (req) => {
      requirePrincipal(req, admin);
      return { items: await nodeViews(await db.asSystem((tx) => nodes.list(tx, req.query.status))) };
    },
  );

  app.get(
    '/v1/admin/nodes/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'One render node',
        params: idParams,
        response: { 200: nodeSchema },
      },
    },
    async (req) => {
      requirePrincipal(req, admin);
      const node = await db.asSystem((tx) => nodes.find(tx, req.params.id));
      if (!node) throw notFound('The node', 'node_not_found');
      const [view] = await nodeViews([node]);
      return view as z.infer<typeof nodeSchema>;
    },
  );

  for (const action of ['quarantine', 'release'] as const) {
    app.post(
      `/v1/admin/nodes/:id/${action}`,
      {
        schema: {
          tags: ['admin'],
          summary:
            action === 'quarantine'
              ? 'Quarantine a node: its claims are refused, its work goes to other nodes'
              : 'Release a quarantined node',
          params: idParams,
          response: { 200: nodeSchema },
        },
      },
      async (req) => {
        const principal = requirePrincipal(req, admin);
        const node = await db.asSystem(async (tx) => {
          const found = await nodes.find(tx, req.params.id, { forUpdate: true });
          if (!found) return undefined;
          await nodes.update(
            tx,
            found.id,
            action === 'quarantine'
              ? { quarantined_at: new Date(), quarantine_reason: `by administrator ${principal.userId}` }
              : { quarantined_at: null, quarantine_reason: null, failures: 0 },
          );
          return nodes.find(tx, found.id);
        });
        if (!node) throw notFound('The node', 'node_not_found');
        const [v] = await nodeViews([node]);
        return v as z.infer<typeof nodeSchema>;
      },
    );
  }

  app.get(
    '/v1/admin/queues',
    {
      schema: {
        tags: ['admin'],
        summary: 'Depth of every render queue (from the work items, the truth) and the nodes serving it',
        response: { 200: z.object({ items: z.array(queueSchema) }) },
      },
    },
    async (req) => {
      requirePrincipal(req, admin);
      const { rows, online } = await db.asSystem(async (tx) => ({
        rows: (
          await sql<{ queue: string; status: string; n: string; oldest: Date | null }>`
            select queue, status, count(*)::text as n, min(dispatched_at) as oldest
              from render_item where status in ('pending', 'leased', 'waiting')
             group by queue, status`.execute(tx)
        ).rows,
        online: await nodes.list(tx, 'online'),
      }));
      const now = Date.now();
      return {
        items: RENDER_QUEUES.map((queue) => {
          const of = (status: string) => rows.find((r) => r.queue === queue && r.status === status);
          const pending = of('pending');
          return {
            queue,
            waiting: Number(pending?.n ?? 0),
            rendering: Number(of('leased')?.n ?? 0),
            held: Number(of('waiting')?.n ?? 0),
            oldest_waiting_seconds: pending?.oldest
              ? Math.max(0, (now - new Date(pending.oldest).getTime()) / 1000)
              : null,
            nodes: online.filter((n) => n.quarantined_at === null && n.queues.includes(queue)).length,
          };
        }),
      };
    },
  );

  app.get(
    '/v1/admin/jobs',
    {
      schema: {
        tags: ['admin'],
        summary: 'Render jobs of every tenant by state, newest first, with the count of each state',
        querystring: z.object({
          status: z.enum(RENDER_JOB_STATUSES).optional(),
          tenant_id: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          cursor: z
            .string()
            .regex(/^[0-9]{1,19}$/)
            .optional(),
        }),
        response: {
          200: z.object({
            counts: z.record(z.string(), z.int()),
            items: z.array(jobSchema.extend({ tenant_id: z.uuid() })),
            next_cursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      requirePrincipal(req, admin);
      const q = req.query;
      const { rows, counts } = await db.asSystem(async (tx) => {
        const list = await jobs.list(
          tx,
          { status: q.status, tenant_id: q.tenant_id, before_seq: q.cursor },
          q.limit + 1,
        );
        return { rows: list, counts: await jobs.countByStatus(tx) };
      });
      const page = rows.slice(0, q.limit);
      return {
        counts,
        items: page.map((j) => ({ ...jobView(view, j, undefined), tenant_id: j.tenant_id })),
        next_cursor: rows.length > q.limit ? String(page.at(-1)?.seq) : null,
      };
    },
  );

  app.post(
    '/v1/admin/jobs/:id/cancel',
    {
      schema: {
        tags: ['admin'],
        summary: 'Cancel any tenant’s job',
        params: idParams,
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, admin);
      const job = await db.asSystem(async (tx) => {
        const found = await jobs.find(tx, req.params.id, { forUpdate: true });
        if (!found || (found.status !== 'queued' && found.status !== 'rendering')) return found;
        return deps.lifecycle.cancel(tx, found, 'admin', principal.userId);
      });
      if (!job) throw notFound('The render', 'render_not_found');
      return jobView(view, job, undefined);
    },
  );
}
