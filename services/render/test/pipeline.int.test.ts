import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Principal } from '@flatrender/platform';
import { describeWithServices, type ServiceHarness } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

await describeWithServices(['postgres', 'rabbitmq'], 'render pipeline (scripted nodes)', () => {
  let harness: ServiceHarness;
  let template: PublishedTemplate;
  let events: EventRecorder;
  let owner: Principal;
  const nodes: ScriptedNode[] = [];
  let scratch: string;

  beforeAll(async () => {
    harness = await startRenderHarness();
    scratch = await mkdtemp(path.join(os.tmpdir(), 'render-pipeline-'));
    events = await recordEvents(harness, ['render.#', 'tenant.#', 'node.crashed.v1']);
    template = await publishTemplate(harness, tinyTemplate());
    owner = harness.newPrincipal();
    await setPlan(harness, owner.tenantId, ROOMY);
    for (let i = 0; i < 2; i++) {
      const node = new ScriptedNode(harness);
      await node.start(['render.queue.paid', 'render.queue.snapshot']);
      nodes.push(node);
    }
  });

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await events?.stop();
    await harness?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('splits a video across both nodes, joins the chunks, verifies and completes it', async () => {
    const api = client(harness, owner);
    const res = await api.post('/v1/renders', {
      template_id: template.template_id,
      modifications: { brand: '#00aa55', 'intro.title': 'نوروز' },
      output: { format: 'mp4', quality: 'draft' },
      webhook_url: 'https://example.com/hook',
      metadata: { order: 'A-1' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.headers.location).toBe(`/v1/renders/${res.body.job.id}`);
    const job = res.body.job;
    expect(job.status).toBe('queued');
    expect(job.chunk_count).toBeGreaterThanOrEqual(2);
    expect(res.body.quote).toEqual({
      render_seconds: 4.5,
      cost: 4500,
      currency: 'IRR',
      period: new Date().toISOString().slice(0, 7),
    });

    const completed = await events.next('render.job.completed.v1', (d) => d.job_id === job.id, 60_000);
    const data = completed.data as Record<string, any>;
    expect(data.webhook_url).toBe('https://example.com/hook');
    expect(data.metadata).toEqual({ order: 'A-1' });
    expect(data.output).toMatchObject({ format: 'mp4', width: 320, height: 180, fps: 12, frame_count: 54 });

    const view = (await api.get(`/v1/renders/${job.id}`)).body;
    expect(view.status).toBe('completed');
    expect(view.progress).toBe(1);
    expect(view.output.download_url).toContain(`/v1/blobs/renders/${job.id}/output.mp4`);
    expect(view.billed_seconds).toBe(4.5);

    // Both nodes rendered chunks of this job.
    const done = await rows<{ node_id: string; idx: number }>(
      harness,
      `select node_id, idx from render_item where job_id = '${job.id}' order by idx`,
    );
    expect(new Set(done.map((d) => d.node_id)).size).toBe(2);

    // The joined file is a real, complete video with audio-less H.264 of every frame.
    const file = path.join(scratch, 'out.mp4');
    writeFileSync(
      file,
      Buffer.concat(
        await (
          await harness.blobs.get(view.output.download_url.split('/v1/blobs/')[1].split('?')[0])
        ).toArray(),
      ),
    );
    const probe = JSON.parse(
      execFileSync('ffprobe', [
        '-v',
        'error',
        '-count_packets',
        '-show_streams',
        '-of',
        'json',
        file,
      ]).toString(),
    ) as { streams: { codec_name: string; nb_read_packets: string }[] };
    expect(probe.streams[0]?.codec_name).toBe('h264');
    expect(Number(probe.streams[0]?.nb_read_packets)).toBe(54);

    // Every video gets a free snapshot.
    const snapshot = await waitFor(async () => {
      const v = (await api.get(`/v1/renders/${job.id}`)).body;
      return v.snapshot?.status === 'ready' ? v.snapshot : undefined;
    });
    expect(snapshot.url).toContain('/v1/blobs/');

    // Usage is recorded once, with the figures of the output.
    const usage = await events.next('tenant.usage.recorded.v1', (d) => d.source_id === job.id);
    expect(usage.data).toMatchObject({
      metric: 'render_seconds',
      quantity: 4.5,
      frames: 54,
      width: 320,
      height: 180,
    });
    const summary = (await api.get('/v1/usage')).body;
    expect(summary.render_seconds).toMatchObject({ used: 4.5, reserved: 0, limit: 10_000 });

    // Lifecycle events arrived in order and every message on the bus is valid.
    const kinds = events.received
      .filter((m) => (m.envelope.data as { job_id?: string }).job_id === job.id)
      .map((m) => m.routingKey);
    expect(kinds[0]).toBe('render.job.queued.v1');
    expect(kinds).toContain('render.job.started.v1');
    expect(kinds.at(-1)).toBe('render.job.completed.v1');
    expect(events.received.filter((m) => !m.valid)).toEqual([]);
    expect(
      events.received.every(
        (m) => m.envelope.producer === 'render-orchestrator' || m.routingKey.startsWith('node.'),
      ),
    ).toBe(true);
  });

  it('answers an identical request from the render cache at once', async () => {
    const api = client(harness, owner);
    const body = {
      template_id: template.template_id,
      modifications: { brand: '#123456' },
      output: { format: 'mp4', quality: 'draft' },
    };
    const first = await api.post('/v1/renders', body);
    await events.next('render.job.completed.v1', (d) => d.job_id === first.body.job.id, 60_000);
    const claimsBefore = nodes.reduce((n, node) => n + node.log.claimed.length, 0);
    const started = performance.now();
    const second = await api.post('/v1/renders', body);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(second.status).toBe(202);
    expect(second.body.cached).toBe(true);
    expect(second.body.job.status).toBe('completed');
    expect(second.body.job.output.file_id).toBe(
      (await api.get(`/v1/renders/${first.body.job.id}`)).body.output.file_id,
    );
    expect(second.body.job.billed_seconds).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(nodes.reduce((n, node) => n + node.log.claimed.length, 0)).toBe(claimsBefore);
  });
});
