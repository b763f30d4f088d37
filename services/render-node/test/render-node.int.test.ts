import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { type CATALOG, type Envelope, PLATFORM_TENANT_ID, validateMessage } from '@flatrender/contracts';
import { verifyMedia } from '@flatrender/engine/node';
import { describeWithServices, type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRenderNodeService, type RenderNode } from '../src/index';
import { chunkItem, dispatch, sha256, storeFont, storeTemplate, until } from './render-items.fixture';
import { scriptedOrchestrator } from './scripted-orchestrator.fixture';

await describeWithServices(['postgres', 'rabbitmq'], 'render node on RabbitMQ, PostgreSQL and S3', () => {
  let harness: ServiceHarness;
  let node: RenderNode;
  let events: Envelope[];
  const orchestrator = scriptedOrchestrator();
  let template: Awaited<ReturnType<typeof storeTemplate>>;
  let fonts: Awaited<ReturnType<typeof storeFont>>[];
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'render-node-int-'));
    harness = await startServiceHarness({
      // The orchestrator's routes come first, as in one process; the node starts last.
      services: [
        orchestrator.service,
        createRenderNodeService({
          env: { NODE_HEARTBEAT_SECONDS: '0.3', NODE_SLOTS: '2', NODE_DRAW_WORKERS: '1' },
          onStarted: (n) => {
            node = n;
          },
        }),
      ],
      database: 'postgres',
      bus: 'rabbitmq',
      blobs: 's3',
    });
    events = orchestrator.nodeEvents;
    template = await storeTemplate(harness.blobs);
    fonts = [await storeFont(harness.blobs, 400), await storeFont(harness.blobs, 700)];
  });
  afterAll(async () => {
    await harness?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const download = async (key: string) => buffer(await harness.blobs.get(key));

  it('renders a chunk of its frame range, uploads it, and completes it with the probe', async () => {
    const item = chunkItem(template, fonts);
    await orchestrator.addItem({ id: item.chunk_id, jobId: item.job_id, fencingToken: 1 });
    await dispatch(harness, 'render.queue.paid', item);

    const done = await orchestrator.waitFor(
      item.chunk_id,
      (i) => i.state !== 'queued' && i.state !== 'leased',
    );
    expect(done.state).toBe('done');
    expect(done.node_id).toBe(node.id);
    expect(done.claims).toBe(1);
    const output = done.output as {
      output_key: string;
      size_bytes: number;
      content_hash: string;
      probe: Record<string, unknown>;
    };
    expect(output.output_key).toBe(item.output_key);
    expect(output.probe).toMatchObject({ frames: 30, video_codec: 'h264', width: 270, height: 270 });
    expect(output.probe.duration_seconds).toBeCloseTo(1, 1);

    const bytes = await download(item.output_key);
    expect(bytes.length).toBe(output.size_bytes);
    expect(sha256(bytes)).toBe(output.content_hash);
    const file = path.join(scratch, 'chunk.mp4');
    await writeFile(file, bytes);
    // A chunk is video only, exactly its frames, at the requested size.
    const info = await verifyMedia(file, {
      format: 'mp4',
      frameCount: 30,
      fps: 30,
      width: 270,
      height: 270,
      audio: false,
    });
    expect(info.video?.codec).toBe('h264');

    // While it held the lease, its heartbeats listed it with the frames done.
    const beats = events.filter((e) => e.event_type === 'node.heartbeat.v1');
    const withLease = beats
      .map(
        (e) =>
          e.data as {
            leases: { chunk_id: string; frames_done: number; frame_count: number; fencing_token: number }[];
          },
      )
      .flatMap((d) => d.leases)
      .filter((l) => l.chunk_id === item.chunk_id);
    expect(withLease.length).toBeGreaterThan(0);
    expect(withLease.every((l) => l.frame_count === 30 && l.fencing_token === 1)).toBe(true);
  });

  it('announces itself, heartbeats and reports its cache with valid platform-wide envelopes', async () => {
    const online = await until(() => events.find((e) => e.event_type === 'node.online.v1'));
    expect(online.data).toMatchObject({
      node_id: node.id,
      slots: 2,
      queues: expect.arrayContaining([
        'render.queue.paid',
        'render.queue.snapshot',
        'render.queue.voiceover',
      ]),
    });
    const kinds = new Set(events.map((e) => e.event_type));
    expect(kinds).toEqual(new Set(['node.online.v1', 'node.heartbeat.v1', 'node.cache.updated.v1']));
    for (const envelope of events) {
      expect(envelope.producer).toBe('render-node');
      expect(envelope.tenant_id).toBe(PLATFORM_TENANT_ID);
      expect(validateMessage(envelope.event_type, envelope)).toMatchObject({ ok: true });
    }
    const cacheEvents = events.filter((e) => e.event_type === 'node.cache.updated.v1');
    expect(cacheEvents[0]?.data).toMatchObject({ complete: true });
    const added = cacheEvents.flatMap(
      (e) => (e.data as { added: { content_hash: string; kind: string }[] }).added,
    );
    expect(added).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'template', content_hash: template.ref.content_hash }),
        expect.objectContaining({ kind: 'font', content_hash: fonts[0]!.content_hash }),
      ]),
    );
    const beat = await node.heartbeatPayload();
    expect(beat.cache.entries).toBeGreaterThanOrEqual(3);
    expect(beat.memory_free_bytes).toBeGreaterThan(0);
    expect(beat.disk_free_bytes).toBeGreaterThan(0);
  });

  it('drops an item whose lease is stale (a newer fencing token exists) without rendering it', async () => {
    const item = chunkItem(template, fonts, { fencing_token: 4 });
    await orchestrator.addItem({ id: item.chunk_id, jobId: item.job_id, fencingToken: 5 });
    await dispatch(harness, 'render.queue.paid', item);
    await orchestrator.waitFor(item.chunk_id, (i) => i.claims === 1);
    // Acknowledged, not retried: no second claim, no report, nothing stored.
    await new Promise((r) => setTimeout(r, 1500));
    const after = await orchestrator.item(item.chunk_id);
    expect(after).toMatchObject({ claims: 1, reports: 0, state: 'queued' });
    expect(await harness.blobs.head(item.output_key)).toBeNull();
  });

  it('stops a chunk within a second of its job being cancelled, and reports nothing', async () => {
    // The whole job at full size: long enough to be still rendering when the cancel comes.
    const item = chunkItem(template, fonts, {
      frame_start: 0,
      frame_end: 300,
      output: { format: 'mp4', width: 1080, height: 1080, fps: 30, quality: 'high' },
    });
    await orchestrator.addItem({ id: item.chunk_id, jobId: item.job_id, fencingToken: 1 });
    await dispatch(harness, 'render.queue.vip', item);
    await until(async () => {
      const beat = await node.heartbeatPayload();
      return beat.leases.some((l) => l.chunk_id === item.chunk_id && l.frames_done > 0);
    });
    const cancelled = createEnvelopeFor('render.job.cancelled.v1', {
      job_id: item.job_id,
      kind: 'video',
      project_id: null,
      reason_code: 'user',
      was_rendering: true,
      cancelled_at: new Date().toISOString(),
    });
    const sent = performance.now();
    await harness.bus.publish(cancelled);
    await until(async () => {
      const beat = await node.heartbeatPayload();
      return beat.leases.every((l) => l.chunk_id !== item.chunk_id) && beat.slots_busy === 0;
    }, 5000);
    const stoppedMs = performance.now() - sent;
    expect(stoppedMs).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 500));
    expect(await orchestrator.item(item.chunk_id)).toMatchObject({ state: 'leased', reports: 0 });
    expect(await harness.blobs.head(item.output_key)).toBeNull();
  });

  it('fails a hung item when max_render_seconds runs out (timeout, retryable)', async () => {
    const item = chunkItem(template, fonts, {
      frame_start: 0,
      frame_end: 300,
      output: { format: 'mp4', width: 1080, height: 1080, fps: 30, quality: 'high' },
      max_render_seconds: 1,
    });
    await orchestrator.addItem({ id: item.chunk_id, jobId: item.job_id, fencingToken: 1 });
    await dispatch(harness, 'render.queue.paid', item);
    const failed = await orchestrator.waitFor(item.chunk_id, (i) => i.state === 'failed');
    expect(failed.failure).toMatchObject({ error_code: 'timeout', retryable: true });
    expect(await harness.blobs.head(item.output_key)).toBeNull();
  });

  it('fetches a font it lacks before drawing, and refuses to render when the font cannot be had', async () => {
    // "Tanha" is not bundled with the node: it must come from the blob store by its hash.
    const tanha = [
      await storeFont(harness.blobs, 300, 'Tanha'),
      await storeFont(harness.blobs, 900, 'Tanha'),
    ];
    const custom = await storeTemplate(harness.blobs, { display: 'Tanha:900', body: 'Tanha:300' });

    const missing = chunkItem(custom, [tanha[0]!, { ...tanha[1]!, blob_key: `fonts/${'0'.repeat(64)}` }]);
    await orchestrator.addItem({ id: missing.chunk_id, jobId: missing.job_id, fencingToken: 1 });
    await dispatch(harness, 'render.queue.paid', missing);
    const refused = await orchestrator.waitFor(missing.chunk_id, (i) => i.state === 'failed');
    expect(refused.failure).toMatchObject({ error_code: 'font_missing', retryable: false });
    expect(await harness.blobs.head(missing.output_key)).toBeNull();

    const item = chunkItem(custom, tanha);
    await orchestrator.addItem({ id: item.chunk_id, jobId: item.job_id, fencingToken: 1 });
    await dispatch(harness, 'render.queue.paid', item);
    const done = await orchestrator.waitFor(item.chunk_id, (i) => i.state === 'done' || i.state === 'failed');
    expect(done.state).toBe('done');
    const cached = events
      .filter((e) => e.event_type === 'node.cache.updated.v1')
      .flatMap((e) => (e.data as { added: { content_hash: string; kind: string }[] }).added);
    expect(cached).toEqual(
      expect.arrayContaining([
        { kind: 'font', content_hash: tanha[1]!.content_hash, size_bytes: expect.any(Number) },
      ]),
    );
  });

  it('answers a snapshot in-process: a JPEG of the requested size, completed for its attempt', async () => {
    const id = randomUUID();
    await orchestrator.addItem({ id, jobId: id, fencingToken: 1, still: true });
    const { ref, scenes } = template;
    await dispatch(
      harness,
      'render.queue.snapshot',
      {
        snapshot_id: id,
        attempt: 1,
        engine: 1,
        template: ref,
        values: { 'words.quote': 'A still, warm and fast.' },
        scenes,
        aspect: '9:16',
        fonts,
        assets: [],
        output_key: `snapshots/${id}/1.jpg`,
        watermark: true,
        locale: 'fa',
        time_seconds: 4,
        format: 'jpg',
        width: 540,
        height: 960,
      },
      9,
    );
    const done = await orchestrator.waitFor(id, (i) => i.state !== 'queued');
    expect(done.state).toBe('done');
    expect((done.output as { render_ms: number }).render_ms).toBeGreaterThan(0);
    expect((done.output as { probe: unknown }).probe).toEqual({
      frames: 1,
      duration_seconds: 0,
      video_codec: 'mjpeg',
      width: 540,
      height: 960,
    });
    const image = await loadImage(await download(`snapshots/${id}/1.jpg`));
    expect([image.width, image.height]).toEqual([540, 960]);
  });

  it('drops work when the orchestrator quarantined the node (the orchestrator sends it out again)', async () => {
    orchestrator.quarantine(node.id);
    const item = chunkItem(template, fonts);
    await orchestrator.addItem({ id: item.chunk_id, jobId: item.job_id, fencingToken: 1 });
    await dispatch(harness, 'render.queue.paid', item);
    await orchestrator.waitFor(item.chunk_id, (i) => i.claims === 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await orchestrator.item(item.chunk_id)).toMatchObject({ claims: 1, state: 'queued', reports: 0 });
    expect(await harness.blobs.head(item.output_key)).toBeNull();
  });
});

function createEnvelopeFor<K extends keyof typeof CATALOG>(key: K, data: unknown): Envelope {
  return {
    event_id: randomUUID(),
    event_type: key,
    event_time: new Date().toISOString(),
    tenant_id: randomUUID(),
    user_id: randomUUID(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
    producer: 'render-orchestrator',
    data,
  } as Envelope;
}
