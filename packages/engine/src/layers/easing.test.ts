import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backIn,
  backInOut,
  backOut,
  cubicBezier,
  cubicIn,
  cubicInOut,
  cubicOut,
  easing,
  elasticIn,
  elasticOut,
  linear,
  spring,
} from './easing';

const unit = fc.double({ min: 0, max: 1, noNaN: true });

describe('easing functions', () => {
  it.each([
    ['linear', linear],
    ['cubic-in', cubicIn],
    ['cubic-out', cubicOut],
    ['cubic-in-out', cubicInOut],
    ['back-in', backIn],
    ['back-out', backOut],
    ['back-in-out', backInOut],
    ['elastic-in', elasticIn],
    ['elastic-out', elasticOut],
    ['spring', spring()],
  ])('%s starts at 0 and ends at 1, and clamps outside 0..1', (_name, fn) => {
    expect(fn(0)).toBeCloseTo(0, 12);
    expect(fn(1)).toBe(1);
    expect(fn(-3)).toBeCloseTo(0, 12);
    expect(fn(7)).toBe(1);
  });

  it('has the textbook midpoints', () => {
    expect(linear(0.25)).toBe(0.25);
    expect(cubicIn(0.5)).toBe(0.125);
    expect(cubicOut(0.5)).toBe(0.875);
    expect(cubicInOut(0.5)).toBe(0.5);
    expect(cubicInOut(0.25)).toBeCloseTo(0.0625, 12);
    // Penner's back-out overshoots by about 10 % near t = 0.6.
    expect(Math.max(...Array.from({ length: 101 }, (_, i) => backOut(i / 100)))).toBeCloseTo(1.0998, 3);
    expect(backIn(0.5)).toBeCloseTo(-0.0876975, 6);
    expect(elasticOut(0.5)).toBeCloseTo(1.015625, 6);
  });

  it('cubic-bezier matches the CSS keywords', () => {
    // CSS "ease" = cubic-bezier(0.25, 0.1, 0.25, 1); browsers give 0.8024 at x = 0.5.
    expect(cubicBezier(0.25, 0.1, 0.25, 1)(0.5)).toBeCloseTo(0.8024033877, 6);
    // "ease-in-out" is symmetric.
    const io = cubicBezier(0.42, 0, 0.58, 1);
    expect(io(0.5)).toBeCloseTo(0.5, 9);
    expect(io(0.3) + io(0.7)).toBeCloseTo(1, 9);
    // A linear curve is the identity.
    fc.assert(fc.property(unit, (t) => Math.abs(cubicBezier(1 / 3, 1 / 3, 2 / 3, 2 / 3)(t) - t) < 1e-6));
  });

  it('is monotonic where the curve is', () => {
    const monotonic = [
      linear,
      cubicIn,
      cubicOut,
      cubicInOut,
      cubicBezier(0.25, 0.1, 0.25, 1),
      cubicBezier(0.7, 0, 0.3, 1),
    ];
    fc.assert(
      fc.property(unit, unit, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return monotonic.every((fn) => fn(lo) <= fn(hi) + 1e-12);
      }),
    );
    // An overdamped spring never overshoots, so it is monotonic too.
    const calm = spring(100, 40, 1);
    fc.assert(fc.property(unit, unit, (a, b) => calm(Math.min(a, b)) <= calm(Math.max(a, b)) + 1e-12));
  });

  it('springs overshoot when underdamped and settle at 1', () => {
    const bouncy = spring(170, 8, 1);
    const peak = Math.max(...Array.from({ length: 200 }, (_, i) => bouncy(i / 200)));
    expect(peak).toBeGreaterThan(1.2);
    expect(Math.abs(bouncy(0.98) - 1)).toBeLessThan(0.01);
    expect(bouncy(1)).toBe(1);
  });

  it('parses easing strings', () => {
    expect(easing('cubic-out')).toBe(cubicOut);
    expect(easing('cubic-bezier(0.25, 0.1, 0.25, 1)')(0.5)).toBeCloseTo(0.8024033877, 6);
    expect(easing('spring(170,8,1)')(1)).toBe(1);
    expect(easing(undefined)).toBe(linear);
    expect(() => easing('wobble')).toThrow(/unknown easing/);
  });
});
