import type { PlanLimits } from '@flatrender/contracts';

export interface Quote {
  /** Seconds counted against the plan's monthly allowance when the job completes. */
  render_seconds: number;
  /** Price of those seconds in rial minor units. */
  cost: number;
  currency: 'IRR';
  /** Calendar month (UTC) the seconds count toward. */
  period: string;
}

export interface Allowance {
  period: string;
  /** null = unlimited. */
  limit: number | null;
  /** Recorded usage of finished jobs this period. */
  used: number;
  /** Quotes of jobs still queued or rendering this period. */
  reserved: number;
}

/** The calendar month (UTC) of an instant: `YYYY-MM`. */
export function periodOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** Seconds are billed to the tenth; a still counts as `stillSeconds`. */
export function billedSeconds(durationSeconds: number | null, stillSeconds: number): number {
  if (durationSeconds === null) return stillSeconds;
  return Math.ceil(durationSeconds * 10 - 1e-9) / 10;
}

export function quoteFor(seconds: number, limits: PlanLimits, defaultSecondPrice: number, at: Date): Quote {
  const price = limits.render_second_price ?? defaultSecondPrice;
  return { render_seconds: seconds, cost: Math.ceil(seconds * price), currency: 'IRR', period: periodOf(at) };
}

/** Whether the allowance still holds `seconds` more (reservations of running jobs included). */
export function allowanceCovers(allowance: Allowance, seconds: number): boolean {
  if (allowance.limit === null) return true;
  return allowance.used + allowance.reserved + seconds <= allowance.limit + 1e-9;
}

/**
 * What a cancelled job owes: the seconds of its finished chunks (work really done and kept), the rest
 * of the quote refunded.
 */
export function cancellationBill(
  quote: { render_seconds: number; cost: number },
  framesDone: number,
  frameCount: number | null,
): { billed_seconds: number; refunded_seconds: number; refunded_cost: number } {
  const fraction = frameCount && frameCount > 0 ? Math.min(1, framesDone / frameCount) : 0;
  const billed = Math.floor(quote.render_seconds * fraction * 10) / 10;
  const refunded = Math.max(0, quote.render_seconds - billed);
  const refundedCost =
    quote.render_seconds > 0 ? Math.floor((quote.cost * refunded) / quote.render_seconds) : quote.cost;
  return {
    billed_seconds: billed,
    refunded_seconds: Math.round(refunded * 10) / 10,
    refunded_cost: refundedCost,
  };
}
