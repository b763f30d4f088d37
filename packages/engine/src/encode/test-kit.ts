/**
 * Helpers shared by the encoder and pipeline tests and the benchmark: synthetic frames, decoding a
 * frame back to RGB the way a BT.709-aware player does, keyframe inspection, small audio fixtures.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCanvas } from '@napi-rs/canvas';
import { encodeWav } from '../audio/wav';
import { drawTestPattern } from '../pipeline/test-pattern.source';
import type { Canvas2D } from '../render/canvas.types';
import { findFfmpeg, findFfprobe } from './ffmpeg-binary';

const execFileAsync = promisify(execFile);

export async function makeTempDir(
  prefix = 'flatrender-test-',
): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Test-pattern frames as premultiplied RGBA from a Skia canvas, exactly what the pipeline feeds. */
export function patternFrames(width: number, height: number, count: number): Uint8Array[] {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d') as unknown as Canvas2D;
  return Array.from({ length: count }, (_, i) => {
    drawTestPattern(ctx, width, height, i, count);
    return new Uint8Array(canvas.data());
  });
}

/**
 * Decodes one frame to RGB24 with the BT.709 limited-range matrix, i.e. as a player honouring the
 * stream's colour tags would. A file converted with BT.601 but tagged 709 decodes shifted here.
 */
export async function decodeRgbFrame(file: string, frame: number): Promise<Buffer> {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) throw new Error('ffmpeg is needed to decode test outputs');
  const { stdout } = await execFileAsync(
    ffmpeg,
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      `select=eq(n\\,${frame}),scale=in_color_matrix=bt709:in_range=tv:flags=accurate_rnd+full_chroma_int,format=rgb24`,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** Every frame of a video decoded to RGB24 (BT.709 matrix), one Buffer per frame. */
export async function decodeAllRgb(file: string, width: number, height: number): Promise<Buffer[]> {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) throw new Error('ffmpeg is needed to decode test outputs');
  const { stdout } = await execFileAsync(
    ffmpeg,
    [
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-vf',
      'scale=in_color_matrix=bt709:in_range=tv,format=rgb24',
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
  );
  const size = width * height * 3;
  return Array.from({ length: Math.floor(stdout.length / size) }, (_, i) =>
    stdout.subarray(i * size, (i + 1) * size),
  );
}

/** MD5 of every decoded video frame, in order: equal lists mean pixel-identical videos. */
export async function frameHashes(file: string): Promise<string[]> {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) throw new Error('ffmpeg is needed to decode test outputs');
  const { stdout } = await execFileAsync(
    ffmpeg,
    ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', 'pipe:1'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)!.trim());
}

export function rgbAt(rgb: Buffer, width: number, x: number, y: number): [number, number, number] {
  const i = (y * width + x) * 3;
  return [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!];
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export interface PacketInfo {
  keyframe: boolean;
  size: number;
}

/** The video packets in decode order: keyframe flag and size. */
export async function videoPackets(file: string): Promise<PacketInfo[]> {
  const ffprobe = findFfprobe();
  if (!ffprobe) throw new Error('ffprobe is needed to inspect test outputs');
  const { stdout } = await execFileAsync(ffprobe, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=size,flags',
    '-of',
    'csv=p=0',
    file,
  ]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [size = '0', flags = ''] = line.split(',');
      return { keyframe: flags.startsWith('K'), size: Number(size) };
    });
}

/** Indices of the video packets flagged as keyframes, in decode order. */
export async function keyframeIndices(file: string): Promise<number[]> {
  return (await videoPackets(file)).flatMap((p, i) => (p.keyframe ? [i] : []));
}

/** A sine tone WAV (a stand-in voice-over or music bed). */
export async function writeToneWav(
  file: string,
  seconds: number,
  frequency: number,
  sampleRate = 44_100,
): Promise<string> {
  const n = Math.round(seconds * sampleRate);
  const channel = new Float32Array(n);
  for (let i = 0; i < n; i++) channel[i] = 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  await writeFile(file, encodeWav([channel], sampleRate));
  return file;
}
