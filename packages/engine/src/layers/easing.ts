import { CUBIC_BEZIER, type Easing, SPRING } from '../template/template.schema';

export type EasingFn = (t: number) => number;

const clamp01 = (t: number) => Math.min(1, Math.max(0, t));

export const linear: EasingFn = (t) => clamp01(t);
export const cubicIn: EasingFn = (t) => clamp01(t) ** 3;
export const cubicOut: EasingFn = (t) => 1 - (1 - clamp01(t)) ** 3;
export const cubicInOut: EasingFn = (t) => {
  const x = clamp01(t);
  return x < 0.5 ? 4 * x * x * x : 1 - (-2 * x + 2) ** 3 / 2;
};

/** Exact 0 and 1 at the ends, whatever the rounding of the formula in between: keyframes must land. */
const exactEnds =
  (fn: EasingFn): EasingFn =>
  (t) => {
    const x = clamp01(t);
    return x === 0 ? 0 : x === 1 ? 1 : fn(x);
  };

// Penner's back constants: 1.70158 overshoots by 10 %.
const BACK = 1.70158;
const BACK_IO = BACK * 1.525;
export const backIn: EasingFn = exactEnds((x) => (BACK + 1) * x * x * x - BACK * x * x);
export const backOut: EasingFn = exactEnds((t) => {
  const x = t - 1;
  return 1 + (BACK + 1) * x * x * x + BACK * x * x;
});
export const backInOut: EasingFn = exactEnds((x) => {
  return x < 0.5
    ? ((2 * x) ** 2 * ((BACK_IO + 1) * 2 * x - BACK_IO)) / 2
    : ((2 * x - 2) ** 2 * ((BACK_IO + 1) * (x * 2 - 2) + BACK_IO) + 2) / 2;
});

const ELASTIC = (2 * Math.PI) / 3;
export const elasticOut: EasingFn = (t) => {
  const x = clamp01(t);
  if (x === 0 || x === 1) return x;
  return 2 ** (-10 * x) * Math.sin((x * 10 - 0.75) * ELASTIC) + 1;
};
export const elasticIn: EasingFn = (t) => {
  const x = clamp01(t);
  if (x === 0 || x === 1) return x;
  return -(2 ** (10 * x - 10)) * Math.sin((x * 10 - 10.75) * ELASTIC);
};

/**
 * Damped harmonic oscillator released from 0 towards 1 at rest, evaluated in closed form so that
 * any frame can be computed on its own. The animation's span (t = 0..1) is mapped to the time the
 * spring needs to settle within 0.1 % (computed once), and t = 1 returns exactly 1.
 */
export function spring(stiffness = 170, damping = 26, mass = 1): EasingFn {
  const w0 = Math.sqrt(stiffness / mass);
  const zeta = damping / (2 * Math.sqrt(stiffness * mass));
  const x = (s: number): number => {
    if (zeta < 1) {
      const wd = w0 * Math.sqrt(1 - zeta * zeta);
      return 1 - Math.exp(-zeta * w0 * s) * (Math.cos(wd * s) + ((zeta * w0) / wd) * Math.sin(wd * s));
    }
    if (zeta === 1) return 1 - Math.exp(-w0 * s) * (1 + w0 * s);
    const r1 = -w0 * (zeta - Math.sqrt(zeta * zeta - 1));
    const r2 = -w0 * (zeta + Math.sqrt(zeta * zeta - 1));
    return 1 - (r2 * Math.exp(r1 * s) - r1 * Math.exp(r2 * s)) / (r2 - r1);
  };
  // Settle time: scan forward until the motion stays within tolerance for a whole period.
  const step = 1 / (w0 * 16);
  let settle = step;
  let calm = 0;
  for (let s = step; s < 60 && calm < 32; s += step) {
    if (Math.abs(1 - x(s)) < 1e-3) calm++;
    else {
      calm = 0;
      settle = s;
    }
  }
  return (t) => {
    const u = clamp01(t);
    return u === 1 ? 1 : x(u * settle);
  };
}

/**
 * CSS cubic-bezier: P0 = (0,0), P3 = (1,1). Solves x(s) = t for s by Newton's method with a
 * bisection fallback (the same approach browsers use), then returns y(s).
 */
export function cubicBezier(x1: number, y1: number, x2: number, y2: number): EasingFn {
  const cx = 3 * x1;
  const bx = 3 * (x2 - x1) - cx;
  const ax = 1 - cx - bx;
  const cy = 3 * y1;
  const by = 3 * (y2 - y1) - cy;
  const ay = 1 - cy - by;
  const sampleX = (s: number) => ((ax * s + bx) * s + cx) * s;
  const sampleY = (s: number) => ((ay * s + by) * s + cy) * s;
  const slopeX = (s: number) => (3 * ax * s + 2 * bx) * s + cx;
  const solve = (x: number): number => {
    let s = x;
    for (let i = 0; i < 8; i++) {
      const err = sampleX(s) - x;
      if (Math.abs(err) < 1e-7) return s;
      const d = slopeX(s);
      if (Math.abs(d) < 1e-6) break;
      s -= err / d;
    }
    let lo = 0;
    let hi = 1;
    s = x;
    for (let i = 0; i < 60; i++) {
      const v = sampleX(s);
      if (Math.abs(v - x) < 1e-7) return s;
      if (v < x) lo = s;
      else hi = s;
      s = (lo + hi) / 2;
    }
    return s;
  };
  return (t) => {
    const x = clamp01(t);
    if (x === 0 || x === 1) return x;
    return sampleY(solve(x));
  };
}

const NAMED: Record<string, EasingFn> = {
  linear,
  'cubic-in': cubicIn,
  'cubic-out': cubicOut,
  'cubic-in-out': cubicInOut,
  'back-in': backIn,
  'back-out': backOut,
  'back-in-out': backInOut,
  'elastic-in': elasticIn,
  'elastic-out': elasticOut,
  spring: spring(),
};

const cache = new Map<string, EasingFn>();

/** The easing function for a validated easing string. */
export function easing(spec: Easing | undefined): EasingFn {
  if (spec === undefined) return linear;
  const named = NAMED[spec];
  if (named) return named;
  let fn = cache.get(spec);
  if (fn) return fn;
  const bez = CUBIC_BEZIER.exec(spec);
  const spr = SPRING.exec(spec);
  if (bez) fn = cubicBezier(Number(bez[1]), Number(bez[2]), Number(bez[3]), Number(bez[4]));
  else if (spr) fn = spring(Number(spr[1]), Number(spr[2]), Number(spr[3]));
  else throw new Error(`unknown easing "${spec}"`);
  cache.set(spec, fn);
  return fn;
}
