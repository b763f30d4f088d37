import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planChunks } from './chunk-plan';

const options = { chunkSeconds: 3, splitAboveSeconds: 4, maxChunks: 50 };

describe('planChunks', () => {
  it('keeps a short job whole', () => {
    expect(planChunks(90, 30, options)).toEqual([[0, 90]]);
    expect(planChunks(120, 30, options)).toEqual([[0, 120]]);
  });

  it('splits a job longer than the threshold in at least two chunks', () => {
    expect(planChunks(150, 30, options)).toEqual([
      [0, 75],
      [75, 150],
    ]);
    expect(planChunks(30 * 12, 30, options)).toHaveLength(4);
  });

  it('never splits what cannot be joined', () => {
    expect(planChunks(900, 30, options, false)).toEqual([[0, 900]]);
  });

  it('respects the chunk cap', () => {
    expect(planChunks(30 * 600, 30, options)).toHaveLength(50);
  });

  it('covers every frame exactly once, in order, with near-equal chunks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(15, 24, 25, 30, 60), (frames, fps) => {
        const ranges = planChunks(frames, fps, options);
        expect(ranges[0]?.[0]).toBe(0);
        expect(ranges.at(-1)?.[1]).toBe(frames);
        for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.[0]).toBe(ranges[i - 1]?.[1]);
        const sizes = ranges.map(([a, b]) => b - a);
        expect(Math.min(...sizes)).toBeGreaterThan(0);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
