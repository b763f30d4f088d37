import type { SKRSContext2D } from '@napi-rs/canvas';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { canvasContext, createCanvas } from '../node/index';
import type { Canvas2D } from './canvas.types';

describe('Canvas2D', () => {
  it('is satisfied by the browser context and by Skia', () => {
    expectTypeOf<CanvasRenderingContext2D>().toExtend<Canvas2D>();
    expectTypeOf<OffscreenCanvasRenderingContext2D>().toExtend<Canvas2D>();
    expectTypeOf<SKRSContext2D>().toExtend<Canvas2D>();
    const ctx: Canvas2D = canvasContext(createCanvas(4, 4));
    expect(typeof ctx.measureText('x').width).toBe('number');
  });
});
