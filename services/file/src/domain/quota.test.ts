import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fits, remainingBytes, thresholdsCrossed, usedPercent } from './quota';

describe('quota', () => {
  it('announces a threshold when usage crosses it upwards, once', () => {
    expect(thresholdsCrossed(700, 800, 1000, [80, 95])).toEqual([80]);
    expect(thresholdsCrossed(790, 960, 1000, [80, 95])).toEqual([80, 95]);
    expect(thresholdsCrossed(800, 900, 1000, [80, 95])).toEqual([]);
    expect(thresholdsCrossed(900, 700, 1000, [80, 95])).toEqual([]);
    expect(thresholdsCrossed(0, 10, 0, [80])).toEqual([]);
  });

  it('never announces a threshold twice along a growing sequence of uploads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(500), { maxLength: 30 }),
        fc.integer({ min: 1, max: 5000 }),
        (sizes, quota) => {
          let used = 0;
          const seen: number[] = [];
          for (const size of sizes) {
            seen.push(...thresholdsCrossed(used, used + size, quota, [80, 95]));
            used += size;
          }
          expect(new Set(seen).size).toBe(seen.length);
          for (const p of [80, 95]) expect(seen.includes(p)).toBe(used >= (quota * p) / 100);
        },
      ),
    );
  });

  it('fits up to the byte and reports what is left', () => {
    expect(fits({ usedBytes: 900, quotaBytes: 1000 }, 100)).toBe(true);
    expect(fits({ usedBytes: 900, quotaBytes: 1000 }, 101)).toBe(false);
    expect(remainingBytes({ usedBytes: 1200, quotaBytes: 1000 })).toBe(0);
    expect(usedPercent({ usedBytes: 250, quotaBytes: 1000 })).toBe(25);
    expect(usedPercent({ usedBytes: 1, quotaBytes: 0 })).toBe(100);
  });
});
