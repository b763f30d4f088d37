/*
 * The part of the Canvas 2D API the engine draws with. Both the browser's CanvasRenderingContext2D
 * and @napi-rs/canvas's SKRSContext2D satisfy it (checked in canvas.types.test.ts), so the studio
 * preview and the render nodes run the same drawing code.
 */

export interface GradientLike {
  addColorStop(offset: number, color: string): void;
}

/** Anything drawImage accepts: images, canvases, bitmaps. */
export interface Drawable {
  readonly width: number;
  readonly height: number;
}

export interface TextMetricsLike {
  readonly width: number;
  readonly actualBoundingBoxAscent: number;
  readonly actualBoundingBoxDescent: number;
  readonly fontBoundingBoxAscent?: number;
  readonly fontBoundingBoxDescent?: number;
}

export interface MatrixLike {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

/** The measuring part alone: text layout needs nothing else. */
export interface TextMeasurer {
  font: string;
  direction: 'ltr' | 'rtl' | 'inherit';
  measureText(text: string): TextMetricsLike;
}

export interface Canvas2D extends TextMeasurer {
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  scale(x: number, y: number): void;
  rotate(angle: number): void;
  transform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  getTransform(): MatrixLike;

  globalAlpha: number;
  globalCompositeOperation: string;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  lineCap: 'butt' | 'round' | 'square';
  lineJoin: 'round' | 'bevel' | 'miter';
  shadowColor: string;
  shadowBlur: number;
  shadowOffsetX: number;
  shadowOffsetY: number;
  imageSmoothingEnabled: boolean;
  imageSmoothingQuality: 'low' | 'medium' | 'high';
  textAlign: 'start' | 'end' | 'left' | 'right' | 'center';
  textBaseline: 'top' | 'hanging' | 'middle' | 'alphabetic' | 'ideographic' | 'bottom';

  fillRect(x: number, y: number, w: number, h: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  strokeText(text: string, x: number, y: number): void;

  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  bezierCurveTo(cp1x: number, cp1y: number, cp2x: number, cp2y: number, x: number, y: number): void;
  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number, ccw?: boolean): void;
  arcTo(x1: number, y1: number, x2: number, y2: number, r: number): void;
  ellipse(
    x: number,
    y: number,
    rx: number,
    ry: number,
    rotation: number,
    start: number,
    end: number,
    ccw?: boolean,
  ): void;
  rect(x: number, y: number, w: number, h: number): void;
  fill(): void;
  stroke(): void;
  clip(): void;

  createLinearGradient(x0: number, y0: number, x1: number, y1: number): GradientLike;
  createRadialGradient(x0: number, y0: number, r0: number, x1: number, y1: number, r1: number): GradientLike;
  // biome-ignore lint/suspicious/noExplicitAny: each environment has its own image type union.
  drawImage(image: any, ...args: number[]): void;
}

/** A canvas that can be drawn into and then drawn onto another context (offscreen layers). */
export interface Surface extends Drawable {
  getContext(kind: '2d'): unknown;
}

export type SurfaceFactory = (width: number, height: number) => Surface;

/** Creates offscreen surfaces with OffscreenCanvas when the platform has it (browsers, workers). */
export function platformSurfaceFactory(): SurfaceFactory | undefined {
  const Offscreen = (globalThis as { OffscreenCanvas?: new (w: number, h: number) => Surface })
    .OffscreenCanvas;
  return Offscreen ? (w, h) => new Offscreen(w, h) : undefined;
}

export function context2d(surface: Surface): Canvas2D {
  return surface.getContext('2d') as Canvas2D;
}
