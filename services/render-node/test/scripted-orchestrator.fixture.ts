import path from 'node:path';
import { bindingsFor, type Envelope } from '@flatrender/contracts';
import { defineService, requireInternal, type ScopedDatabase } from '@flatrender/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';

export interface ScriptedItem {
  id: string;
  job_id: string;
  fencing_token: number;
  state: 'queued' | 'leased' | 'done' | 'failed' | 'cancelled';
  node_id: string | null;
  claims: number;
  output: Record<string, unknown> | null;
  failure: { error_code: string; message: string; retryable: boolean } | null;
  reports: number;
}

/**
 * A stand-in for the render orchestrator that speaks the render protocol's internal routes exactly as
 * docs/services/render-node.md describes them, keeping its items in PostgreSQL: claims are granted
 * for the current fencing token of a queued item, results are recorded for the token holding the
 * lease, anything else is `409 stale_lease`. Quarantined nodes get `409 node_quarantined`.
 */
export function scriptedOrchestrator() {
  let db: ScopedDatabase | undefined;
  const quarantined = new Set<string>();
  /** Every node event received on the orchestrator's own events queue, in order. */
  const nodeEvents: Envelope[] = [];
  const record = async (envelope: Envelope) => {
    nodeEvents.push(envelope);
  };
  const database = () => {
    if (!db) throw new Error('scripted orchestrator not started');
    return db;
  };
  const stale = { error: { code: 'stale_lease', message: 'The lease is not held with this fencing token.' } };

  const service = defineService({
    name: 'render',
    producer: 'render-orchestrator',
    schema: 'render',
    migrationsDir: path.join(import.meta.dirname, 'fixtures/scripted-orchestrator-migrations'),
    setup: (ctx) => {
      db = ctx.db;
      return {
        // Every event the catalog gives the orchestrator is bound (a service host refuses fewer);
        // the nodes' own events are recorded and the rest are of no concern to a node's tests.
        events: Object.fromEntries(
          bindingsFor('render-orchestrator').map((key) => [
            key,
            key.startsWith('node.') ? record : async () => {},
          ]),
        ),
        routes(app) {
          app.post('/internal/render/items/:id/claim', async (req, reply) => {
            requireInternal(req, ctx.secret);
            const { id } = req.params as { id: string };
            const body = req.body as { node_id: string; fencing_token: number };
            const row = await database().asSystem(async (tx) => {
              await sql`update item set claims = claims + 1 where id = ${id}`.execute(tx);
              if (quarantined.has(body.node_id)) return 'quarantined' as const;
              const { rows } = await sql<ScriptedItem>`
                update item set state = 'leased', node_id = ${body.node_id},
                  lease_expires_at = now() + interval '30 seconds'
                where id = ${id} and fencing_token = ${body.fencing_token}
                  and (state = 'queued' or (state = 'leased' and node_id = ${body.node_id}))
                returning *`.execute(tx);
              return rows[0];
            });
            if (row === 'quarantined')
              return reply
                .code(409)
                .send({ error: { code: 'node_quarantined', message: 'This node takes no new work.' } });
            if (!row) return reply.code(409).send(stale);
            return { lease_expires_at: new Date(Date.now() + 30_000).toISOString() };
          });
          const report = async (outcome: 'done' | 'failed', req: FastifyRequest, reply: FastifyReply) => {
            requireInternal(req, ctx.secret);
            const { id } = req.params as { id: string };
            const { node_id, fencing_token, ...rest } = req.body as Record<string, unknown>;
            const column = outcome === 'done' ? 'output' : 'failure';
            const row = await database().asSystem(async (tx) => {
              await sql`update item set reports = reports + 1 where id = ${id}`.execute(tx);
              const { rows } = await sql<ScriptedItem>`
                update item set state = ${outcome}, node_id = ${String(node_id)},
                  ${sql.ref(column)} = ${JSON.stringify(rest)}::jsonb
                where id = ${id} and fencing_token = ${Number(fencing_token)}
                  and ((state = 'leased' and node_id = ${String(node_id)}) or (still and state = 'queued'))
                returning *`.execute(tx);
              return rows[0];
            });
            if (!row) return reply.code(409).send(stale);
            return reply.code(200).send({ ok: true });
          };
          app.post('/internal/render/items/:id/complete', (req, reply) => report('done', req, reply));
          app.post('/internal/render/items/:id/fail', (req, reply) => report('failed', req, reply));
        },
      };
    },
  });

  return {
    service,
    nodeEvents,
    quarantine: (nodeId: string) => quarantined.add(nodeId),
    async addItem(item: {
      id: string;
      jobId: string;
      fencingToken: number;
      state?: ScriptedItem['state'];
      still?: boolean;
    }) {
      await database().asSystem((tx) =>
        sql`insert into item (id, job_id, fencing_token, state, still)
              values (${item.id}, ${item.jobId}, ${item.fencingToken}, ${item.state ?? 'queued'},
                      ${item.still ?? false})`.execute(tx),
      );
    },
    async item(id: string): Promise<ScriptedItem> {
      const { rows } = await database().asSystem((tx) =>
        sql<ScriptedItem>`select * from item where id = ${id}`.execute(tx),
      );
      if (!rows[0]) throw new Error(`no item ${id}`);
      return rows[0];
    },
    async waitFor(
      id: string,
      done: (item: ScriptedItem) => boolean,
      timeoutMs = 60_000,
    ): Promise<ScriptedItem> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await this.item(id);
        if (done(row)) return row;
        if (Date.now() > deadline) throw new Error(`item ${id} never got there: ${JSON.stringify(row)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
