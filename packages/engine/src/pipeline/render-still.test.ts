import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { renderStill } from './render-still';
import { tinyTemplate } from './testing/tiny-template';

async function pixel(data: Buffer, x: number, y: number): Promise<number[]> {
  const image = await loadImage(data);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return [...ctx.getImageData(x, y, 1, 1).data];
}

describe('renderStill', () => {
  const template = tinyTemplate();

  it('renders a PNG of the frame at the given time', async () => {
    const still = await renderStill({ template, aspect: '16:9', time: 0.4, format: 'png' });
    expect(still).toMatchObject({ format: 'png', width: 320, height: 180, mimeType: 'image/png' });
    expect(still.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Left half is the brand colour field (default #e94560), right half the dark background.
    expect(await pixel(still.data, 80, 90)).toEqual([0xe9, 0x45, 0x60, 255]);
    expect(await pixel(still.data, 300, 10)).toEqual([0x10, 0x10, 0x18, 255]);
  });

  it('applies field values and resolution scaling', async () => {
    const still = await renderStill({
      template,
      aspect: '16:9',
      values: { fields: { brand: '#1a73e8' } },
      time: 0.4,
      format: 'png',
      scale: 0.5,
    });
    expect(still).toMatchObject({ width: 160, height: 90 });
    expect(await pixel(still.data, 40, 45)).toEqual([0x1a, 0x73, 0xe8, 255]);
  });

  it('renders a JPEG close to the PNG colours', async () => {
    const still = await renderStill({ template, aspect: '16:9', time: 0.4, format: 'jpg', quality: 'high' });
    expect(still.mimeType).toBe('image/jpeg');
    expect(still.data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const [r, g, b] = await pixel(still.data, 80, 90);
    for (const [got, want] of [
      [r, 0xe9],
      [g, 0x45],
      [b, 0x60],
    ] as const) {
      expect(Math.abs(got! - want)).toBeLessThanOrEqual(6);
    }
  });

  it('renders a self-contained SVG poster with text as paths', async () => {
    const still = await renderStill({ template, aspect: '16:9', time: 1.4, format: 'svg', out: undefined });
    const svg = still.data.toString('utf8');
    expect(still.mimeType).toBe('image/svg+xml');
    expect(svg).toMatch(/<svg[^>]*width="320"[^>]*height="180"/);
    // The Persian title is outlines: the file needs no font to look the same anywhere.
    expect(svg).not.toContain('<text');
    expect(svg).toContain('<path');
    // Nothing external: no links other than in-document references and data URIs.
    expect(svg).not.toMatch(/href="(?!#|data:)/);
  });
});
