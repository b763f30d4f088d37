import { planLimitsSchema } from '@flatrender/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLANS, FREE_PLAN_CODE } from './default-plans';
import { applyPurchase } from './subscription-period';

const now = new Date('2025-03-21T00:00:00Z');
const day = 86_400_000;

describe('applyPurchase', () => {
  it('renews the plan in force from its end', () => {
    const expiresAt = new Date(now.getTime() + 5 * day);
    expect(applyPurchase({ planCode: 'pro', expiresAt }, 'pro', 30, now)).toEqual({
      kind: 'renewal',
      expiresAt: new Date(now.getTime() + 35 * day),
    });
  });

  it('starts a new period now for another plan, an expired plan or no plan', () => {
    const fresh = { kind: 'purchase', startsAt: now, expiresAt: new Date(now.getTime() + 30 * day) };
    expect(applyPurchase({ planCode: 'free', expiresAt: null }, 'pro', 30, now)).toEqual(fresh);
    expect(
      applyPurchase({ planCode: 'business', expiresAt: new Date(now.getTime() + day) }, 'pro', 30, now),
    ).toEqual(fresh);
    expect(
      applyPurchase({ planCode: 'pro', expiresAt: new Date(now.getTime() - day) }, 'pro', 30, now),
    ).toEqual(fresh);
    expect(applyPurchase(undefined, 'pro', 30, now)).toEqual(fresh);
  });
});

describe('default plans', () => {
  it('are free, pro and business with valid catalog limits, free costing nothing', () => {
    expect(DEFAULT_PLANS.map((p) => p.code)).toEqual([FREE_PLAN_CODE, 'pro', 'business']);
    for (const plan of DEFAULT_PLANS) expect(planLimitsSchema.parse(plan.limits)).toEqual(plan.limits);
    expect(DEFAULT_PLANS[0]!.price).toBe(0);
    expect(DEFAULT_PLANS.slice(1).every((p) => p.price >= 10_000)).toBe(true);
  });
});
