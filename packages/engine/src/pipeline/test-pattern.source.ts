import type { Canvas2D } from '../render/canvas.types';
import type { FrameSource, FrameSourceRef } from './frame-source';

/**
 * A synthetic frame source: known colour patches (for colour-accuracy checks after encoding) over a
 * strip with a moving square (so frames differ and motion is encoded). Used by the encoder tests and
 * by the encode-only benchmark; it needs no fonts or assets.
 */
export interface TestPatternInput {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
}

/** Patch colours, laid out 4 x 2 over the top 5/6 of the frame. */
export const TEST_PATTERN_COLORS = [
  '#e94560',
  '#ff0000',
  '#00ff00',
  '#0000ff',
  '#ffffff',
  '#808080',
  '#202020',
  '#1a73e8',
] as const;

/** Centre of patch `i` in a width x height frame (where to sample a decoded frame). */
export function patchCentre(i: number, width: number, height: number): { x: number; y: number } {
  const patchW = width / 4;
  const patchH = (height * 5) / 6 / 2;
  return {
    x: Math.floor((i % 4) * patchW + patchW / 2),
    y: Math.floor(Math.floor(i / 4) * patchH + patchH / 2),
  };
}

export function drawTestPattern(
  ctx: Canvas2D,
  width: number,
  height: number,
  frame: number,
  frameCount: number,
): void {
  const patchW = width / 4;
  const patchH = (height * 5) / 6 / 2;
  TEST_PATTERN_COLORS.forEach((color, i) => {
    ctx.fillStyle = color;
    ctx.fillRect((i % 4) * patchW, Math.floor(i / 4) * patchH, patchW, patchH);
  });
  const stripY = patchH * 2;
  ctx.fillStyle = '#101018';
  ctx.fillRect(0, stripY, width, height - stripY);
  const side = height - stripY;
  const x = ((width - side) * frame) / Math.max(1, frameCount - 1);
  ctx.fillStyle = '#f5c518';
  ctx.fillRect(x, stripY, side, side);
}

export async function createFrameSource(input: TestPatternInput): Promise<FrameSource> {
  return {
    ...input,
    drawFrame(ctx, frame) {
      drawTestPattern(ctx, input.width, input.height, frame, input.frameCount);
    },
  };
}

export function testPatternSource(input: TestPatternInput): FrameSourceRef<TestPatternInput> {
  return { module: import.meta.url, input };
}
