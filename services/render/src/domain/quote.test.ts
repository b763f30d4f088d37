import type { PlanLimits } from '@flatrender/contracts';
import { describe, expect, it } from 'vitest';
import { allowanceCovers, billedSeconds, cancellationBill, periodOf, quoteFor } from './quote';

const limits = { render_second_price: 500 } as PlanLimits;

describe('quote', () => {
  it('bills seconds to the tenth, rounding up, and stills as a fixed amount', () => {
    expect(billedSeconds(6.5, 1)).toBe(6.5);
    expect(billedSeconds(6.51, 1)).toBe(6.6);
    expect(billedSeconds(null, 1)).toBe(1);
  });

  it("prices with the plan's rate, else the default", () => {
    const at = new Date('2026-05-31T23:59:59Z');
    expect(quoteFor(6.5, limits, 100, at)).toEqual({
      render_seconds: 6.5,
      cost: 3250,
      currency: 'IRR',
      period: '2026-05',
    });
    expect(quoteFor(6.5, {} as PlanLimits, 100, at).cost).toBe(650);
    expect(periodOf(new Date('2026-06-01T00:00:00Z'))).toBe('2026-06');
  });

  it('counts reservations of running jobs against the allowance', () => {
    const allowance = { period: '2026-05', limit: 300, used: 200, reserved: 90 };
    expect(allowanceCovers(allowance, 10)).toBe(true);
    expect(allowanceCovers(allowance, 10.1)).toBe(false);
    expect(allowanceCovers({ ...allowance, limit: null }, 1e9)).toBe(true);
  });

  it('refunds the part of a cancelled job that was not rendered', () => {
    expect(cancellationBill({ render_seconds: 10, cost: 5000 }, 150, 300)).toEqual({
      billed_seconds: 5,
      refunded_seconds: 5,
      refunded_cost: 2500,
    });
    expect(cancellationBill({ render_seconds: 10, cost: 5000 }, 0, 300)).toEqual({
      billed_seconds: 0,
      refunded_seconds: 10,
      refunded_cost: 5000,
    });
  });
});
