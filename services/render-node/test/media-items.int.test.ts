import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { MessageData } from '@flatrender/contracts';
import { probeMedia } from '@flatrender/engine/node';
import { describeWithServices, type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRenderNodeService } from '../src/index';
import { mockupPlane, mockupSize } from '../src/mockup/mockup.render';
import { dispatch, sha256, storeObject } from './render-items.fixture';
import { scriptedOrchestrator } from './scripted-orchestrator.fixture';

await describeWithServices(['postgres', 'rabbitmq'], 'render node mockups and voice-overs', () => {
  let harness: ServiceHarness;
  let scratch: string;
  const orchestrator = scriptedOrchestrator();

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'render-node-media-'));
    harness = await startServiceHarness({
      services: [orchestrator.service, createRenderNodeService({ env: { NODE_SLOTS: '2' } })],
      database: 'postgres',
      bus: 'rabbitmq',
      blobs: 's3',
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const download = async (key: string) => buffer(await harness.blobs.get(key));
  const lease = (jobId: string) => ({ job_id: jobId, attempt: 1, fencing_token: 1, lease_seconds: 30 });

  describe('mockups', () => {
    /** A user image: left half pure red, right half pure blue (one corner pixel makes it unique). */
    async function storeImage() {
      const canvas = createCanvas(800, 600);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ff0000';
      ctx.fillRect(0, 0, 400, 600);
      ctx.fillStyle = '#0000ff';
      ctx.fillRect(400, 0, 400, 600);
      ctx.fillStyle = `#${randomUUID().slice(0, 6)}`;
      ctx.fillRect(0, 0, 1, 1);
      const png = await canvas.encode('png');
      const { contentHash, blobKey } = await storeObject(harness.blobs, 'uploads', png, 'image/png');
      return {
        file_id: randomUUID(),
        content_hash: contentHash,
        blob_key: blobKey,
        mime: 'image/png',
        width: 800,
        height: 600,
      };
    }

    for (const mockup of ['laptop', 'poster', 'phone'] as const) {
      it(`places the image in a ${mockup} in perspective (PNG of the requested width)`, async () => {
        const jobId = randomUUID();
        await orchestrator.addItem({ id: jobId, jobId, fencingToken: 1 });
        const item: MessageData<'render.queue.mockup'> = {
          ...lease(jobId),
          image: await storeImage(),
          mockup,
          format: 'png',
          width: 640,
          output_key: `renders/${jobId}/0/1-1.png`,
        };
        await dispatch(harness, 'render.queue.mockup', item);
        const done = await orchestrator.waitFor(jobId, (i) => i.state !== 'queued' && i.state !== 'leased');
        expect(done.state).toBe('done');
        const size = mockupSize(mockup, 640);
        expect((done.output as { probe: unknown }).probe).toEqual({
          frames: 1,
          duration_seconds: 0,
          video_codec: 'png',
          ...size,
        });
        const bytes = await download(item.output_key);
        expect(sha256(bytes)).toBe((done.output as { content_hash: string }).content_hash);
        const image = await loadImage(bytes);
        expect([image.width, image.height]).toEqual([size.width, size.height]);

        // Sample the picture where the plane's homography puts points of the screen: the image's
        // left half (red) and right half (blue) land where the perspective says they do.
        const canvas = createCanvas(size.width, size.height);
        const ctx = canvas.getContext('2d');
        ctx.drawImage(image, 0, 0);
        const plane = mockupPlane(mockup);
        const scale = size.width / (mockup === 'phone' ? 1000 : mockup === 'laptop' ? 1600 : 1200);
        const pixelAt = (u: number, v: number) => {
          // (u, v) in [0, 1] across the plane's middle area, well inside the screen.
          const p = plane.map({ x: plane.width * u, y: plane.height * v });
          return ctx.getImageData(Math.round(p.x * scale), Math.round(p.y * scale), 1, 1).data;
        };
        const red = pixelAt(0.3, 0.5);
        const blue = pixelAt(0.7, 0.5);
        expect(red[0]).toBeGreaterThan(180);
        expect(red[2]).toBeLessThan(90);
        expect(blue[2]).toBeGreaterThan(180);
        expect(blue[0]).toBeLessThan(90);
      });
    }

    it('fails a mockup whose image is not in the blob store (asset_missing, not retryable)', async () => {
      const jobId = randomUUID();
      await orchestrator.addItem({ id: jobId, jobId, fencingToken: 1 });
      const image = await storeImage();
      await dispatch(harness, 'render.queue.mockup', {
        ...lease(jobId),
        image: { ...image, blob_key: `uploads/${randomUUID()}` },
        mockup: 'phone',
        format: 'jpg',
        width: 400,
        output_key: `renders/${jobId}/0/1-1.jpg`,
      });
      const failed = await orchestrator.waitFor(jobId, (i) => i.state === 'failed');
      expect(failed.failure).toMatchObject({ error_code: 'asset_missing', retryable: false });
    });
  });

  describe('voice-overs', () => {
    const cases = [
      {
        language: 'fa' as const,
        text: 'سلام، به فلت‌رندر خوش آمدید. ویدیوی شما آماده است و می‌توانید آن را با دوستانتان به اشتراک بگذارید.',
        format: 'mp3' as const,
      },
      {
        language: 'en' as const,
        text: 'Hello, and welcome to FlatRender. Your video is ready, and you can share it with your friends.',
        format: 'wav' as const,
      },
    ];
    for (const c of cases) {
      it(`speaks ${c.language} offline into ${c.format} of plausible length`, async () => {
        const jobId = randomUUID();
        await orchestrator.addItem({ id: jobId, jobId, fencingToken: 1 });
        const item: MessageData<'render.queue.voiceover'> = {
          ...lease(jobId),
          text: c.text,
          language: c.language,
          voice: 'f2',
          speed: 1,
          format: c.format,
          output_key: `renders/${jobId}/0/1-1.${c.format}`,
        };
        await dispatch(harness, 'render.queue.voiceover', item);
        const done = await orchestrator.waitFor(jobId, (i) => i.state !== 'queued' && i.state !== 'leased');
        expect(done.state).toBe('done');
        const output = done.output as {
          probe: { duration_seconds: number; frames: number };
          size_bytes: number;
        };

        const file = path.join(scratch, `voice-${c.language}.${c.format}`);
        await writeFile(file, await download(item.output_key));
        const info = await probeMedia(file);
        expect(info.video).toBeNull();
        expect(info.audio?.codec).toBe(c.format === 'mp3' ? 'mp3' : 'pcm_s16le');
        // About 16-20 words at an ordinary speaking rate: 4 to 12 seconds, never silence-short.
        const words = c.text.split(/\s+/).length;
        expect(info.duration).toBeGreaterThan(words * 0.25);
        expect(info.duration).toBeLessThan(words * 0.8);
        expect(Math.abs(info.duration - output.probe.duration_seconds)).toBeLessThan(0.2);
        expect(output.probe.frames).toBeGreaterThan(0);
      });
    }

    it('speaks faster at speed 2 than at speed 1', async () => {
      const durations: number[] = [];
      for (const speed of [1, 2]) {
        const jobId = randomUUID();
        await orchestrator.addItem({ id: jobId, jobId, fencingToken: 1 });
        await dispatch(harness, 'render.queue.voiceover', {
          ...lease(jobId),
          text: 'One two three four five six seven eight nine ten.',
          language: 'en',
          voice: 'm3',
          speed,
          format: 'wav',
          output_key: `renders/${jobId}/0/1-1.wav`,
        });
        const done = await orchestrator.waitFor(jobId, (i) => i.state === 'done');
        durations.push((done.output as { probe: { duration_seconds: number } }).probe.duration_seconds);
      }
      expect(durations[1]!).toBeLessThan(durations[0]! * 0.7);
    });

    it('refuses a voice the speech engine does not have (values_invalid)', async () => {
      const jobId = randomUUID();
      await orchestrator.addItem({ id: jobId, jobId, fencingToken: 1 });
      await dispatch(harness, 'render.queue.voiceover', {
        ...lease(jobId),
        text: 'Hello.',
        language: 'en',
        voice: 'nobody',
        speed: 1,
        format: 'wav',
        output_key: `renders/${jobId}/0/1-1.wav`,
      });
      const failed = await orchestrator.waitFor(jobId, (i) => i.state === 'failed');
      expect(failed.failure).toMatchObject({ error_code: 'values_invalid', retryable: false });
    });
  });
});
