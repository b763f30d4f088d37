import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { animatedGif, CLEAN_SVG, EXIF_SECRET, jpegWithExif, pixelFloodPng, png } from '../../test/fixtures';
import { ImageRejectedError, processImage, rasterizeSvg } from './image.processor';

const limits = { maxPixels: 10_000_000, maxAnimationPixels: 50_000_000, thumbnailPx: 32 };

describe('image processing', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fr-image-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const input = async (bytes: Buffer) => {
    const file = path.join(dir, 'in');
    await writeFile(file, bytes);
    return file;
  };

  it('re-encodes a JPEG oriented as its EXIF said and without any EXIF', async () => {
    const original = await jpegWithExif(80, 40);
    expect(original.includes(Buffer.from(EXIF_SECRET))).toBe(true);
    const result = await processImage(await input(original), 'jpg', dir, limits);
    const meta = await sharp(result.path).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect([result.width, result.height]).toEqual([40, 80]);
    expect(result.thumbnail).toMatchObject({ mime: 'image/webp', width: 16, height: 32 });
  });

  it('refuses a pixel flood from its header, before decoding', async () => {
    const error = await processImage(await input(pixelFloodPng(30000, 30000)), 'png', dir, limits).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ImageRejectedError);
    expect(error).toMatchObject({ problem: 'too_many_pixels' });
    expect(error.message).toContain('30000x30000');
  });

  it('counts every frame of an animation against the animation limit', async () => {
    const gif = await animatedGif(4, 16);
    const ok = await processImage(await input(gif), 'gif', dir, limits);
    expect(ok).toMatchObject({ width: 16, height: 16, frames: 4 });
    expect((await sharp(ok.path, { animated: true }).metadata()).pages).toBe(4);
    await expect(
      processImage(await input(gif), 'gif', dir, { ...limits, maxAnimationPixels: 16 * 16 * 3 }),
    ).rejects.toMatchObject({
      problem: 'too_many_pixels',
    });
  });

  it('refuses a truncated image as corrupt', async () => {
    const whole = await png(300, 300);
    await expect(processImage(await input(whole.subarray(0, 60)), 'png', dir, limits)).rejects.toMatchObject({
      problem: 'corrupt',
    });
  });

  it('measures an SVG and draws its thumbnail at the thumbnail size whatever it declares', async () => {
    const huge = CLEAN_SVG.replace('width="100" height="50"', 'width="100000" height="50000"');
    const result = await rasterizeSvg(Buffer.from(huge), dir, limits);
    expect([result.width, result.height]).toEqual([100000, 50000]);
    expect(result.thumbnail.width).toBeLessThanOrEqual(32);
  });
});
