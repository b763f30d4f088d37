import type { Principal } from '@flatrender/platform';
import { describeWithServices, type ServiceHarness } from '@flatrender/platform/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  client,
  type EventRecorder,
  type PublishedTemplate,
  publishTemplate,
  ROOMY,
  recordEvents,
  rows,
  setPlan,
  startRenderHarness,
  tinyTemplate,
  waitFor,
} from './render-test-kit';
import { ScriptedNode } from './scripted-node';

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'render failures, fencing and quarantine (scripted nodes)',
  () => {
    let harness: ServiceHarness;
    let template: PublishedTemplate;
    let events: EventRecorder;
    let owner: Principal;
    let nodes: ScriptedNode[] = [];
    let n = 0;

    beforeAll(async () => {
      harness = await startRenderHarness({ RENDER_MAX_ATTEMPTS: '10', RENDER_QUARANTINE_FAILURES: '4' });
      events = await recordEvents(harness, ['render.#', 'node.#']);
      template = await publishTemplate(harness, tinyTemplate());
      owner = harness.newPrincipal();
      await setPlan(harness, owner.tenantId, ROOMY);
    });

    afterEach(async () => {
      for (const node of nodes) await node.stop();
      nodes = [];
    });

    afterAll(async () => {
      await events?.stop();
      await harness?.stop();
    });

    const start = async (...behaviours: ConstructorParameters<typeof ScriptedNode>[1][]) => {
      for (const b of behaviours) {
        const node = new ScriptedNode(harness, b);
        await node.start(['render.queue.paid']);
        nodes.push(node);
      }
      return nodes;
    };

    const render = async () => {
      const res = await client(harness, owner).post('/v1/renders', {
        template_id: template.template_id,
        modifications: { 'intro.title': `خطا ${++n}` },
        output: { format: 'mp4', quality: 'draft' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body.job as { id: string };
    };

    it('catches a truncated chunk: the attempt is rejected, the chunk rendered again, the job completes verified', async () => {
      await start('truncate-once');
      const job = await render();
      await events.next('render.job.completed.v1', (d) => d.job_id === job.id, 60_000);
      const rejected = await rows<{ error_code: string; error_message: string; item_id: string }>(
        harness,
        `select a.error_code, a.error_message, a.item_id from render_attempt a join render_item i on i.id = a.item_id
        where i.job_id = '${job.id}' and a.status = 'rejected'`,
      );
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.error_code).toBe('output_invalid');
      expect(rejected[0]?.error_message).toMatch(/frames, expected|cannot be read|failed verification/);
      const [item] = await rows<{ attempt: number; status: string }>(
        harness,
        `select attempt, status from render_item where id = '${rejected[0]?.item_id}'`,
      );
      expect(item).toMatchObject({ attempt: 2, status: 'done' });
      expect(nodes[0]?.log.completed.some((c) => (c.body as { status?: string }).status === 'rejected')).toBe(
        true,
      );
    });

    it('fails the job once a chunk failed on three different nodes', async () => {
      await start('fail', 'fail', 'fail');
      const job = await render();
      const failed = await events.next('render.job.failed.v1', (d) => d.job_id === job.id, 60_000);
      expect(failed.data).toMatchObject({ error_code: 'encoder_failed', retryable: true });
      expect((failed.data as { error_message: string }).error_message).toMatch(/failed on 3 different nodes/);
      const view = (await client(harness, owner).get(`/v1/renders/${job.id}`)).body;
      expect(view.status).toBe('failed');
      expect(view.refunded.seconds).toBe(4.5);
      expect(view.error).toMatchObject({ code: 'encoder_failed', retryable: true });
      // Nothing of the job is left pending or leased.
      expect(
        await rows(
          harness,
          `select 1 from render_item where job_id = '${job.id}' and status in ('pending', 'leased')`,
        ),
      ).toEqual([]);
    }, 120_000);

    it('quarantines a node that fails repeatedly: its claims are refused and its work goes to another node', async () => {
      const [sick] = await start('fail');
      const job = await render();
      await waitFor(
        async () =>
          (
            await rows(
              harness,
              `select 1 from render_node where id = '${sick?.id}' and quarantined_at is not null`,
            )
          )[0],
        30_000,
        'quarantine',
      );
      await waitFor(() => sick?.log.claimed.find((c) => c.status === 409), 30_000, 'a refused claim');
      const [, healthy] = await start('honest');
      await events.next('render.job.completed.v1', (d) => d.job_id === job.id, 60_000);
      const byNode = await rows<{ node_id: string }>(
        harness,
        `select distinct node_id from render_item where job_id = '${job.id}'`,
      );
      expect(byNode.map((r) => r.node_id)).toEqual([healthy?.id]);
      const admin = client(harness, harness.newPrincipal({ platformAdmin: true }));
      const list = (await admin.get('/v1/admin/nodes?status=quarantined')).body;
      expect(list.items.map((n: { id: string }) => n.id)).toContain(sick?.id);
      const released = await admin.post(`/v1/admin/nodes/${sick?.id}/release`);
      expect(released.body).toMatchObject({ id: sick?.id, quarantined: false, failures: 0 });
    }, 120_000);

    it('re-queues a chunk whose node vanished after claiming it (lease expiry) and discards its late result', async () => {
      const [ghost] = await start('vanish');
      const job = await render();
      const lost = await waitFor(
        async () =>
          (
            await rows<{ id: string; fencing_token: string; output_key: string }>(
              harness,
              `select id, fencing_token, output_key from render_item where job_id = '${job.id}' and node_id = '${ghost?.id}' and status = 'leased'`,
            )
          )[0],
      );
      await start('honest');
      await events.next('render.job.completed.v1', (d) => d.job_id === job.id, 60_000);
      const [after] = await rows<{ fencing_token: string; attempt: number }>(
        harness,
        `select fencing_token, attempt from render_item where id = '${lost.id}'`,
      );
      expect(Number(after?.fencing_token)).toBeGreaterThan(Number(lost.fencing_token));

      // The ghost comes back with its old token: 409, the blob it wrote is deleted, the attempt marked late.
      await harness.blobs.put(lost.output_key, Buffer.from('late bytes'), { contentType: 'video/mp4' });
      const late = await harness.infra.internal.request<{ error: { code: string } }>('render', {
        method: 'POST',
        path: `/internal/render/items/${lost.id}/complete`,
        body: {
          node_id: ghost?.id,
          fencing_token: Number(lost.fencing_token),
          output_key: lost.output_key,
          size_bytes: 10,
          content_hash: 'a'.repeat(64),
        },
      });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('stale_lease');
      await waitFor(
        async () => ((await harness.blobs.head(lost.output_key)) === null ? true : undefined),
        5000,
        'late blob deleted',
      );
      const [attempt] = await rows<{ status: string; late_result_at: Date | null }>(
        harness,
        `select status, late_result_at from render_attempt where item_id = '${lost.id}' and fencing_token = ${lost.fencing_token}`,
      );
      expect(attempt?.status).toBe('expired');
      expect(attempt?.late_result_at).toBeInstanceOf(Date);
      expect(events.all('render.job.completed.v1', (d) => d.job_id === job.id)).toHaveLength(1);
    });

    it('refuses claims with a superseded token or for an unknown item', async () => {
      const job = await render();
      const [item] = await rows<{ id: string; fencing_token: string }>(
        harness,
        `select id, fencing_token from render_item where job_id = '${job.id}' order by idx limit 1`,
      );
      const claim = (token: number, id = item?.id) =>
        harness.infra.internal.request<{ error?: { code: string }; lease_expires_at?: string }>('render', {
          method: 'POST',
          path: `/internal/render/items/${id}/claim`,
          body: { node_id: '00000000-0000-4000-8000-0000000000aa', fencing_token: token },
        });
      expect((await claim(Number(item?.fencing_token) - 1)).body.error?.code).toBe('stale_lease');
      expect((await claim(1, '00000000-0000-4000-8000-0000000000bb')).status).toBe(409);
      const granted = await claim(Number(item?.fencing_token));
      expect(granted.status).toBe(200);
      expect(Date.parse(granted.body.lease_expires_at ?? '')).toBeGreaterThan(Date.now());
      // Another node may not take a lease that is held.
      const other = await harness.infra.internal.request<{ error?: { code: string } }>('render', {
        method: 'POST',
        path: `/internal/render/items/${item?.id}/claim`,
        body: { node_id: '00000000-0000-4000-8000-0000000000cc', fencing_token: Number(item?.fencing_token) },
      });
      expect(other.status).toBe(409);
      // Unsigned calls are refused.
      const unsigned = await harness.app.inject({
        method: 'POST',
        url: `/internal/render/items/${item?.id}/claim`,
        payload: {},
      });
      expect(unsigned.statusCode).toBe(401);
      await client(harness, owner).post(`/v1/renders/${job.id}/cancel`);
    });
  },
);
