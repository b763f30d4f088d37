import { DLQ_QUEUE, HEADER } from '@flatrender/contracts';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decideFailure,
  LAST_ERROR_HEADER,
  ORIGINAL_QUEUE_HEADER,
  readCount,
} from './retry.policy';

const backoff = { backoffBaseMs: 1_000, backoffCapMs: 5_000 };
const failed = (headers: Record<string, unknown>, queue = 'render.events') => ({
  queue,
  routingKey: 'render.job.completed.v1',
  headers,
  error: new Error('boom'),
});

describe('retry policy', () => {
  it('doubles the delay per retry up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, backoff))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });

  it('retries with the count incremented until x-max-retries, then dead-letters', () => {
    expect(decideFailure(failed({}), backoff)).toMatchObject({
      action: 'retry',
      delayMs: 1_000,
      headers: { [HEADER.retryCount]: 1, [HEADER.originalRoutingKey]: 'render.job.completed.v1' },
    });
    expect(decideFailure(failed({ [HEADER.retryCount]: 2 }), backoff)).toMatchObject({
      action: 'retry',
      delayMs: 4_000,
      headers: { [HEADER.retryCount]: 3 },
    });
    expect(decideFailure(failed({ [HEADER.retryCount]: 3 }), backoff)).toMatchObject({
      action: 'dead-letter',
      headers: {
        [HEADER.retryCount]: 3,
        [HEADER.originalRoutingKey]: 'render.job.completed.v1',
        [ORIGINAL_QUEUE_HEADER]: 'render.events',
        [LAST_ERROR_HEADER]: 'Error: boom',
      },
    });
  });

  it('prefers the message x-max-retries over the subscriber default, and reads counts other clients wrote as text', () => {
    expect(decideFailure({ ...failed({ [HEADER.retryCount]: '1' }), maxRetries: 1 }, backoff).action).toBe(
      'dead-letter',
    );
    expect(
      decideFailure(
        { ...failed({ [HEADER.maxRetries]: '5', [HEADER.retryCount]: 4 }), maxRetries: 1 },
        backoff,
      ),
    ).toMatchObject({
      action: 'retry',
      headers: { [HEADER.retryCount]: 5 },
    });
    expect([readCount('x'), readCount(-1), readCount(1.5), readCount(null)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('drops the broker dead-lettering history and bounds the stored error', () => {
    const outcome = decideFailure(
      {
        ...failed({
          'x-death': [{ count: 1 }],
          'x-first-death-queue': 'q',
          'x-last-death-reason': 'expired',
          keep: 'me',
        }),
        error: new Error('e'.repeat(2_000)),
      },
      backoff,
    );
    expect(Object.keys(outcome.headers).filter((h) => h.includes('death'))).toEqual([]);
    expect(outcome.headers.keep).toBe('me');
    expect(String(outcome.headers[LAST_ERROR_HEADER]).length).toBeLessThanOrEqual(500);
  });

  it('never dead-letters a message failing on the DLQ itself: it waits the cap and is retried', () => {
    const outcome = decideFailure(failed({ [HEADER.retryCount]: 3 }, DLQ_QUEUE), backoff);
    expect(outcome).toMatchObject({ action: 'retry', delayMs: 5_000, headers: { [HEADER.retryCount]: 3 } });
  });
});
