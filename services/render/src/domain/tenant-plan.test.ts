import { describe, expect, it } from 'vitest';
import { DEFAULT_FREE_PLAN, standingOf } from './tenant-plan';

const now = new Date('2026-05-01T12:00:00Z');

describe('standingOf', () => {
  it('is the free plan for a tenant identity has not told about', () => {
    expect(standingOf(undefined, now)).toEqual({
      planCode: 'free',
      limits: DEFAULT_FREE_PLAN.limits,
      suspended: false,
    });
  });

  it('is suspended until the suspension ends', () => {
    const row = { plan_code: null, limits: null, suspended_at: new Date('2026-04-30T00:00:00Z') };
    expect(standingOf({ ...row, suspended_until: null }, now).suspended).toBe(true);
    expect(standingOf({ ...row, suspended_until: new Date('2026-05-02T00:00:00Z') }, now).suspended).toBe(
      true,
    );
    expect(standingOf({ ...row, suspended_until: new Date('2026-05-01T11:00:00Z') }, now).suspended).toBe(
      false,
    );
  });
});
