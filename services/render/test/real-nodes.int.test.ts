import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TemplateInput } from '@flatrender/engine';
import type { Principal } from '@flatrender/platform';
import { describeWithServices, type ServiceHarness } from '@flatrender/platform/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type NodeProcess, spawnNode } from './node-processes';
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

/** 640×360 at 24 fps: chunks take a node a few seconds, long enough to kill or freeze it mid-chunk. */
function hdTemplate(intro: number, end: number): TemplateInput {
  const doc = tinyTemplate(intro, end, 'render-hd-test') as TemplateInput & {
    fps: number;
    aspects: Record<string, [number, number]>;
  };
  doc.fps = 24;
  doc.aspects = { '16:9': [640, 360] };
  return doc;
}

const frames = (file: string) =>
  Number(
    JSON.parse(
      execFileSync('ffprobe', [
        '-v',
        'error',
        '-count_packets',
        '-show_streams',
        '-select_streams',
        'v',
        '-of',
        'json',
        file,
      ]).toString(),
    ).streams[0].nb_read_packets,
  );

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'render orchestrator with real render node processes',
  () => {
    let harness: ServiceHarness;
    let url: string;
    let template: PublishedTemplate;
    let longTemplate: PublishedTemplate;
    let events: EventRecorder;
    let owner: Principal;
    let scratch: string;
    let nodes: NodeProcess[] = [];

    beforeAll(async () => {
      // Leases long enough that a heartbeat delayed by a busy machine (two renders on two cores) still counts.
      harness = await startRenderHarness({ RENDER_LEASE_SECONDS: '8', RENDER_NODE_TIMEOUT_SECONDS: '10' });
      url = await harness.app.listen({ port: 0, host: '127.0.0.1' });
      scratch = await mkdtemp(path.join(os.tmpdir(), 'render-real-'));
      events = await recordEvents(harness, ['render.#', 'node.#', 'tenant.#']);
      template = await publishTemplate(harness, hdTemplate(3, 3));
      longTemplate = await publishTemplate(harness, hdTemplate(6, 6));
      owner = harness.newPrincipal();
      await setPlan(harness, owner.tenantId, ROOMY);
    }, 180_000);

    afterEach(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      nodes = [];
    });

    afterAll(async () => {
      await events?.stop();
      await harness?.stop();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    const startNodes = async (n: number) => {
      nodes = await Promise.all(Array.from({ length: n }, () => spawnNode(harness, url)));
      return nodes;
    };

    let renders = 0;
    const render = async (t: PublishedTemplate) => {
      // Each test renders different text: the same request would be answered from the render cache.
      const res = await client(harness, owner).post('/v1/renders', {
        template_id: t.template_id,
        modifications: { 'intro.title': `آزمون ${++renders}` },
        output: { format: 'mp4', quality: 'draft' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body.job as { id: string; chunk_count: number; frame_count: number };
    };

    const outputFrames = async (jobId: string) => {
      const file = path.join(scratch, `${jobId}.mp4`);
      await writeFile(
        file,
        Buffer.concat(await (await harness.blobs.get(`renders/${jobId}/output.mp4`)).toArray()),
      );
      return frames(file);
    };

    const leasedBy = async (nodeId: string) => {
      try {
        return await waitFor(
          async () =>
            (
              await rows<{ id: string }>(
                harness,
                `select id from render_item where node_id = '${nodeId}' and status = 'leased' and kind = 'chunk'`,
              )
            )[0],
          60_000,
          `a lease of node ${nodeId}`,
        );
      } catch (error) {
        const state = await rows(
          harness,
          'select job_id, kind, idx, status, node_id, attempt from render_item order by job_id, idx',
        );
        throw new Error(
          `${(error as Error).message}\n${JSON.stringify(state)}\n${nodes.map((n) => `${n.id}: ${n.output()}`).join('\n')}`,
        );
      }
    };

    it('splits a video across two node processes and joins it', async () => {
      const [a, b] = await startNodes(2);
      const job = await render(template);
      expect(job.chunk_count).toBe(3);
      await events.next('render.job.completed.v1', (d) => d.job_id === job.id, 120_000);
      const by = await rows<{ node_id: string }>(
        harness,
        `select distinct node_id from render_item where job_id = '${job.id}'`,
      );
      expect(by.map((r) => r.node_id).sort()).toEqual([a?.id, b?.id].sort());
      expect(await outputFrames(job.id)).toBe(144);
    }, 180_000);

    it('finishes a job whose node was killed mid-chunk (kill -9): re-queued after the lease expired, verified, no duplicate', async () => {
      const [victim, survivor] = await startNodes(2);
      if (!victim || !survivor) throw new Error('nodes');
      const job = await render(template);
      const lost = await leasedBy(victim.id);
      victim.process.kill('SIGKILL');
      await events.next('render.job.completed.v1', (d) => d.job_id === job.id, 120_000);
      await events.next('node.crashed.v1', (d) => d.node_id === victim.id, 30_000);

      const item = (
        await rows<{ attempt: number; status: string; node_id: string }>(
          harness,
          `select attempt, status, node_id from render_item where id = '${lost.id}'`,
        )
      )[0];
      expect(item).toMatchObject({ status: 'done', node_id: survivor.id });
      expect(item?.attempt).toBeGreaterThanOrEqual(2);
      const attempts = await rows<{ node_id: string; status: string }>(
        harness,
        `select node_id, status from render_attempt where item_id = '${lost.id}' order by fencing_token`,
      );
      expect(attempts[0]).toMatchObject({ node_id: victim.id, status: 'expired' });
      expect(attempts.filter((a) => a.status === 'completed')).toHaveLength(1);
      expect(events.all('render.job.completed.v1', (d) => d.job_id === job.id)).toHaveLength(1);
      expect(await outputFrames(job.id)).toBe(144);
      // Work files are cleaned up; the output alone stays.
      await waitFor(
        async () => {
          const keys: string[] = [];
          for await (const e of harness.blobs.list(`renders/${job.id}/`)) keys.push(e.key);
          return keys.length === 1 && keys[0] === `renders/${job.id}/output.mp4` ? true : undefined;
        },
        15_000,
        'cleanup',
      );
    }, 180_000);

    it('detects a frozen node (SIGSTOP) by its lease and discards its late result after SIGCONT (fencing)', async () => {
      const [frozen, other] = await startNodes(2);
      if (!frozen || !other) throw new Error('nodes');
      const job = await render(template);
      const held = await leasedBy(frozen.id);
      const [attemptBefore] = await rows<{ fencing_token: string; output_key: string }>(
        harness,
        `select fencing_token, output_key from render_attempt where item_id = '${held.id}' and node_id = '${frozen.id}'`,
      );
      frozen.process.kill('SIGSTOP');
      await events.next('render.job.completed.v1', (d) => d.job_id === job.id, 120_000);
      await events.next('node.crashed.v1', (d) => d.node_id === frozen.id, 30_000);
      frozen.process.kill('SIGCONT');
      // The frozen node wakes up, finishes its old chunk and reports it with its superseded token.
      const late = await waitFor(
        async () => {
          return (
            (
              await rows<{ late_result_at: Date | null }>(
                harness,
                `select late_result_at from render_attempt where item_id = '${held.id}' and fencing_token = ${attemptBefore?.fencing_token}`,
              )
            )[0]?.late_result_at ?? undefined
          );
        },
        60_000,
        'the late result',
      );
      expect(late).toBeInstanceOf(Date);
      await waitFor(
        async () => ((await harness.blobs.head(attemptBefore?.output_key ?? '')) === null ? true : undefined),
        10_000,
        'late blob deleted',
      );
      const [job2] = await rows<{ status: string }>(
        harness,
        `select status from render_job where id = '${job.id}'`,
      );
      expect(job2?.status).toBe('completed');
      expect(events.all('render.job.completed.v1', (d) => d.job_id === job.id)).toHaveLength(1);
      expect(await outputFrames(job.id)).toBe(144);
    }, 180_000);

    it('cancels a rendering job: nodes stop their work and the unused quote is refunded', async () => {
      const [a, b] = await startNodes(2);
      if (!a || !b) throw new Error('nodes');
      const job = await render(longTemplate);
      await leasedBy(a.id);
      await leasedBy(b.id);
      const started = Date.now();
      const res = await client(harness, owner).post(`/v1/renders/${job.id}/cancel`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect(res.body.refunded.seconds).toBeGreaterThan(0);
      expect(res.body.refunded.seconds + res.body.billed_seconds).toBeCloseTo(12, 5);
      await events.next('render.job.cancelled.v1', (d) => d.job_id === job.id && d.was_rendering === true);
      // Both nodes report no lease in a heartbeat shortly after (they stop within a second).
      await waitFor(
        async () => {
          const busy = await rows<{ slots_busy: number; last_heartbeat_at: Date }>(
            harness,
            `select slots_busy, last_heartbeat_at from render_node where id in ('${a.id}', '${b.id}')`,
          );
          return busy.every(
            (n) => n.slots_busy === 0 && (n.last_heartbeat_at?.getTime() ?? 0) > started + 1000,
          )
            ? true
            : undefined;
        },
        5_000,
        'nodes idle',
      );
      const completedAfter = await rows(
        harness,
        `select 1 from render_attempt a join render_item i on i.id = a.item_id where i.job_id = '${job.id}' and a.status = 'completed' and a.ended_at > to_timestamp(${started / 1000})`,
      );
      expect(completedAfter).toHaveLength(0);
      expect(events.all('render.job.completed.v1', (d) => d.job_id === job.id)).toHaveLength(0);
    }, 180_000);
  },
);
