import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MUSIC_FILE } from '../audio/demo-music';
import { createEncoder } from './encoder';
import { MediaProbeError, probeMedia } from './probe-media';
import { makeTempDir, patternFrames } from './test-kit';

describe('probeMedia', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir('flatrender-probe-'));
    file = join(dir, 'clip.mp4');
    const encoder = await (await createEncoder({ driver: 'ffmpeg' })).open({
      out: file,
      format: 'mp4',
      width: 320,
      height: 180,
      fps: 25,
      audio: { music: { file: DEMO_MUSIC_FILE, loop: true } },
    });
    for (const frame of patternFrames(320, 180, 50)) await encoder.write(frame);
    await encoder.finish();
  });
  afterAll(() => cleanup());

  it('ffprobe and the node-av fallback describe a file the same way', async () => {
    const a = await probeMedia(file, { prober: 'ffprobe' });
    const b = await probeMedia(file, { prober: 'node-av' });
    expect(a.prober).toBe('ffprobe');
    expect(b.prober).toBe('node-av');
    expect(b.video).toEqual({ ...a.video, duration: b.video!.duration });
    expect(b.video!.duration).toBeCloseTo(a.video!.duration, 2);
    expect(a.video).toMatchObject({
      codec: 'h264',
      profile: 'High',
      frameCount: 50,
      fps: 25,
      colorSpace: 'bt709',
    });
    expect(b.audio).toMatchObject({ codec: 'aac', sampleRate: 48_000, channels: 2 });
    expect(b.audio!.duration).toBeCloseTo(a.audio!.duration, 1);
  });

  it('fails clearly on a file that is not media', async () => {
    await expect(probeMedia(import.meta.filename ?? __filename, { prober: 'ffprobe' })).rejects.toThrow(
      MediaProbeError,
    );
    await expect(probeMedia(join(dir, 'missing.mp4'))).rejects.toThrow(/ENOENT/);
  });
});
