import type { Canvas } from '@napi-rs/canvas';
import {
  type Aspect,
  type FieldValues,
  type Locale,
  prepareComposition,
  type Template,
} from '../../src/index';
import { canvasContext, createCanvas, nodeRenderOptions } from '../../src/node/index';

/** Goldens are drawn at a quarter of the output size (ctx.scale), which keeps the files small. */
export const GOLDEN_SCALE = 0.25;

export async function renderAt(
  template: Template,
  aspect: Aspect,
  seconds: number | 'middle',
  locale: Locale,
  values: FieldValues = {},
): Promise<Canvas> {
  const comp = await prepareComposition(template, values, aspect, nodeRenderOptions(locale));
  const { width, height, durationSeconds } = comp.composition;
  const canvas = createCanvas(Math.round(width * GOLDEN_SCALE), Math.round(height * GOLDEN_SCALE));
  const ctx = canvasContext(canvas);
  ctx.scale(GOLDEN_SCALE, GOLDEN_SCALE);
  comp.drawAt(ctx, seconds === 'middle' ? durationSeconds / 2 : seconds);
  return canvas;
}
