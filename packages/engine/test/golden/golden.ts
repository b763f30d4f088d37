import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Canvas, createCanvas, loadImage } from '@napi-rs/canvas';

/*
 * Golden images: a frame is compared with a stored PNG pixel by pixel. A pixel differs when any
 * channel differs by more than CHANNEL_TOLERANCE; a golden fails when more than
 * MAX_DIFFERING_FRACTION of its pixels differ (anti-aliasing may move slightly between Skia
 * builds; layout, colour or text changes move far more). `UPDATE_GOLDENS=1` rewrites them.
 */
export const CHANNEL_TOLERANCE = 24;
export const MAX_DIFFERING_FRACTION = 0.003;

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'images');
const updating = process.env.UPDATE_GOLDENS === '1';

export interface GoldenResult {
  differing: number;
  total: number;
  written: boolean;
}

function rgba(canvas: Canvas): Uint8ClampedArray {
  return canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
}

/** Pixels whose channels differ by more than CHANNEL_TOLERANCE. */
export function differingPixels(actual: Canvas, expected: Canvas): number {
  const a = rgba(actual);
  const b = rgba(expected);
  if (a.length !== b.length) return Math.max(a.length, b.length) / 4;
  let differing = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (
      Math.abs(a[i]! - b[i]!) > CHANNEL_TOLERANCE ||
      Math.abs(a[i + 1]! - b[i + 1]!) > CHANNEL_TOLERANCE ||
      Math.abs(a[i + 2]! - b[i + 2]!) > CHANNEL_TOLERANCE ||
      Math.abs(a[i + 3]! - b[i + 3]!) > CHANNEL_TOLERANCE
    )
      differing++;
  }
  return differing;
}

/** Whether two frames count as the same image. */
export function matches(actual: Canvas, expected: Canvas): boolean {
  return differingPixels(actual, expected) <= actual.width * actual.height * MAX_DIFFERING_FRACTION;
}

export async function compareWithGolden(name: string, canvas: Canvas): Promise<GoldenResult> {
  const file = join(GOLDEN_DIR, `${name}.png`);
  const png = canvas.toBuffer('image/png');
  if (updating) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, png);
    return { differing: 0, total: canvas.width * canvas.height, written: true };
  }
  if (!existsSync(file))
    throw new Error(`golden ${name}.png is missing; run UPDATE_GOLDENS=1 npx vitest run packages/engine`);
  const stored = await loadImage(readFileSync(file));
  if (stored.width !== canvas.width || stored.height !== canvas.height)
    throw new Error(
      `golden ${name}: size ${canvas.width}x${canvas.height} differs from stored ${stored.width}x${stored.height}`,
    );
  const expected = createCanvas(stored.width, stored.height);
  expected.getContext('2d').drawImage(stored, 0, 0);
  const differing = differingPixels(canvas, expected);
  const total = canvas.width * canvas.height;
  if (differing > total * MAX_DIFFERING_FRACTION) {
    // Keep the actual frame for a look (outside the repository).
    const out = join(tmpdir(), 'flatrender-goldens', `${name}.actual.png`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, png);
    throw new Error(
      `golden ${name}: ${differing} of ${total} pixels differ (allowed ${Math.floor(total * MAX_DIFFERING_FRACTION)}); actual frame written to ${out}`,
    );
  }
  return { differing, total, written: false };
}
