import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The trace of the unit of work being executed (an HTTP request or a consumed message). Logs carry it,
 * and events published while it is active inherit `trace_id` and `correlation_id` from it, so one request
 * can be followed through every event it causes.
 */
export interface TraceContext {
  traceId: string;
  correlationId: string;
  tenantId?: string;
  userId?: string;
  requestId?: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

export function runWithTrace<T>(context: TraceContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

export function newTrace(partial: Partial<TraceContext> = {}): TraceContext {
  const traceId = partial.traceId ?? randomUUID();
  return { ...partial, traceId, correlationId: partial.correlationId ?? traceId };
}
