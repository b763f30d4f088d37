import {
  CATALOG,
  CONTENT_ENCODING,
  CONTENT_TYPE,
  DISPATCH,
  type Envelope,
  EVENTS,
  HEADER,
  RENDER_QUEUE_MAX_PRIORITY,
  REQUIRED_HEADERS,
  validateMessage,
} from '@flatrender/contracts';
import { type DispatchOptions, MessageValidationError, type PublishOptions } from './bus';

/** The broker-neutral form of a message: what both adapters put on the wire. */
export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  /** JSON text of the validated envelope (UTF-8 on the wire). */
  content: string;
  headers: Record<string, string | number>;
  priority?: number;
  messageId: string;
}

/** Validates a domain event and builds its message for `flatrender.events`. */
export function encodeEvent(envelope: Envelope, options: PublishOptions = {}): OutgoingMessage {
  const routingKey = envelope?.event_type;
  if (!Object.hasOwn(EVENTS, routingKey)) {
    throw new MessageValidationError(
      `"${routingKey}" is not a catalog event; dispatch keys go through dispatch()`,
    );
  }
  return encode(routingKey, envelope, options);
}

/** Validates a work item and builds its message for the dispatch exchange its key belongs to. */
export function encodeDispatch(
  routingKey: string,
  envelope: Envelope,
  options: DispatchOptions = {},
): OutgoingMessage {
  if (!Object.hasOwn(DISPATCH, routingKey)) {
    throw new MessageValidationError(`"${routingKey}" is not a dispatch key`);
  }
  const { priority } = options;
  if (
    priority !== undefined &&
    !(Number.isInteger(priority) && priority >= 0 && priority <= RENDER_QUEUE_MAX_PRIORITY)
  ) {
    throw new MessageValidationError(
      `priority must be a whole number 0-${RENDER_QUEUE_MAX_PRIORITY} (got ${priority})`,
    );
  }
  return { ...encode(routingKey, envelope, options), ...(priority !== undefined ? { priority } : {}) };
}

function encode(routingKey: string, envelope: Envelope, options: PublishOptions): OutgoingMessage {
  const result = validateMessage(routingKey, envelope);
  if (!result.ok) throw new MessageValidationError(`${routingKey}: ${result.error}`);
  const valid = result.envelope;
  return {
    exchange: CATALOG[routingKey as keyof typeof CATALOG].exchange,
    routingKey,
    content: JSON.stringify(valid),
    // The catalog headers come last so that extra headers can never override them.
    headers: {
      ...options.headers,
      [HEADER.contentType]: CONTENT_TYPE,
      [HEADER.contentEncoding]: CONTENT_ENCODING,
      [HEADER.eventType]: valid.event_type,
      [HEADER.tenantId]: valid.tenant_id,
      [HEADER.traceId]: valid.trace_id,
    },
    messageId: valid.event_id,
  };
}

export type DecodedDelivery =
  | { ok: true; envelope: Envelope; body: unknown }
  | { ok: false; error: string; body: unknown };

/** Parses the body as JSON, or keeps the text when it is not JSON. */
export function parseBody(content: string): { json: true; value: unknown } | { json: false; value: string } {
  try {
    return { json: true, value: JSON.parse(content) };
  } catch {
    return { json: false, value: content };
  }
}

/**
 * Everything a consumer checks before a handler sees a message: JSON body, envelope and data valid
 * for the routing key, and the catalog headers present and agreeing with the envelope.
 */
export function decodeDelivery(
  routingKey: string,
  content: string,
  headers: Record<string, unknown>,
): DecodedDelivery {
  const parsed = parseBody(content);
  if (!parsed.json) return { ok: false, error: 'body is not JSON', body: parsed.value };
  const body = parsed.value;
  const missing = REQUIRED_HEADERS.filter(
    (h) => headers[h] === undefined || headers[h] === null || headers[h] === '',
  );
  if (missing.length) return { ok: false, error: `missing headers: ${missing.join(', ')}`, body };
  if (headers[HEADER.contentType] !== CONTENT_TYPE) {
    return { ok: false, error: `${HEADER.contentType} must be ${CONTENT_TYPE}`, body };
  }
  if (String(headers[HEADER.contentEncoding]).toLowerCase() !== CONTENT_ENCODING) {
    return { ok: false, error: `${HEADER.contentEncoding} must be ${CONTENT_ENCODING}`, body };
  }
  const result = validateMessage(routingKey, body);
  if (!result.ok) return { ok: false, error: result.error, body };
  const envelope = result.envelope;
  const agree: Array<[string, string]> = [
    [HEADER.eventType, envelope.event_type],
    [HEADER.tenantId, envelope.tenant_id],
    [HEADER.traceId, envelope.trace_id],
  ];
  for (const [header, expected] of agree) {
    if (headers[header] !== expected) {
      return {
        ok: false,
        error: `header ${header} "${String(headers[header])}" disagrees with the envelope`,
        body,
      };
    }
  }
  return { ok: true, envelope, body };
}
