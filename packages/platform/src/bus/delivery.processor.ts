import { DLQ_QUEUE, type Envelope, HEADER } from '@flatrender/contracts';
import type { Logger } from 'pino';
import { newTrace, runWithTrace } from '../log';
import type { DeliveredMessage, MessageHandler, SubscribeSpec } from './bus';
import { decodeDelivery, parseBody } from './bus.codec';
import type { BusMetrics } from './bus.metrics';
import { type BackoffOptions, decideFailure, originalRoutingKey, readCount } from './retry.policy';

/** A message as both adapters receive it, before any checks. */
export interface InboundDelivery {
  /** The routing key on the wire (a retried message carries its retry queue's key). */
  routingKey: string;
  /** The body as text; not necessarily JSON. */
  content: string;
  headers: Record<string, unknown>;
  redelivered: boolean;
  priority?: number;
}

/** How an adapter re-publishes a failed message; both resolve only once the broker holds the copy. */
export interface FailureRoutes {
  /** Puts a copy back on the subscribed queue after `delayMs` without holding up the queue meanwhile. */
  retry(delayMs: number, headers: Record<string, unknown>): Promise<void>;
  /** Publishes a copy on `flatrender.dlq`. */
  deadLetter(routingKey: string, headers: Record<string, unknown>): Promise<void>;
}

export interface DeliveryContext {
  spec: SubscribeSpec;
  handler: MessageHandler;
  backoff: BackoffOptions;
  metrics: BusMetrics;
  logger: Logger;
}

/**
 * The consumer side of the bus, shared by both adapters so that they validate, retry and dead-letter
 * identically. Resolves when the delivery may be acknowledged: the handler succeeded, or a copy has
 * been re-published for retry or to the DLQ. Rejects only when that re-publish failed; the adapter
 * then leaves the delivery unacknowledged so that the broker delivers it again.
 */
export async function processDelivery(
  context: DeliveryContext,
  delivery: InboundDelivery,
  routes: FailureRoutes,
): Promise<void> {
  const { spec, handler, logger, metrics } = context;
  const routingKey = originalRoutingKey(delivery.headers, delivery.routingKey);
  const checked =
    spec.queue === DLQ_QUEUE
      ? acceptAnything(delivery.content)
      : decodeDelivery(routingKey, delivery.content, delivery.headers);

  let failure: unknown;
  if (checked.ok && spec.queue !== DLQ_QUEUE)
    metrics.lag(spec.queue, (Date.now() - Date.parse(checked.envelope.event_time)) / 1000);
  if (checked.ok) {
    const message: DeliveredMessage = {
      routingKey,
      envelope: checked.envelope,
      body: checked.body,
      headers: delivery.headers,
      retryCount: readCount(delivery.headers[HEADER.retryCount]) ?? 0,
      redelivered: delivery.redelivered,
      ...(delivery.priority !== undefined ? { priority: delivery.priority } : {}),
    };
    try {
      await runWithTrace(traceOf(checked.envelope), () => handler(message));
      metrics.consumed(routingKey, spec.queue);
      return;
    } catch (error) {
      failure = error;
    }
  } else {
    failure = new Error(`invalid message: ${checked.error}`);
  }

  const outcome = decideFailure(
    { queue: spec.queue, routingKey, headers: delivery.headers, error: failure, maxRetries: spec.maxRetries },
    context.backoff,
  );
  const log = {
    queue: spec.queue,
    routing_key: routingKey,
    retry_count: outcome.headers[HEADER.retryCount],
    err: failure,
  };
  if (outcome.action === 'retry') {
    await routes.retry(outcome.delayMs, outcome.headers);
    metrics.retried(routingKey, spec.queue);
    logger.warn({ ...log, delay_ms: outcome.delayMs }, 'bus: message failed, retrying later');
  } else {
    await routes.deadLetter(routingKey, outcome.headers);
    metrics.deadLettered(routingKey, spec.queue);
    logger.error(log, 'bus: message failed its last retry, moved to the DLQ');
  }
}

/** On the DLQ anything may arrive: the handler gets the body as it is, parsed when it is JSON. */
function acceptAnything(content: string): { ok: true; envelope: Envelope; body: unknown } {
  const { value } = parseBody(content);
  return { ok: true, envelope: value as Envelope, body: value };
}

function traceOf(envelope: Envelope) {
  const valid = typeof envelope === 'object' && envelope !== null && typeof envelope.trace_id === 'string';
  return valid
    ? {
        traceId: envelope.trace_id,
        correlationId: envelope.correlation_id ?? envelope.trace_id,
        tenantId: envelope.tenant_id,
        userId: envelope.user_id,
      }
    : newTrace();
}
