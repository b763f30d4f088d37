import { readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncoderDriverName } from '../encode/encoder';
import { joinChunks } from '../encode/join-chunks';
import { probeMedia } from '../encode/probe-media';
import { decodeAllRgb, keyframeIndices, makeTempDir } from '../encode/test-kit';
import { verifyMedia } from '../encode/verify-media';
import { resolveComposition } from '../render/composition';
import { DrawPool } from './draw-pool';
import type { RenderProgress } from './progress';
import { audioMixOf, renderFrames, renderVideo } from './render-video';
import { testPatternSource } from './test-pattern.source';
import { countingSource } from './testing/counting.source';
import { tinyTemplate } from './testing/tiny-template';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('flatrender-pipeline-'));
});
afterAll(() => cleanup());

function noProcessUses(path: string): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path)) return false;
    } catch {
      // The process ended while we looked.
    }
  }
  return true;
}

describe('renderFrames', () => {
  it('delivers frames drawn by several workers to the encoder in order', async () => {
    const { ref } = countingSource({ width: 64, height: 36, fps: 30, frameCount: 24, step: 10 });
    const out = join(dir, 'ordered.mp4');
    const result = await renderFrames({ source: ref, format: 'mp4', quality: 'high', out, workers: 2 });
    expect(result).toMatchObject({ frames: 24, range: [0, 24], width: 64, height: 36, fps: 30 });
    const frames = await decodeAllRgb(out, 64, 36);
    expect(frames).toHaveLength(24);
    frames.forEach((rgb, i) => {
      const centre = rgb[(18 * 64 + 32) * 3]!;
      expect(Math.abs(centre - i * 10), `frame ${i}`).toBeLessThanOrEqual(4);
    });
  });

  it('stops drawing ahead when the consumer stops taking frames (back-pressure)', async () => {
    const { ref, drawn } = countingSource({ width: 64, height: 36, fps: 30, frameCount: 200, step: 1 });
    const pool = await DrawPool.start({ source: ref, workers: 2 });
    try {
      const frames = pool.frames(0, 200);
      for (let i = 0; i < 3; i++) await frames.next();
      await new Promise((resolve) => setTimeout(resolve, 400));
      // 2 workers x 2 requests + 2 buffered: nothing near the 200 an unbounded pool would draw.
      expect(Atomics.load(drawn, 0)).toBeLessThanOrEqual(3 + 6);
      for (let i = 3; i < 200; i++) await frames.next();
      expect(Atomics.load(drawn, 0)).toBe(200);
    } finally {
      await pool.close();
    }
  });

  it('reports progress at most every 250 ms and ends at 100%', async () => {
    const events: Array<RenderProgress & { at: number }> = [];
    const { ref } = countingSource({ width: 640, height: 360, fps: 30, frameCount: 120, step: 2 });
    await renderFrames({
      source: ref,
      format: 'mp4',
      out: join(dir, 'progress.mp4'),
      workers: 1,
      onProgress: (p) => events.push({ ...p, at: performance.now() }),
    });
    expect(events.at(-1)).toMatchObject({ framesDone: 120, totalFrames: 120, etaSeconds: 0 });
    for (let i = 1; i < events.length - 1; i++) {
      expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(245);
      expect(events[i]!.framesDone).toBeGreaterThan(events[i - 1]!.framesDone);
      expect(events[i]!.fps).toBeGreaterThan(0);
    }
  });

  for (const driver of ['ffmpeg', 'node-av'] as EncoderDriverName[]) {
    it(`cancellation stops drawing and the ${driver} encoder within a second, leaving no file`, async () => {
      const abortDir = join(dir, `abort-${driver}`);
      const controller = new AbortController();
      let abortedAt = 0;
      const run = renderFrames({
        source: testPatternSource({ width: 1280, height: 720, fps: 30, frameCount: 900 }),
        format: 'mp4',
        out: join(abortDir, 'cancelled.mp4'),
        driver,
        workers: 1,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.framesDone >= 10 && !abortedAt) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(performance.now() - abortedAt).toBeLessThan(1000);
      expect(await readdir(abortDir)).toEqual([]);
      expect(noProcessUses(abortDir)).toBe(true);
    });
  }

  it('renders a frame range as a video-only chunk that opens with a keyframe', async () => {
    const out = join(dir, 'chunk.mp4');
    const result = await renderFrames({
      source: testPatternSource({ width: 320, height: 180, fps: 30, frameCount: 60 }),
      format: 'mp4',
      out,
      range: [10, 40],
      workers: 1,
    });
    expect(result).toMatchObject({ frames: 30, range: [10, 40] });
    const info = await probeMedia(out);
    expect(info.video?.frameCount).toBe(30);
    expect(info.audio).toBeNull();
    expect((await keyframeIndices(out))[0]).toBe(0);
  });

  it('refuses a range outside the composition and GIF chunks', async () => {
    const source = testPatternSource({ width: 64, height: 36, fps: 30, frameCount: 10 });
    await expect(
      renderFrames({ source, format: 'mp4', out: join(dir, 'r.mp4'), range: [5, 11] }),
    ).rejects.toThrow(RangeError);
    await expect(
      renderFrames({ source, format: 'gif', out: join(dir, 'r.gif'), range: [0, 5] }),
    ).rejects.toThrow(/GIF cannot be rendered in chunks/);
  });
});

describe('renderVideo', () => {
  it('chunks rendered apart and joined equal a single pass (frames, duration, music)', async () => {
    const template = tinyTemplate();
    const single = join(dir, 'tiny-single.mp4');
    const whole = await renderVideo({ template, aspect: '16:9', format: 'mp4', out: single, workers: 1 });
    expect(whole.frames).toBe(48);
    const a = await verifyMedia(single, {
      format: 'mp4',
      frameCount: 48,
      fps: 30,
      width: 320,
      height: 180,
      audio: true,
    });

    const chunks = [join(dir, 'tiny-0.mp4'), join(dir, 'tiny-1.mp4')];
    await renderVideo({
      template,
      aspect: '16:9',
      format: 'mp4',
      out: chunks[0]!,
      range: [0, 17],
      workers: 1,
    });
    await renderVideo({
      template,
      aspect: '16:9',
      format: 'mp4',
      out: chunks[1]!,
      range: [17, 48],
      workers: 2,
    });
    const composition = resolveComposition(template, {}, '16:9', { locale: 'fa' });
    const joined = join(dir, 'tiny-joined.mp4');
    await joinChunks(chunks, { audio: audioMixOf(composition.audio, undefined) }, joined);
    const b = await verifyMedia(joined, {
      format: 'mp4',
      frameCount: 48,
      fps: 30,
      width: 320,
      height: 180,
      audio: true,
    });

    expect(b.video?.frameCount).toBe(a.video?.frameCount);
    expect(b.video?.duration).toBeCloseTo(a.video!.duration, 3);
    expect(b.audio?.duration).toBeCloseTo(a.audio!.duration, 2);
  });

  it('scales the resolution by drawing smaller', async () => {
    const out = join(dir, 'tiny-half.webm');
    const result = await renderVideo({
      template: tinyTemplate(),
      aspect: '1:1',
      format: 'webm',
      out,
      scale: 0.5,
    });
    expect(result).toMatchObject({ width: 120, height: 120, frames: 48 });
    await verifyMedia(out, { format: 'webm', frameCount: 48, fps: 30, width: 120, height: 120, audio: true });
  });
});
