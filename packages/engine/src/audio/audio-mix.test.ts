import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFfmpeg } from '../encode/ffmpeg-binary';
import { makeTempDir, writeToneWav } from '../encode/test-kit';
import { AudioTrackError, buildAudioGraph, escapeGraphValue, resolveAudioMix } from './audio-mix';
import { DEMO_MUSIC_FILE } from './demo-music';

const execFileAsync = promisify(execFile);

/** Runs a graph through the real ffmpeg and returns the mixed stereo samples (interleaved f32). */
async function runGraph(graph: string): Promise<Float32Array> {
  const { stdout } = await execFileAsync(
    findFfmpeg()!,
    [
      '-v',
      'error',
      '-filter_complex',
      `${graph}[aout]`,
      '-map',
      '[aout]',
      '-f',
      'f32le',
      '-ac',
      '2',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return new Float32Array(stdout.buffer, stdout.byteOffset, stdout.byteLength / 4);
}

function rms(samples: Float32Array, fromSec: number, toSec: number): number {
  let sum = 0;
  const a = Math.round(fromSec * 48_000) * 2;
  const b = Math.round(toSec * 48_000) * 2;
  for (let i = a; i < b; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / (b - a));
}

describe('audio mix', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir('flatrender-audio-'));
  });
  afterAll(() => cleanup());

  it('escapes filter-graph values for both parsing levels', () => {
    expect(escapeGraphValue('/tmp/a b.mp3')).toBe('/tmp/a b.mp3');
    expect(escapeGraphValue("/x/it's,[1];a:b\\c")).toBe("/x/it\\\\\\'s\\,\\[1\\]\\;a\\\\:b\\\\\\\\c");
  });

  it('reads files whose names need escaping, and fits the output to the video length exactly', async () => {
    const awkward = join(dir, "it's, [odd]; name: here.wav");
    await writeToneWav(awkward, 0.5, 440);
    const tracks = await resolveAudioMix({ voiceOver: { file: awkward, start: 0.25 } });
    const samples = await runGraph(buildAudioGraph(tracks, 1.5, 'aac'));
    // 1.5 s = 72000 samples, padded to whole 1024-sample AAC frames: 71 frames.
    expect(samples.length / 2).toBe(71 * 1024);
    expect(rms(samples, 0, 0.24)).toBe(0);
    expect(rms(samples, 0.3, 0.7)).toBeGreaterThan(0.2);
    expect(rms(samples, 0.8, 1.5)).toBe(0);
  });

  it('loops music to fill the video, fades it out and ducks it under the voice-over', async () => {
    const voice = await writeToneWav(join(dir, 'voice.wav'), 1, 880);
    const graph = buildAudioGraph(
      await resolveAudioMix({
        music: { file: DEMO_MUSIC_FILE, loop: true, volume: 1, fadeOut: 1, duck: 0.25 },
        voiceOver: { file: voice, start: 26, volume: 0 },
      }),
      30,
      'libopus',
    );
    const samples = await runGraph(graph);
    expect(samples.length / 2).toBe(Math.ceil((30 * 48_000) / 960) * 960);
    // The 19.2 s loop is still playing at 24 s (it looped); the voice (silent here) ducks it from
    // 25.7 s (0.3 s ramp) to 27.3 s; then the last second fades out.
    const open = rms(samples, 23, 25.5);
    const ducked = rms(samples, 26.1, 26.9);
    expect(open).toBeGreaterThan(0.05);
    expect(ducked / open).toBeGreaterThan(0.15);
    expect(ducked / open).toBeLessThan(0.35);
    expect(rms(samples, 29.95, 30)).toBeLessThan(open * 0.05);
  });

  it('mixes at full level: two tracks are summed, not averaged', async () => {
    const a = await writeToneWav(join(dir, 'a.wav'), 1, 300);
    const alone = await runGraph(
      buildAudioGraph(await resolveAudioMix({ voiceOver: { file: a } }), 1, 'aac'),
    );
    const copy = join(dir, 'a-copy.wav');
    await copyFile(a, copy);
    const both = await runGraph(
      buildAudioGraph(await resolveAudioMix({ music: { file: a }, voiceOver: { file: copy } }), 1, 'aac'),
    );
    expect(rms(both, 0.1, 0.9) / rms(alone, 0.1, 0.9)).toBeCloseTo(2, 1);
  });

  it('refuses missing files and out-of-range settings before any render', async () => {
    await expect(resolveAudioMix({ music: { file: join(dir, 'nope.mp3') } })).rejects.toThrow(
      AudioTrackError,
    );
    await expect(resolveAudioMix({ music: { file: DEMO_MUSIC_FILE, volume: 9 } })).rejects.toThrow(/volume/);
    await expect(resolveAudioMix({ music: { file: DEMO_MUSIC_FILE, fadeIn: -1 } })).rejects.toThrow(/fadeIn/);
  });
});
