import type { Canvas2D } from '../render/canvas.types';

/** What a draw worker draws: a fixed-size, fixed-rate sequence of frames. */
export interface FrameSource {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** Draws frame `frame` in source pixels on ctx's current transform (the worker sets scaling). */
  drawFrame(ctx: Canvas2D, frame: number): void | Promise<void>;
}

export type FrameSourceInfo = Omit<FrameSource, 'drawFrame'>;

/**
 * Names a frame source so a worker thread can build its own copy: a module (URL) exporting
 * `createFrameSource(input)`, and a structured-clonable input. Functions cannot cross threads, so
 * this is how a composition (template + values + options) reaches N workers.
 */
export interface FrameSourceRef<Input = unknown> {
  module: string;
  input: Input;
}

export type CreateFrameSource<Input> = (input: Input) => Promise<FrameSource>;
