import { mixColors, parseHex, resolveColorRef, toCss } from '../render/color';
import type { AnimColor, AnimNumber, Palette } from '../template/template.schema';
import { easing } from './easing';

/** Keyframe time in seconds from the scene start; negative times count back from the scene end. */
export function keyTime(t: number, duration: number): number {
  return t < 0 ? duration + t : t;
}

interface Key<V> {
  t: number;
  value: V;
  easing?: string;
}

function segment<V>(keys: readonly Key<V>[], t: number, duration: number): { a: V; b: V; k: number } {
  const sorted = keys
    .map((key, i) => ({ ...key, at: keyTime(key.t, duration), i }))
    .sort((x, y) => x.at - y.at || x.i - y.i);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (t <= first.at) return { a: first.value, b: first.value, k: 0 };
  if (t >= last.at) return { a: last.value, b: last.value, k: 0 };
  for (let i = 0; i < sorted.length - 1; i++) {
    const from = sorted[i]!;
    const to = sorted[i + 1]!;
    if (t >= from.at && t < to.at) {
      const span = to.at - from.at;
      const k = span <= 0 ? 1 : easing(from.easing)((t - from.at) / span);
      return { a: from.value, b: to.value, k };
    }
  }
  return { a: last.value, b: last.value, k: 0 };
}

/** Value of an animated number at scene time t. The easing of a keyframe shapes the segment after it. */
export function numberAt(anim: AnimNumber, t: number, duration: number): number {
  if (typeof anim === 'number') return anim;
  const { a, b, k } = segment(anim.keyframes, t, duration);
  return a + (b - a) * k;
}

type ColorValue = string | { field: string };

/** CSS colour of an animated colour at scene time t; bindings resolved by `field`, roles by the palette. */
export function colorAt(
  anim: AnimColor,
  t: number,
  duration: number,
  palette: Palette,
  field: (path: string) => string,
): string {
  const hex = (v: ColorValue) => (typeof v === 'string' ? resolveColorRef(v, palette) : field(v.field));
  if (typeof anim === 'string' || 'field' in anim) return toCss(parseHex(hex(anim as ColorValue)));
  const { a, b, k } = segment(anim.keyframes, t, duration);
  return mixColors(hex(a), hex(b), k);
}
