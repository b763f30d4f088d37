import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyHomography, homographyFromQuads, invertHomography, type Point, type Quad } from './homography';

const square: Quad = [
  { x: 0, y: 0 },
  { x: 1, y: 0 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

/** A convex quad: corners jittered inside their own quadrant of a box, so no three are collinear. */
const jitter = fc.double({ min: 0, max: 0.35, noNaN: true });
const convexQuad = fc
  .record({
    a: jitter,
    b: jitter,
    c: jitter,
    d: jitter,
    e: jitter,
    f: jitter,
    g: jitter,
    h: jitter,
    size: fc.double({ min: 50, max: 2000, noNaN: true }),
  })
  .map(
    ({ a, b, c, d, e, f, g, h, size }): Quad => [
      { x: a * size, y: b * size },
      { x: (1 - c) * size, y: d * size },
      { x: (1 - e) * size, y: (1 - f) * size },
      { x: g * size, y: (1 - h) * size },
    ],
  );

const close = (p: Point, q: Point, eps: number) => {
  expect(p.x).toBeCloseTo(q.x, eps);
  expect(p.y).toBeCloseTo(q.y, eps);
};

describe('homography', () => {
  it('maps a scaled and shifted square like the affine map it is', () => {
    const to: Quad = [
      { x: 10, y: 20 },
      { x: 210, y: 20 },
      { x: 210, y: 120 },
      { x: 10, y: 120 },
    ];
    const h = homographyFromQuads(square, to);
    expect(h[6]).toBeCloseTo(0, 12);
    expect(h[7]).toBeCloseTo(0, 12);
    close(applyHomography(h, { x: 0.5, y: 0.5 }), { x: 110, y: 70 }, 9);
  });

  it('maps a square onto a trapezoid with perspective: the centre goes to the diagonals crossing', () => {
    // A screen seen from below-left: the far (top) edge is shorter.
    const to: Quad = [
      { x: 40, y: 0 },
      { x: 160, y: 0 },
      { x: 200, y: 100 },
      { x: 0, y: 100 },
    ];
    const h = homographyFromQuads(square, to);
    const centre = applyHomography(h, { x: 0.5, y: 0.5 });
    // Diagonals of this symmetric trapezoid cross at x = 100, y = 100 * 120 / (120 + 200).
    close(centre, { x: 100, y: (100 * 120) / 320 }, 9);
    // Perspective foreshortens the far half: the centre is above the midline.
    expect(centre.y).toBeLessThan(50);
  });

  it('takes every corner to its target, and its inverse takes them back (any convex quads)', () => {
    fc.assert(
      fc.property(convexQuad, convexQuad, (from, to) => {
        const h = homographyFromQuads(from, to);
        const inv = invertHomography(h);
        for (let i = 0; i < 4; i++) {
          const mapped = applyHomography(h, from[i]!);
          const scale = Math.max(1, Math.abs(to[i]!.x), Math.abs(to[i]!.y));
          expect(Math.abs(mapped.x - to[i]!.x) / scale).toBeLessThan(1e-6);
          expect(Math.abs(mapped.y - to[i]!.y) / scale).toBeLessThan(1e-6);
          const back = applyHomography(inv, mapped);
          const s2 = Math.max(1, Math.abs(from[i]!.x), Math.abs(from[i]!.y));
          expect(Math.abs(back.x - from[i]!.x) / s2).toBeLessThan(1e-6);
          expect(Math.abs(back.y - from[i]!.y) / s2).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps straight lines straight: the midpoint of an edge stays on the mapped edge', () => {
    fc.assert(
      fc.property(convexQuad, fc.double({ min: 0.05, max: 0.95, noNaN: true }), (to, t) => {
        const h = homographyFromQuads(square, to);
        const p = applyHomography(h, { x: t, y: 0 });
        const [a, b] = [to[0], to[1]];
        const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        const length = Math.hypot(b.x - a.x, b.y - a.y);
        expect(Math.abs(cross) / length).toBeLessThan(1e-6 * length);
      }),
    );
  });

  it('refuses a quad with three corners in a line', () => {
    const flat: Quad = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 2, y: 0 },
      { x: 0, y: 1 },
    ];
    expect(() => homographyFromQuads(square, flat)).toThrow(/degenerate/);
  });
});
