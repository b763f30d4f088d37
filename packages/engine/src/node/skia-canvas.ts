import { type Canvas, createCanvas as skiaCanvas } from '@napi-rs/canvas';
import type { Canvas2D, SurfaceFactory } from '../render/canvas.types';

/** A Skia canvas (@napi-rs/canvas). */
export function createCanvas(width: number, height: number): Canvas {
  return skiaCanvas(width, height);
}

/** The engine's view of a Skia canvas's 2D context. */
export function canvasContext(canvas: Canvas): Canvas2D {
  return canvas.getContext('2d') as unknown as Canvas2D;
}

/** Offscreen surfaces for prepareComposition on render nodes. */
export const nodeSurfaceFactory: SurfaceFactory = (width, height) => skiaCanvas(width, height);
