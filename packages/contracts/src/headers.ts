// AMQP headers every message carries (seed catalog, "Headers (AMQP)").

export const HEADER = {
  contentType: 'content-type',
  contentEncoding: 'content-encoding',
  eventType: 'x-event-type',
  tenantId: 'x-tenant-id',
  traceId: 'x-trace-id',
  retryCount: 'x-retry-count',
  maxRetries: 'x-max-retries',
  originalRoutingKey: 'x-original-routing-key',
} as const;

export const CONTENT_TYPE = 'application/json';
export const CONTENT_ENCODING = 'utf-8';

/** Headers that must be present on every message; a consumer treats a message without them as invalid. */
export const REQUIRED_HEADERS = [
  HEADER.contentType,
  HEADER.contentEncoding,
  HEADER.eventType,
  HEADER.tenantId,
  HEADER.traceId,
] as const;

/** The header table of the catalog, with the value type of each header. */
export const HEADER_SPECS: readonly {
  name: (typeof HEADER)[keyof typeof HEADER];
  required: boolean;
  type: 'string' | 'integer';
  notes: string;
}[] = [
  { name: HEADER.contentType, required: true, type: 'string', notes: `Always \`${CONTENT_TYPE}\`` },
  { name: HEADER.contentEncoding, required: true, type: 'string', notes: `Always \`${CONTENT_ENCODING}\`` },
  {
    name: HEADER.eventType,
    required: true,
    type: 'string',
    notes: 'Same as `event_type` (for routing convenience)',
  },
  {
    name: HEADER.tenantId,
    required: true,
    type: 'string',
    notes: 'Same as `tenant_id`, for tenant-aware consumers',
  },
  { name: HEADER.traceId, required: true, type: 'string', notes: 'Same as `trace_id`; distributed tracing' },
  {
    name: HEADER.retryCount,
    required: false,
    type: 'integer',
    notes: 'Incremented on each requeue; absent = 0',
  },
  {
    name: HEADER.maxRetries,
    required: false,
    type: 'integer',
    notes: 'Retries allowed before dead-lettering; absent = 3',
  },
  {
    name: HEADER.originalRoutingKey,
    required: false,
    type: 'string',
    notes: 'Set on messages republished to `flatrender.dlq`: the routing key they had',
  },
];

/**
 * `x-tenant-id` for messages that belong to no tenant (platform-wide facts such as node heartbeats).
 * The envelope's `tenant_id` is a uuid, so the nil uuid stands for "the platform".
 */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/** `user_id` of messages caused by no user (schedulers, render nodes, the reaper). */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';
