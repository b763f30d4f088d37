const DAY_MS = 86_400_000;

export interface CurrentSubscription {
  planCode: string;
  expiresAt: Date | null;
}

export type PurchaseOutcome =
  | { kind: 'renewal'; expiresAt: Date }
  | { kind: 'purchase'; startsAt: Date; expiresAt: Date };

/**
 * What a paid period of `planCode` does to the tenant's current subscription: buying the plan in force
 * (and not yet expired) extends it from its end, so paying early loses nothing; any other plan starts
 * now and replaces the current one.
 */
export function applyPurchase(
  current: CurrentSubscription | undefined,
  planCode: string,
  periodDays: number,
  now: Date,
): PurchaseOutcome {
  const period = periodDays * DAY_MS;
  if (current && current.planCode === planCode && current.expiresAt && current.expiresAt > now) {
    return { kind: 'renewal', expiresAt: new Date(current.expiresAt.getTime() + period) };
  }
  return { kind: 'purchase', startsAt: now, expiresAt: new Date(now.getTime() + period) };
}
