import type { RenderErrorCode } from '@flatrender/contracts';

export interface FailurePolicy {
  /** A work item failing on this many different nodes fails its job. */
  maxFailedNodes: number;
  /** Attempts of one work item at most, whatever the nodes (a one-node farm would loop forever). */
  maxAttempts: number;
}

export type FailureDecision =
  | { action: 'retry' }
  | { action: 'fail'; reason: 'deterministic' | 'failed_on_nodes' | 'attempts_exhausted' };

/**
 * After an attempt of a work item failed (an error the node reported, a rejected output, or a lease
 * that expired): retry it on any node, or fail the job. Deterministic errors (bad values, a font that
 * does not exist) fail at once: another node would fail the same way.
 */
export function decideAfterFailure(
  input: { retryable: boolean; failedNodes: readonly string[]; attempt: number },
  policy: FailurePolicy,
): FailureDecision {
  if (!input.retryable) return { action: 'fail', reason: 'deterministic' };
  if (new Set(input.failedNodes).size >= policy.maxFailedNodes)
    return { action: 'fail', reason: 'failed_on_nodes' };
  if (input.attempt >= policy.maxAttempts) return { action: 'fail', reason: 'attempts_exhausted' };
  return { action: 'retry' };
}

/** Errors that say something about the job, not the node: they never count toward quarantine. */
const JOB_ERRORS: ReadonlySet<RenderErrorCode> = new Set([
  'template_invalid',
  'values_invalid',
  'font_missing',
  'asset_missing',
  'asset_unreadable',
  'quota_exceeded',
]);

export function countsAgainstNode(code: string): boolean {
  return !JOB_ERRORS.has(code as RenderErrorCode);
}
