import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requirePrincipal } from '../auth/authenticate';
import { defineService } from '../service/service-definition';
import { describeWithServices } from './real-services';
import { type ServiceHarness, startServiceHarness } from './service-harness';

const notes = defineService({
  name: 'studio',
  schema: 'studio',
  migrationsDir: path.join(import.meta.dirname, 'test-fixtures/notes-migrations'),
  setup: (ctx) => ({
    routes(app) {
      app.post('/v1/notes', async (req) => {
        const principal = requirePrincipal(req, { scope: 'projects:write' });
        const { text } = req.body as { text: string };
        return ctx.db!.withTenant(principal.tenantId, async (tx) => {
          const row = await sql<{
            id: string;
          }>`insert into note (tenant_id, text) values (${principal.tenantId}, ${text}) returning id`.execute(
            tx,
          );
          await ctx.blobs.put(`notes/${row.rows[0]!.id}.txt`, Buffer.from(text), {
            contentType: 'text/plain',
          });
          return { id: row.rows[0]!.id };
        });
      });
      app.get('/v1/notes', async (req) => {
        const principal = requirePrincipal(req, { scope: 'projects:read' });
        return ctx.db!.withTenant(
          principal.tenantId,
          async (tx) => (await sql`select id, text from note`.execute(tx)).rows,
        );
      });
    },
  }),
});

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'service harness on real PostgreSQL, RabbitMQ and S3',
  () => {
    let harness: ServiceHarness;
    beforeAll(async () => {
      harness = await startServiceHarness({
        services: [notes],
        database: 'postgres',
        bus: 'rabbitmq',
        blobs: 's3',
      });
    });
    afterAll(() => harness?.stop());

    it('serves routes with real tokens and keeps tenants apart through row-level security', async () => {
      const alice = harness.newPrincipal();
      const bob = harness.newPrincipal();
      const created = await harness.app.inject({
        method: 'POST',
        url: '/v1/notes',
        headers: await harness.authHeaders(alice),
        payload: { text: 'سلام' },
      });
      expect(created.statusCode).toBe(200);
      const mine = await harness.app.inject({ url: '/v1/notes', headers: await harness.authHeaders(alice) });
      expect(mine.json()).toEqual([{ id: created.json().id, text: 'سلام' }]);
      const theirs = await harness.app.inject({ url: '/v1/notes', headers: await harness.authHeaders(bob) });
      expect(theirs.json()).toEqual([]);
      expect(await harness.blobs.head(`notes/${created.json().id}.txt`)).toMatchObject({
        size: 'سلام'.length * 2,
      });
      const viewer = await harness.app.inject({
        method: 'POST',
        url: '/v1/notes',
        headers: await harness.authHeaders({ ...alice, role: 'viewer', scopes: ['projects:read'] }),
        payload: { text: 'x' },
      });
      expect(viewer.statusCode).toBe(403);
    });
  },
);
