import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAfterAttempt, retryableStatus, retryDelayMs } from './webhook-retry';

describe('webhook retry policy', () => {
  it('spreads the default six attempts over about an hour', () => {
    const delays = [1, 2, 3, 4, 5].map((a) => retryDelayMs(a, 12_000, () => 0.5));
    expect(delays).toEqual([12_000, 48_000, 192_000, 768_000, 3_072_000]);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total / 60_000).toBeGreaterThan(60);
    expect(total / 60_000).toBeLessThan(75);
  });

  it('keeps jitter within ±20 % and delays growing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, r) => {
          const nominal = 1000 * 4 ** (attempt - 1);
          const delay = retryDelayMs(attempt, 1000, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
          expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.2));
          expect(retryDelayMs(attempt + 1, 1000, () => 0)).toBeGreaterThan(
            retryDelayMs(attempt, 1000, () => 0.999_999),
          );
        },
      ),
    );
  });

  it('retries server errors, 408, 429, timeouts and refused connections; not other answers', () => {
    expect([500, 502, 503, 504, 408, 429].every(retryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 301].some(retryableStatus)).toBe(false);
  });

  it('decides per attempt: success, retry while attempts remain, then failure', () => {
    const policy = { maxAttempts: 6, baseMs: 100 };
    const ok = { ok: true as const, statusCode: 204, durationMs: 5 };
    const down = {
      ok: false as const,
      errorCode: 'http_status' as const,
      statusCode: 503,
      durationMs: 5,
      message: 'answered 503',
      retryable: true,
    };
    expect(decideAfterAttempt(ok, 1, policy)).toEqual({ state: 'succeeded' });
    expect(decideAfterAttempt(down, 1, policy, () => 0.5)).toEqual({ state: 'retry', delayMs: 100 });
    expect(decideAfterAttempt(down, 5, policy, () => 0.5)).toEqual({ state: 'retry', delayMs: 25_600 });
    expect(decideAfterAttempt(down, 6, policy)).toEqual({ state: 'failed' });
    expect(decideAfterAttempt({ ...down, statusCode: 404, retryable: false }, 1, policy)).toEqual({
      state: 'failed',
    });
  });
});
