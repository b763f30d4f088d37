import type { WEBHOOK_ERROR_CODES } from '@flatrender/contracts';

export type WebhookErrorCode = (typeof WEBHOOK_ERROR_CODES)[number];

/** What one POST to an endpoint came to. */
export type AttemptResult =
  | { ok: true; statusCode: number; durationMs: number }
  | {
      ok: false;
      errorCode: WebhookErrorCode;
      statusCode: number | null;
      durationMs: number;
      message: string;
      /** Another attempt may succeed (5xx, 408, 429, timeouts, refused connections). */
      retryable: boolean;
    };

/** Answers that say "later" rather than "never": server errors, request timeout, too many requests. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * Delay after attempt `attempt` (1-based) failed: `baseMs` × 4^(attempt-1), spread by ±20 % so that
 * deliveries failing together (an endpoint down) do not all come back at the same instant.
 * With the default 12 s: 12 s, 48 s, 3.2 min, 12.8 min, 51 min.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const nominal = baseMs * 4 ** Math.max(0, attempt - 1);
  return Math.round(nominal * (0.8 + 0.4 * random()));
}

export type DeliveryDecision =
  | { state: 'succeeded' }
  | { state: 'retry'; delayMs: number }
  | { state: 'failed' };

/** What becomes of a delivery after an attempt. */
export function decideAfterAttempt(
  result: AttemptResult,
  attempt: number,
  policy: { maxAttempts: number; baseMs: number },
  random?: () => number,
): DeliveryDecision {
  if (result.ok) return { state: 'succeeded' };
  if (result.retryable && attempt < policy.maxAttempts) {
    return { state: 'retry', delayMs: retryDelayMs(attempt, policy.baseMs, random) };
  }
  return { state: 'failed' };
}
