import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fontFile,
  HOSTILE_SVG,
  jpegWithExif,
  type MediaSamples,
  makeMediaSamples,
  pixelFloodPng,
  png,
  windowsExe,
} from '../../test/fixtures';
import { UploadRefusedError } from '../domain/upload-refusal';
import { FfprobeProber } from './ffprobe.prober';
import { type IngestOptions, ingestUpload } from './ingest';
import { findBinary } from './media-prober';

const MIB = 1024 * 1024;
const options: IngestOptions = {
  purpose: 'project_asset',
  sizeLimits: { image: 5 * MIB, svg: 64 * 1024, video: 20 * MIB, audio: 20 * MIB, font: 5 * MIB },
  maxUploadBytes: 50 * MIB,
  remainingQuotaBytes: 100 * MIB,
  image: { maxPixels: 10_000_000, maxAnimationPixels: 50_000_000, thumbnailPx: 64 },
  prober: new FfprobeProber(findBinary('ffprobe') ?? 'ffprobe'),
  ffmpeg: findBinary('ffmpeg'),
  timeoutMs: 20_000,
};

/** Streams `bytes` in small chunks, as a network upload arrives. */
function upload(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 1000) chunks.push(bytes.subarray(i, i + 1000));
  return Readable.from(chunks);
}

describe('ingestUpload', () => {
  let media: string;
  let samples: MediaSamples;
  let dir: string;
  beforeAll(async () => {
    media = await mkdtemp(path.join(os.tmpdir(), 'fr-ingest-media-'));
    samples = await makeMediaSamples(media);
  });
  afterAll(() => rm(media, { recursive: true, force: true }));
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fr-ingest-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const refusal = (bytes: Buffer, extra: Partial<IngestOptions> = {}) =>
    ingestUpload(upload(bytes), dir, { ...options, ...extra }).then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(UploadRefusedError);
        return error as UploadRefusedError;
      },
    );

  it('refuses an executable whatever it is called, naming what it is', async () => {
    const error = await refusal(windowsExe());
    expect(error).toMatchObject({ code: 'unsupported_type', status: 415 });
    expect(error.message).toContain('application/x-msdownload (.exe)');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses text, empty files and formats outside the list (WOFF 1)', async () => {
    expect((await refusal(Buffer.from('just some text'))).code).toBe('unsupported_type');
    expect((await refusal(Buffer.alloc(0))).code).toBe('unsupported_type');
    expect((await refusal(await fontFile('woff'))).message).toContain('font/woff');
  });

  it('refuses a file over its type limit while it streams in', async () => {
    const big = await sharp({
      create: {
        width: 600,
        height: 600,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    const error = await refusal(big, { sizeLimits: { ...options.sizeLimits, image: 100_000 } });
    expect(error).toMatchObject({ code: 'too_large', status: 413, details: { limit_bytes: 100_000 } });
  });

  it('refuses what does not fit the remaining quota as quota_exceeded', async () => {
    const error = await refusal(await png(200, 200), { remainingQuotaBytes: 50 });
    expect(error).toMatchObject({ code: 'quota_exceeded', status: 413 });
  });

  it('refuses a pixel flood and a type the purpose does not take', async () => {
    expect(await refusal(pixelFloodPng())).toMatchObject({ code: 'too_many_pixels', status: 422 });
    expect(await refusal(await png(), { purpose: 'font' })).toMatchObject({
      code: 'type_mismatch',
      status: 415,
    });
  });

  it('stores images re-encoded without metadata, with hashes of both versions', async () => {
    const original = await jpegWithExif(80, 40);
    const result = await ingestUpload(upload(original), dir, options);
    expect(result).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 40, height: 80 });
    expect(result.original.size).toBe(original.length);
    expect(result.stored.sha256).not.toBe(result.original.sha256);
    expect((await sharp(result.stored.path).metadata()).exif).toBeUndefined();
    expect(result.variants.map((v) => v.name)).toEqual(['thumbnail']);
  });

  it('stores a script-bearing SVG sanitised', async () => {
    const result = await ingestUpload(upload(Buffer.from(HOSTILE_SVG)), dir, options);
    const stored = await readFile(result.stored.path, 'utf8');
    expect(result).toMatchObject({ kind: 'svg', mime: 'image/svg+xml', width: 120, height: 60 });
    expect(stored).not.toMatch(/script|onload|evil\.example|foreignObject/i);
    expect(result.details.removed).toEqual(expect.arrayContaining(['script', '@onload']));
  });

  it('probes video (with a thumbnail) and tells sound-only MP4 from video', async () => {
    const video = await ingestUpload(upload(await readFile(samples.mp4)), dir, options);
    expect(video).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 64, height: 48 });
    expect(video.durationSeconds).toBeGreaterThan(0.9);
    expect(video.variants[0]).toMatchObject({ name: 'thumbnail', mime: 'image/webp', width: 64, height: 48 });
    await rm(dir, { recursive: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'fr-ingest-'));
    const sound = await ingestUpload(upload(await readFile(samples.mp4AudioOnly)), dir, options);
    expect(sound).toMatchObject({ kind: 'audio', mime: 'audio/mp4', width: null, variants: [] });
  });

  it('refuses media whose header promises what the body does not hold', async () => {
    const mp4 = await readFile(samples.mp4);
    const broken = Buffer.concat([mp4.subarray(0, 64), Buffer.alloc(4096, 1)]);
    expect(await refusal(broken)).toMatchObject({ code: 'corrupt', status: 422 });
  });

  it('records fonts as fonts', async () => {
    const ttf = await ingestUpload(upload(await fontFile('ttf')), dir, { ...options, purpose: 'font' });
    expect(ttf).toMatchObject({ kind: 'font', mime: 'font/ttf', variants: [] });
    expect(ttf.stored.sha256).toBe(ttf.original.sha256);
  });
});
