import { randomUUID } from 'node:crypto';
import {
  type MessageData,
  type MessageEnvelope,
  type MessageKey,
  PLATFORM_TENANT_ID,
  SYSTEM_USER_ID,
} from '@flatrender/contracts';
import { currentTrace } from '../log/trace-context';

export interface EnvelopeActor {
  /** The tenant the fact belongs to; platform-wide facts use the nil uuid. */
  tenantId?: string;
  /** Who caused it; schedulers and nodes use the nil uuid. */
  userId?: string;
  /** Overrides the trace of the current request or message (rarely needed). */
  traceId?: string;
  correlationId?: string;
}

/**
 * Builds the catalog envelope for a message of `producer`. `trace_id` and `correlation_id` come from the
 * unit of work in progress (the HTTP request, or the message being handled), so a request can be
 * followed through every event it causes.
 */
export function createEnvelope<K extends MessageKey>(
  producer: string,
  key: K,
  data: MessageData<K>,
  actor: EnvelopeActor = {},
): MessageEnvelope<K> {
  const trace = currentTrace();
  const traceId = actor.traceId ?? trace?.traceId ?? randomUUID();
  return {
    event_id: randomUUID(),
    event_type: key,
    event_time: new Date().toISOString(),
    tenant_id: actor.tenantId ?? trace?.tenantId ?? PLATFORM_TENANT_ID,
    user_id: actor.userId ?? trace?.userId ?? SYSTEM_USER_ID,
    trace_id: traceId,
    correlation_id: actor.correlationId ?? trace?.correlationId ?? traceId,
    producer,
    data,
  };
}
