import { describeWithServices, type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRenderNodeService, type RenderNode } from '../src/index';
import { chunkItem, dispatch, storeFont, storeTemplate, until } from './render-items.fixture';
import { scriptedOrchestrator } from './scripted-orchestrator.fixture';

await describeWithServices(['postgres', 'rabbitmq'], 'render node graceful shutdown', () => {
  let harness: ServiceHarness;
  let node: RenderNode;
  const orchestrator = scriptedOrchestrator();

  beforeAll(async () => {
    harness = await startServiceHarness({
      services: [
        orchestrator.service,
        createRenderNodeService({
          env: { NODE_HEARTBEAT_SECONDS: '0.3', NODE_DRAIN_SECONDS: '0.5', NODE_DRAW_WORKERS: '1' },
          onStarted: (n) => {
            node = n;
          },
        }),
      ],
      database: 'postgres',
      bus: 'rabbitmq',
      blobs: 's3',
    });
  });
  afterAll(() => harness?.stop());

  it('stops consuming, gives up what it cannot finish in time, and says goodbye with the released lease', async () => {
    const template = await storeTemplate(harness.blobs);
    const fonts = [await storeFont(harness.blobs, 400), await storeFont(harness.blobs, 700)];
    const long = chunkItem(template, fonts, {
      frame_start: 0,
      frame_end: 300,
      output: { format: 'mp4', width: 1080, height: 1080, fps: 30, quality: 'high' },
    });
    await orchestrator.addItem({ id: long.chunk_id, jobId: long.job_id, fencingToken: 1 });
    await dispatch(harness, 'render.queue.paid', long);
    await until(async () => (await node.heartbeatPayload()).leases.some((l) => l.frames_done > 0));

    await node.stop();

    const given = await orchestrator.item(long.chunk_id);
    expect(given.state).toBe('failed');
    expect(given.failure).toMatchObject({ error_code: 'node_lost', retryable: true });
    const offline = await until(() =>
      orchestrator.nodeEvents.find((e) => e.event_type === 'node.offline.v1'),
    );
    expect(offline.data).toMatchObject({
      node_id: node.id,
      reason_code: 'shutdown',
      released_leases: [{ job_id: long.job_id, chunk_id: long.chunk_id, fencing_token: 1 }],
    });
    const heartbeats = orchestrator.nodeEvents.filter((e) => e.event_type === 'node.heartbeat.v1');
    expect(heartbeats.some((e) => (e.data as { draining: boolean }).draining)).toBe(true);

    // A stopped node takes nothing more from its queues.
    const later = chunkItem(template, fonts);
    await orchestrator.addItem({ id: later.chunk_id, jobId: later.job_id, fencingToken: 1 });
    await dispatch(harness, 'render.queue.paid', later);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await orchestrator.item(later.chunk_id)).toMatchObject({ claims: 0, state: 'queued' });
  });
});
