import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DiskBlobStore } from '@flatrender/platform';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ItemExpectation, OutputRejectedError, OutputVerifier } from './output-verifier';

describe('OutputVerifier: stills', () => {
  let dir: string;
  let blobs: DiskBlobStore;
  let verifier: OutputVerifier;
  const photo = (format: 'jpeg' | 'png') =>
    sharp({ create: { width: 320, height: 180, channels: 3, background: '#3366cc' } })
      .toFormat(format)
      .toBuffer();
  const store = async (
    key: string,
    bytes: Buffer,
  ): Promise<Pick<ItemExpectation, 'size_bytes' | 'content_hash'>> => {
    await blobs.put(key, bytes, { contentType: 'application/octet-stream' });
    return { size_bytes: bytes.length, content_hash: createHash('sha256').update(bytes).digest('hex') };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'output-verifier-'));
    blobs = new DiskBlobStore({
      root: path.join(dir, 'blobs'),
      publicUrl: 'http://localhost',
      secret: 's'.repeat(32),
    });
    verifier = new OutputVerifier(blobs, path.join(dir, 'work'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a still of the format and size asked for and reports its size', async () => {
    const described = await store('renders/a/still.jpg', await photo('jpeg'));
    const { fetched, info } = await verifier.verify('renders/a/still.jpg', {
      kind: 'still',
      format: 'jpg',
      width: 320,
      height: 180,
      ...described,
    });
    await rm(fetched.file, { force: true });
    expect(info.video).toEqual({ codec: 'mjpeg', width: 320, height: 180, frameCount: 1 });
  });

  // A noisy picture: its last rows are real entropy-coded data, not a run of one colour.
  it.each(['jpeg', 'png'] as const)('refuses a %s still missing only its last bytes', async (format) => {
    const whole = await sharp({
      create: {
        width: 1920,
        height: 1080,
        channels: 3,
        background: '#000000',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .toFormat(format)
      .toBuffer();
    const cut = whole.subarray(0, Math.floor(whole.length * 0.98));
    const ext = format === 'jpeg' ? 'jpg' : 'png';
    const key = `renders/b/still.${ext}`;
    const described = await store(key, cut);
    await expect(
      verifier.verify(key, {
        kind: 'still',
        format: ext,
        width: 1920,
        height: 1080,
        ...described,
      }),
    ).rejects.toThrow(/cannot be decoded/);
  });

  it('refuses another format or size than asked for, naming what is wrong', async () => {
    const described = await store('renders/c/still.jpg', await photo('png'));
    const error = await verifier
      .verify('renders/c/still.jpg', { kind: 'still', format: 'jpg', width: 640, height: 180, ...described })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputRejectedError);
    expect((error as Error).message).toBe(
      'the output failed verification: format png, expected jpeg; width 320, expected 640',
    );
  });
});
