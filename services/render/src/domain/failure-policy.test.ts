import { describe, expect, it } from 'vitest';
import { countsAgainstNode, decideAfterFailure } from './failure-policy';

const policy = { maxFailedNodes: 3, maxAttempts: 6 };
const nodes = ['n1', 'n2', 'n3'];

describe('decideAfterFailure', () => {
  it('retries a flaky failure until it failed on three different nodes', () => {
    expect(decideAfterFailure({ retryable: true, failedNodes: ['n1'], attempt: 1 }, policy)).toEqual({
      action: 'retry',
    });
    expect(
      decideAfterFailure({ retryable: true, failedNodes: ['n1', 'n1', 'n2'], attempt: 3 }, policy),
    ).toEqual({ action: 'retry' });
    expect(decideAfterFailure({ retryable: true, failedNodes: nodes, attempt: 3 }, policy)).toEqual({
      action: 'fail',
      reason: 'failed_on_nodes',
    });
  });

  it('fails a deterministic error at once and bounds attempts on a one-node farm', () => {
    expect(decideAfterFailure({ retryable: false, failedNodes: ['n1'], attempt: 1 }, policy)).toEqual({
      action: 'fail',
      reason: 'deterministic',
    });
    expect(decideAfterFailure({ retryable: true, failedNodes: ['n1'], attempt: 6 }, policy)).toEqual({
      action: 'fail',
      reason: 'attempts_exhausted',
    });
  });

  it('does not hold errors of the job against the node', () => {
    expect(countsAgainstNode('values_invalid')).toBe(false);
    expect(countsAgainstNode('font_missing')).toBe(false);
    expect(countsAgainstNode('encoder_failed')).toBe(true);
    expect(countsAgainstNode('node_lost')).toBe(true);
  });
});
