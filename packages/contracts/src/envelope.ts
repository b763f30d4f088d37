import { z } from 'zod';

/** `{domain}.{entity}.{verb}.v{n}` for events; dispatch keys (`render.queue.vip`) have no version. */
export const EVENT_KEY_PATTERN = /^[a-z_]+(\.[a-z_]+)+\.v[0-9]+$/;

/** The common envelope of every message body (seed catalog, "Common envelope"). */
export const envelopeSchema = z.object({
  event_id: z.uuid().describe('Unique id of the message; consumers deduplicate by it (inbox)'),
  event_type: z.string().min(1).describe('The routing key it was published with'),
  event_time: z.iso.datetime({ offset: true }).describe('When the fact happened (or the work was requested)'),
  tenant_id: z
    .uuid()
    .describe('Tenant the message belongs to; the nil uuid (PLATFORM_TENANT_ID) for platform-wide facts'),
  user_id: z
    .uuid()
    .describe(
      'User who caused it (the actor); the nil uuid (SYSTEM_USER_ID) for schedulers, nodes, the reaper',
    ),
  trace_id: z.uuid().describe('Distributed trace the message belongs to'),
  correlation_id: z
    .uuid()
    .describe('Id shared by every message of one business flow (the request that started it)'),
  producer: z.string().min(1).describe("Service that published it; one of the key's producers"),
  data: z.record(z.string(), z.unknown()).describe('The payload; its schema depends on the routing key'),
});

export type EnvelopeBase = z.infer<typeof envelopeSchema>;
export interface Envelope<K extends string = string, D = Record<string, unknown>>
  extends Omit<EnvelopeBase, 'event_type' | 'data'> {
  event_type: K;
  data: D;
}
