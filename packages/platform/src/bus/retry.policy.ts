import { DEFAULT_MAX_RETRIES, DLQ_QUEUE, HEADER } from '@flatrender/contracts';

/** Headers the bus adds when it dead-letters a message, next to the catalog's `x-original-routing-key`. */
export const ORIGINAL_QUEUE_HEADER = 'x-original-queue';
export const LAST_ERROR_HEADER = 'x-last-error';

/** AMQP content headers must fit in one frame (8 KiB by default), so the stored error is bounded. */
const MAX_ERROR_LENGTH = 500;

export interface BackoffOptions {
  /** Delay before the first retry; each further retry doubles it. */
  backoffBaseMs: number;
  /** Upper bound of a delay, and the delay of every retry on the DLQ itself. */
  backoffCapMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { backoffBaseMs: 1_000, backoffCapMs: 60_000 };

/** Delay before retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  return Math.min(options.backoffCapMs, options.backoffBaseMs * 2 ** Math.max(0, retry - 1));
}

export type FailureOutcome =
  | { action: 'retry'; delayMs: number; headers: Record<string, unknown> }
  | { action: 'dead-letter'; headers: Record<string, unknown> };

export interface FailedDelivery {
  queue: string;
  /** The key the message was first published with (not the retry queue's key). */
  routingKey: string;
  headers: Record<string, unknown>;
  error: unknown;
  /** The subscriber's default for messages without `x-max-retries`. */
  maxRetries?: number;
}

/**
 * Decides what happens to a message whose validation or handler failed: retried with
 * `x-retry-count` + 1 after a backoff until the count reaches `x-max-retries`, then dead-lettered
 * with its original routing key and queue. A message failing on the DLQ itself is only retried
 * (at the cap delay): dead-lettering it again would loop without end.
 */
export function decideFailure(failed: FailedDelivery, backoff: BackoffOptions): FailureOutcome {
  const retryCount = readCount(failed.headers[HEADER.retryCount]) ?? 0;
  const maxRetries = readCount(failed.headers[HEADER.maxRetries]) ?? failed.maxRetries ?? DEFAULT_MAX_RETRIES;
  const base = {
    ...withoutBrokerHeaders(failed.headers),
    [HEADER.originalRoutingKey]: failed.routingKey,
    [LAST_ERROR_HEADER]: errorText(failed.error),
  };
  if (failed.queue === DLQ_QUEUE) {
    return { action: 'retry', delayMs: backoff.backoffCapMs, headers: base };
  }
  if (retryCount < maxRetries) {
    return {
      action: 'retry',
      delayMs: backoffDelay(retryCount + 1, backoff),
      headers: { ...base, [HEADER.retryCount]: retryCount + 1 },
    };
  }
  return {
    action: 'dead-letter',
    headers: { ...base, [HEADER.retryCount]: retryCount, [ORIGINAL_QUEUE_HEADER]: failed.queue },
  };
}

/** Reads a count header written by any client (number or numeric text); anything else counts as absent. */
export function readCount(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The routing key a delivery was first published with; retries travel through the retry queue's key. */
export function originalRoutingKey(headers: Record<string, unknown>, deliveredKey: string): string {
  const original = headers[HEADER.originalRoutingKey];
  return typeof original === 'string' && original !== '' ? original : deliveredKey;
}

/**
 * RabbitMQ's own dead-lettering bookkeeping (`x-death`, `x-first-death-*`, `x-last-death-*`) belongs to
 * the broker; republishing it would make the broker read our copy as its own history.
 */
function withoutBrokerHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) =>
        name !== 'x-death' && !name.startsWith('x-first-death-') && !name.startsWith('x-last-death-'),
    ),
  );
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
