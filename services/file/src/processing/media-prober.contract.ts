import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaSamples, makeMediaSamples } from '../../test/fixtures';
import { MediaProbeFailedError, type MediaProber } from './media-prober';

/** The one suite every MediaProber passes (run by each adapter's test file). */
export function mediaProberContract(name: string, create: () => MediaProber): void {
  describe(`MediaProber contract: ${name}`, () => {
    let dir: string;
    let samples: MediaSamples;
    const prober = create();
    const probe = (file: string) => prober.probe(file, { timeoutMs: 20_000 });

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'fr-probe-'));
      samples = await makeMediaSamples(dir);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('reads an MP4 with H.264 video and AAC sound', async () => {
      const info = await probe(samples.mp4);
      expect(info.container).toContain('mp4');
      expect(info.video).toMatchObject({ codec: 'h264', width: 64, height: 48 });
      expect(info.video?.fps).toBeCloseTo(10, 0);
      expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 44100, channels: 1 });
      expect(info.durationSeconds).toBeGreaterThan(0.9);
      expect(info.durationSeconds).toBeLessThan(1.2);
    });

    it('reads a WebM with VP9 and Opus', async () => {
      const info = await probe(samples.webm);
      expect(info.container).toContain('webm');
      expect(info.video).toMatchObject({ codec: 'vp9', width: 64, height: 48 });
      expect(info.audio?.codec).toBe('opus');
    });

    it('reads sound-only files', async () => {
      for (const [file, codec] of [
        [samples.mp3, 'mp3'],
        [samples.wav, 'pcm_s16le'],
        [samples.ogg, 'vorbis'],
        [samples.mp4AudioOnly, 'aac'],
      ] as const) {
        const info = await probe(file);
        expect(info.video, file).toBeNull();
        expect(info.audio?.codec, file).toBe(codec);
        expect(info.durationSeconds, file).toBeGreaterThan(0.9);
      }
    });

    it('fails on content no demuxer reads', async () => {
      const junk = path.join(dir, 'junk.mp4');
      await writeFile(junk, Buffer.alloc(2048, 7));
      await expect(probe(junk)).rejects.toBeInstanceOf(MediaProbeFailedError);
    });
  });
}
