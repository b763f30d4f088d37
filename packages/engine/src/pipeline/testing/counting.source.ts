import type { FrameSource, FrameSourceRef } from '../frame-source';

/**
 * A test frame source: frame i is a flat grey of level `(i * step) % 256`, so the order of decoded
 * frames can be read back; every draw increments `drawn[0]` (shared with the test thread) so tests
 * can see how far ahead of the consumer the workers have drawn.
 */
export interface CountingInput {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  step: number;
  drawn: Int32Array;
}

export async function createFrameSource(input: CountingInput): Promise<FrameSource> {
  return {
    width: input.width,
    height: input.height,
    fps: input.fps,
    frameCount: input.frameCount,
    drawFrame(ctx, frame) {
      const level = (frame * input.step) % 256;
      ctx.fillStyle = `rgb(${level}, ${level}, ${level})`;
      ctx.fillRect(0, 0, input.width, input.height);
      Atomics.add(input.drawn, 0, 1);
    },
  };
}

export function countingSource(input: Omit<CountingInput, 'drawn'>): {
  ref: FrameSourceRef<CountingInput>;
  drawn: Int32Array;
} {
  const drawn = new Int32Array(new SharedArrayBuffer(4));
  return { ref: { module: import.meta.url, input: { ...input, drawn } }, drawn };
}
