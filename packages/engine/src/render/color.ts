import type { Palette, PaletteRole } from '../template/template.schema';

/** Straight (not premultiplied) sRGB colour, channels 0..255, alpha 0..1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export function parseHex(hex: string): Rgba {
  const h = hex.slice(1);
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const n = (i: number) => Number.parseInt(full.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: full.length === 8 ? n(6) / 255 : 1 };
}

export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(value);
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

export function toCss(c: Rgba): string {
  const ch = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return `rgba(${ch(c.r)},${ch(c.g)},${ch(c.b)},${round3(Math.max(0, Math.min(1, c.a)))})`;
}

/** Resolves "@role" against the palette; hex passes through. */
export function resolveColorRef(ref: string, palette: Palette): string {
  return ref.startsWith('@') ? palette[ref.slice(1) as PaletteRole] : ref;
}

/** CSS colour of a hex with its alpha multiplied by `alpha`. */
export function withAlpha(hex: string, alpha: number): string {
  const c = parseHex(hex);
  return toCss({ ...c, a: c.a * alpha });
}

// OKLab interpolation keeps mid-tones of colour animations bright instead of muddy.
const toLinear = (v: number) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const toSrgb = (v: number) => {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  return c * 255;
};

function rgbToOklab(c: Rgba): [number, number, number] {
  const r = toLinear(c.r);
  const g = toLinear(c.g);
  const b = toLinear(c.b);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

function oklabToRgb(L: number, A: number, B: number, a: number): Rgba {
  const l = (L + 0.3963377774 * A + 0.2158037573 * B) ** 3;
  const m = (L - 0.1055613458 * A - 0.0638541728 * B) ** 3;
  const s = (L - 0.0894841775 * A - 1.291485548 * B) ** 3;
  return {
    r: toSrgb(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    g: toSrgb(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    b: toSrgb(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
    a,
  };
}

/** Mixes two hex colours (t = 0 gives `a`, 1 gives `b`) in OKLab; returns a CSS colour. */
export function mixColors(a: string, b: string, t: number): string {
  if (t <= 0) return toCss(parseHex(a));
  if (t >= 1) return toCss(parseHex(b));
  const ca = parseHex(a);
  const cb = parseHex(b);
  const la = rgbToOklab(ca);
  const lb = rgbToOklab(cb);
  const lerp = (x: number, y: number) => x + (y - x) * t;
  return toCss(oklabToRgb(lerp(la[0], lb[0]), lerp(la[1], lb[1]), lerp(la[2], lb[2]), lerp(ca.a, cb.a)));
}

/** Mixes and returns hex (alpha dropped); for deriving tints and shades of palette colours. */
export function mixHex(a: string, b: string, t: number): string {
  const c = parseHex(a);
  const d = parseHex(b);
  const la = rgbToOklab(c);
  const lb = rgbToOklab(d);
  const k = Math.max(0, Math.min(1, t));
  const o = oklabToRgb(
    la[0] + (lb[0] - la[0]) * k,
    la[1] + (lb[1] - la[1]) * k,
    la[2] + (lb[2] - la[2]) * k,
    1,
  );
  const h = (v: number) =>
    Math.max(0, Math.min(255, Math.round(v)))
      .toString(16)
      .padStart(2, '0');
  return `#${h(o.r)}${h(o.g)}${h(o.b)}`;
}

/** WCAG relative luminance, 0 (black) .. 1 (white). */
export function luminance(hex: string): number {
  const c = parseHex(hex);
  return 0.2126 * toLinear(c.r) + 0.7152 * toLinear(c.g) + 0.0722 * toLinear(c.b);
}

/** Black or white, whichever reads better on `hex`. */
export function readableOn(hex: string, dark = '#0b0d12', light = '#ffffff'): string {
  const l = luminance(hex);
  const contrastLight = 1.05 / (l + 0.05);
  const contrastDark = (l + 0.05) / (luminance(dark) + 0.05);
  // White wins ties and near-ties: on saturated brand colours it reads as intended at display sizes.
  return contrastLight >= 3 || contrastLight >= contrastDark ? light : dark;
}
