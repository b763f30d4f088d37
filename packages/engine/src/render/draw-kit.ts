import type { BlockContext } from '../blocks/block.types';
import { type EasingFn, easing } from '../layers/easing';
import type { Canvas2D, Drawable } from './canvas.types';
import { luminance, mixHex, withAlpha } from './color';
import { seededRandom } from './random';

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
export const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

/** 0 before `start`, 1 after `start + duration`, eased in between. */
export function ramp(
  t: number,
  start: number,
  duration: number,
  ease: EasingFn | string = 'cubic-out',
): number {
  const fn = typeof ease === 'string' ? easing(ease) : ease;
  if (duration <= 0) return t >= start ? 1 : 0;
  return fn(clamp((t - start) / duration, 0, 1));
}

/** 1 until `duration - out`, then eases to 0 at the scene end: the common exit. */
export function exitRamp(t: number, duration: number, out: number, ease: string = 'cubic-in'): number {
  return 1 - ramp(t, duration - out, out, ease);
}

export function roundRectPath(ctx: Canvas2D, x: number, y: number, w: number, h: number, r: number): void {
  const rr = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + rr, y);
  ctx.lineTo(x + w - rr, y);
  ctx.arcTo(x + w, y, x + w, y + rr, rr);
  ctx.lineTo(x + w, y + h - rr);
  ctx.arcTo(x + w, y + h, x + w - rr, y + h, rr);
  ctx.lineTo(x + rr, y + h);
  ctx.arcTo(x, y + h, x, y + h - rr, rr);
  ctx.lineTo(x, y + rr);
  ctx.arcTo(x, y, x + rr, y, rr);
  ctx.closePath();
}

export function fillRoundRect(
  ctx: Canvas2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
  fill: unknown,
) {
  roundRectPath(ctx, x, y, w, h, r);
  ctx.fillStyle = fill;
  ctx.fill();
}

export interface CoverOptions {
  /** 1 = just covering; larger zooms in. */
  zoom?: number;
  /** Focus offset in -1..1 of the spare image on each axis (Ken Burns pans). */
  panX?: number;
  panY?: number;
  fit?: 'cover' | 'contain';
}

/** Draws an image covering (or contained in) the box, cropping via the source rectangle. */
export function drawImageFit(
  ctx: Canvas2D,
  image: Drawable,
  x: number,
  y: number,
  w: number,
  h: number,
  { zoom = 1, panX = 0, panY = 0, fit = 'cover' }: CoverOptions = {},
): void {
  if (image.width <= 0 || image.height <= 0) return;
  if (fit === 'contain') {
    const s = Math.min(w / image.width, h / image.height) * zoom;
    const dw = image.width * s;
    const dh = image.height * s;
    ctx.drawImage(image, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh);
    return;
  }
  const scale = Math.max(w / image.width, h / image.height) * zoom;
  const sw = w / scale;
  const sh = h / scale;
  const sx = (image.width - sw) / 2 + (panX * (image.width - sw)) / 2;
  const sy = (image.height - sh) / 2 + (panY * (image.height - sh)) / 2;
  ctx.drawImage(image, sx, sy, sw, sh, x, y, w, h);
}

/** Whether the palette's background is dark (decides tints, shadows and glows). */
export function isDark(hex: string): boolean {
  return luminance(hex) < 0.25;
}

export interface BackdropOptions {
  /** 0..1 strength of the coloured glows. */
  glow?: number;
  /** Draw the fine diagonal line pattern. */
  lines?: boolean;
  base?: string;
}

/**
 * The shared background: a diagonal gradient of the palette background with two slowly drifting
 * glows of the primary and accent colours. Positions come from the scene seed.
 */
export function drawBackdrop(ctx: Canvas2D, c: BlockContext, t: number, opts: BackdropOptions = {}): void {
  const { width: w, height: h, unit: u, palette } = c;
  const base = opts.base ?? palette.background;
  const dark = isDark(base);
  const g = ctx.createLinearGradient(0, 0, w, h);
  g.addColorStop(0, mixHex(base, dark ? '#ffffff' : palette.primary, dark ? 0.05 : 0.04));
  g.addColorStop(1, mixHex(base, dark ? '#000000' : palette.surface, dark ? 0.35 : 0.5));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  const rnd = seededRandom(c.seed);
  const strength = opts.glow ?? 1;
  ctx.save();
  // On dark grounds glows add light (screen) instead of tinting towards grey.
  if (dark) ctx.globalCompositeOperation = 'screen';
  // Two glows in opposite corners frame the middle, where blocks put their words.
  const corner = rnd() < 0.5 ? 0 : 1;
  const glows: [string, number, number, number][] = [
    [palette.primary, dark ? 0.55 : 0.16, 0.75, corner],
    [palette.accent, dark ? 0.4 : 0.22, 0.55, 1 - corner],
  ];
  for (const [color, alpha, radius, side] of glows) {
    const phase = rnd() * Math.PI * 2;
    const px = side === 0 ? 0.05 + rnd() * 0.2 : 0.75 + rnd() * 0.2;
    const py = side === 0 ? 0.05 + rnd() * 0.25 : 0.7 + rnd() * 0.25;
    const cx = w * px + Math.sin(t * 0.35 + phase) * u * 0.06;
    const cy = h * py + Math.cos(t * 0.3 + phase) * u * 0.05;
    const r = u * radius * (0.9 + rnd() * 0.2);
    const rg = ctx.createRadialGradient(cx, cy, 0, cx, cy, r);
    rg.addColorStop(0, withAlpha(color, alpha * strength));
    rg.addColorStop(0.45, withAlpha(color, alpha * strength * 0.35));
    rg.addColorStop(1, withAlpha(color, 0));
    ctx.fillStyle = rg;
    // Only the glow's square: the gradient is transparent beyond r, and pixels cost time.
    ctx.fillRect(cx - r, cy - r, r * 2, r * 2);
  }
  ctx.restore();
  if (opts.lines) {
    ctx.save();
    ctx.strokeStyle = withAlpha(dark ? '#ffffff' : palette.text, dark ? 0.035 : 0.04);
    ctx.lineWidth = Math.max(1, u * 0.002);
    const gap = u * 0.08;
    const drift = (t * u * 0.01) % gap;
    ctx.beginPath();
    for (let x = -h + drift; x < w; x += gap) {
      ctx.moveTo(x, h);
      ctx.lineTo(x + h, 0);
    }
    ctx.stroke();
    ctx.restore();
  }
}

/**
 * A soft drop shadow under a rounded box, made of a few stacked translucent rounded rectangles.
 * Canvas shadowBlur on a large shape costs several milliseconds a frame in Skia; this costs a few
 * fills and looks the same at video sizes.
 */
export function softShadow(
  ctx: Canvas2D,
  c: BlockContext,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
  strength = 1,
): void {
  const steps = 5;
  const blur = c.unit * 0.035;
  const alpha = (isDark(c.palette.background) ? 0.4 : 0.14) * strength;
  ctx.save();
  ctx.fillStyle = withAlpha('#000000', alpha / steps);
  for (let i = 0; i < steps; i++) {
    const spread = (blur * (i + 1)) / steps;
    roundRectPath(ctx, x - spread, y - spread + c.unit * 0.015, w + spread * 2, h + spread * 2, r + spread);
    ctx.fill();
  }
  ctx.restore();
}

/** A closed Persian/English-neutral quotation mark made of two rounded commas (no font glyph). */
export function drawQuoteMark(
  ctx: Canvas2D,
  x: number,
  y: number,
  size: number,
  color: string,
  mirrored: boolean,
) {
  ctx.save();
  ctx.translate(mirrored ? x + size * 1.05 : x, y);
  if (mirrored) ctx.scale(-1, 1);
  ctx.fillStyle = color;
  const r = size * 0.22;
  for (const dx of [0, size * 0.55]) {
    ctx.beginPath();
    ctx.arc(dx + r, size * 0.62, r, 0, Math.PI * 2);
    ctx.fill();
    ctx.beginPath();
    ctx.moveTo(dx + r * 2, size * 0.62);
    ctx.quadraticCurveTo(dx + r * 2.1, size * 0.1, dx + r * 0.2, 0);
    ctx.lineTo(dx + r * 0.2, size * 0.12);
    ctx.quadraticCurveTo(dx + r * 1.1, size * 0.25, dx + r * 0.4, size * 0.5);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

/** x of a box of `w` placed at the start side (left in ltr, right in rtl) with margin `m`. */
export function startX(c: BlockContext, w: number, m: number): number {
  return c.dir === 'rtl' ? c.width - m - w : m;
}

/** +1 when "forward" (reading direction) points right, -1 when it points left. */
export function forward(c: BlockContext): 1 | -1 {
  return c.dir === 'rtl' ? -1 : 1;
}

/** Line-by-line rise-and-fade starting at `start`, one line every `stagger` seconds. */
export function lineReveal(
  t: number,
  start: number,
  stagger = 0.12,
  duration = 0.7,
  rise = 0.05,
  unit = 1080,
) {
  return (i: number) => {
    const a = ramp(t, start + i * stagger, duration, 'cubic-out');
    return { alpha: a, dy: (1 - a) * unit * rise };
  };
}

/** A pill (fully rounded rectangle). */
export function pillPath(ctx: Canvas2D, x: number, y: number, w: number, h: number): void {
  roundRectPath(ctx, x, y, w, h, h / 2);
}

/**
 * One line of text at a point, for values that change every frame (counters); `css` comes from a
 * fitted text so the size matches the layout. `align` is physical.
 */
export function drawLabel(
  ctx: Canvas2D,
  text: string,
  css: string,
  x: number,
  y: number,
  align: 'left' | 'right' | 'center',
  dir: 'ltr' | 'rtl',
  color: string,
): void {
  ctx.save();
  ctx.font = css;
  ctx.direction = dir;
  ctx.textAlign = align;
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
  ctx.restore();
}
