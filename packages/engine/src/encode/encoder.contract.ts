/**
 * The one contract every encoder driver passes (run by ffmpeg-cli.encoder.test.ts and
 * node-av.encoder.test.ts). Outputs are checked with ffprobe and by decoding pixels back.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MUSIC_FILE } from '../audio/demo-music';
import { patchCentre, TEST_PATTERN_COLORS } from '../pipeline/test-pattern.source';
import type { VideoFormat } from './encode-settings';
import { createEncoder, type EncoderDriver, type EncoderDriverName, type VideoEncodeSpec } from './encoder';
import { probeMedia } from './probe-media';
import {
  decodeRgbFrame,
  frameHashes,
  hexToRgb,
  keyframeIndices,
  makeTempDir,
  patternFrames,
  rgbAt,
  videoPackets,
  writeToneWav,
} from './test-kit';
import { MediaVerificationError, verifyMedia } from './verify-media';

const W = 320;
const H = 180;
const FPS = 30;

export function encoderContract(
  name: EncoderDriverName,
  options: { processGone?: (dir: string) => boolean } = {},
) {
  describe(`encoder contract: ${name}`, () => {
    let driver: EncoderDriver;
    let dir: string;
    let cleanup: () => Promise<void>;
    let voice: string;
    const frames = patternFrames(W, H, FPS);

    beforeAll(async () => {
      driver = await createEncoder({ driver: name });
      ({ dir, cleanup } = await makeTempDir(`flatrender-${name}-`));
      voice = await writeToneWav(join(dir, 'voice.wav'), 0.4, 660);
    });
    afterAll(() => cleanup());

    async function encode(
      spec: Partial<VideoEncodeSpec> & { out: string; format: VideoFormat },
      count = FPS,
    ) {
      const encoder = await driver.open({ width: W, height: H, fps: FPS, ...spec });
      for (let i = 0; i < count; i++) await encoder.write(frames[i % frames.length]!.slice());
      return encoder.finish();
    }

    it('opens the driver it was asked for', () => {
      expect(driver.name).toBe(name);
    });

    it('writes MP4: H.264 High, yuv420p, BT.709 tags, one second of frames, faststart', async () => {
      const out = join(dir, 'plain.mp4');
      const result = await encode({ out, format: 'mp4' });
      expect(result).toMatchObject({ out, frames: FPS, driver: name });
      const info = await probeMedia(out);
      expect(info.video).toMatchObject({
        codec: 'h264',
        profile: 'High',
        pixFmt: 'yuv420p',
        colorSpace: 'bt709',
        colorTransfer: 'bt709',
        colorPrimaries: 'bt709',
        colorRange: 'tv',
        width: W,
        height: H,
        fps: FPS,
        frameCount: FPS,
      });
      expect(Math.abs(info.video!.duration - 1)).toBeLessThanOrEqual(1 / FPS);
      expect(info.audio).toBeNull();
      // +faststart: the index (moov) precedes the media data, so playback starts before download ends.
      const head = (await readFile(out)).subarray(0, 4096).toString('latin1');
      expect(head.indexOf('moov')).toBeGreaterThan(-1);
      expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? 4096 : head.indexOf('mdat'));
    });

    it('writes MP4 with music and voice-over as AAC, as long as the video', async () => {
      const out = join(dir, 'audio.mp4');
      await encode({
        out,
        format: 'mp4',
        audio: {
          music: { file: DEMO_MUSIC_FILE, volume: 0.6, fadeOut: 0.3, loop: true, duck: 0.4 },
          voiceOver: { file: voice, start: 0.2 },
        },
      });
      const info = await verifyMedia(out, {
        format: 'mp4',
        frameCount: FPS,
        fps: FPS,
        width: W,
        height: H,
        audio: true,
      });
      expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 48_000, channels: 2 });
    });

    it('writes WebM: VP9 yuv420p with BT.709 tags and Opus audio', async () => {
      const out = join(dir, 'clip.webm');
      await encode({ out, format: 'webm', audio: { voiceOver: { file: voice } } });
      const info = await verifyMedia(out, { format: 'webm', frameCount: FPS, fps: FPS, audio: true });
      expect(info.video).toMatchObject({
        codec: 'vp9',
        pixFmt: 'yuv420p',
        colorSpace: 'bt709',
        width: W,
        height: H,
      });
      expect(info.audio).toMatchObject({ codec: 'opus', sampleRate: 48_000 });
    });

    it('writes GIF with a palette, resampled to 15 fps, looping', async () => {
      const out = join(dir, 'clip.gif');
      await encode({ out, format: 'gif' });
      const info = await verifyMedia(out, { format: 'gif', frameCount: FPS, fps: FPS, width: W, height: H });
      expect(info.video?.frameCount).toBe(15);
      // NETSCAPE2.0 application extension = loop forever.
      expect((await readFile(out)).includes(Buffer.from('NETSCAPE2.0'))).toBe(true);
    });

    it('decodes known colour patches within 3/255 from the MP4 (BT.709 matrix, not only tags)', async () => {
      const out = join(dir, 'colour.mp4');
      await encode({ out, format: 'mp4', quality: 'standard' });
      const rgb = await decodeRgbFrame(out, 10);
      TEST_PATTERN_COLORS.forEach((hex, i) => {
        const { x, y } = patchCentre(i, W, H);
        const got = rgbAt(rgb, W, x, y);
        const want = hexToRgb(hex);
        for (const [c, v] of got.entries()) {
          expect(Math.abs(v - want[c]!), `${hex} channel ${c}: got ${got}`).toBeLessThanOrEqual(3);
        }
      });
    });

    it('scales the resolution on request', async () => {
      const out = join(dir, 'small.mp4');
      await encode({ out, format: 'mp4', size: { width: 160, height: 90 } }, 10);
      const info = await probeMedia(out);
      expect(info.video).toMatchObject({ width: 160, height: 90, frameCount: 10 });
    });

    it('hands every frame buffer back through release() for reuse', async () => {
      const released: ArrayBuffer[] = [];
      const encoder = await driver.open({
        out: join(dir, 'release.mp4'),
        format: 'mp4',
        width: W,
        height: H,
        fps: FPS,
      });
      for (let i = 0; i < 6; i++) await encoder.write(frames[i]!.slice(), (buffer) => released.push(buffer));
      await encoder.finish();
      expect(released).toHaveLength(6);
      for (const buffer of released) expect(buffer.byteLength).toBe(W * H * 4);
    });

    it('rejects a frame of the wrong size', async () => {
      const encoder = await driver.open({
        out: join(dir, 'bad.mp4'),
        format: 'mp4',
        width: W,
        height: H,
        fps: FPS,
      });
      await expect(encoder.write(new Uint8Array(10))).rejects.toThrow(RangeError);
      await encoder.abort();
    });

    it('abort() stops the encoder within a second and leaves no file behind', async () => {
      const abortDir = join(dir, 'abort');
      await import('node:fs/promises').then((fs) => fs.mkdir(abortDir));
      const out = join(abortDir, 'aborted.mp4');
      const encoder = await driver.open({ out, format: 'mp4', width: W, height: H, fps: FPS });
      for (let i = 0; i < 10; i++) await encoder.write(frames[i]!.slice());
      const started = performance.now();
      await encoder.abort();
      expect(performance.now() - started).toBeLessThan(1000);
      await expect(encoder.write(frames[0]!.slice())).rejects.toMatchObject({ name: 'AbortError' });
      await expect(encoder.finish()).rejects.toMatchObject({ name: 'AbortError' });
      expect(await readdir(abortDir)).toEqual([]);
      if (options.processGone) expect(options.processGone(abortDir)).toBe(true);
    });

    it('creates the output directory when it is missing', async () => {
      const out = join(dir, 'new', 'nested', 'x.mp4');
      await encode({ out, format: 'mp4' }, 3);
      expect((await probeMedia(out)).video?.frameCount).toBe(3);
    });

    it('reports a failure instead of producing a file', async () => {
      // A regular file where a directory should be: no driver can write there.
      const out = join(dir, 'voice.wav', 'x.mp4');
      const run = async () => {
        const encoder = await driver.open({ out, format: 'mp4', width: W, height: H, fps: FPS });
        for (let i = 0; i < 5; i++) await encoder.write(frames[i]!.slice());
        await encoder.finish();
      };
      await expect(run()).rejects.toThrow();
      expect(existsSync(out)).toBe(false);
    });

    it('joins chunks without re-encoding into what a single pass gives (frames, duration, keyframes)', async () => {
      const total = 75;
      const bounds = [0, 25, 44, 75];
      const single = join(dir, 'single.mp4');
      const encoder = await driver.open({ out: single, format: 'mp4', width: W, height: H, fps: FPS });
      const longFrames = patternFrames(W, H, total);
      for (const f of longFrames) await encoder.write(f.slice());
      await encoder.finish();

      const chunks: string[] = [];
      for (let c = 0; c + 1 < bounds.length; c++) {
        const chunk = join(dir, `chunk-${c}.mp4`);
        const e = await driver.open({ out: chunk, format: 'mp4', width: W, height: H, fps: FPS });
        for (let i = bounds[c]!; i < bounds[c + 1]!; i++) await e.write(longFrames[i]!.slice());
        await e.finish();
        expect((await keyframeIndices(chunk))[0]).toBe(0);
        chunks.push(chunk);
      }
      const joined = join(dir, 'joined.mp4');
      const audio = { music: { file: DEMO_MUSIC_FILE, loop: true, fadeOut: 0.5 } };
      await driver.joinChunks(chunks, { format: 'mp4', audio }, joined);

      const a = await probeMedia(single);
      const b = await verifyMedia(joined, { format: 'mp4', frameCount: total, fps: FPS, audio: true });
      expect(b.video?.frameCount).toBe(a.video?.frameCount);
      expect(b.video?.duration).toBeCloseTo(a.video!.duration, 3);
      // Every chunk boundary is a keyframe in the joined file: the video was copied, not re-encoded.
      const keys = await keyframeIndices(joined);
      for (const boundary of bounds.slice(0, -1)) expect(keys).toContain(boundary);
      // Not re-encoded: the joined file decodes to exactly the chunks' pixels, frame by frame. (Packets
      // are the chunks' own; the concat demuxer only repeats SPS/PPS in-band at each chunk start.)
      const chunkFrames = (await Promise.all(chunks.map(frameHashes))).flat();
      expect(await frameHashes(joined)).toEqual(chunkFrames);
      const chunkPackets = (await Promise.all(chunks.map(videoPackets))).flat();
      const joinedPackets = await videoPackets(joined);
      joinedPackets.forEach((p, i) => {
        if (!bounds.includes(i)) expect(p.size).toBe(chunkPackets[i]!.size);
      });
    });

    it('refuses to join chunks that differ in size', async () => {
      const a = join(dir, 'join-a.mp4');
      const b = join(dir, 'join-b.mp4');
      await encode({ out: a, format: 'mp4' }, 5);
      await encode({ out: b, format: 'mp4', size: { width: 160, height: 90 } }, 5);
      await expect(driver.joinChunks([a, b], { format: 'mp4' }, join(dir, 'join-ab.mp4'))).rejects.toThrow(
        /expected h264 320x180/,
      );
    });

    it('a truncated output fails probe-based verification', async () => {
      const out = join(dir, 'whole.mp4');
      await encode({ out, format: 'mp4' });
      const bytes = await readFile(out);
      const truncated = join(dir, 'truncated.mp4');
      await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      await expect(verifyMedia(out, { format: 'mp4', frameCount: FPS, fps: FPS })).resolves.toBeDefined();
      await expect(
        verifyMedia(truncated, { format: 'mp4', frameCount: FPS, fps: FPS }),
      ).rejects.toBeInstanceOf(MediaVerificationError);
    });
  });
}
