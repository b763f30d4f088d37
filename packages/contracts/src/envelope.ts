import { z } from 'zod';

/** `{domain}.{entity}.{verb}.v{n}` for events; dispatch keys (`render.queue.vip`) have no version. */
export const EVENT_KEY_PATTERN = /^[a-z_]+(\.[a-z_]+)+\.v[0-9]+$/;

/** The common envelope of every message body (seed catalog, "Common envelope"). */
export const envelopeSchema = z.object({
  event_id: z.uuid(),
  event_type: z.string().min(1),
  event_time: z.iso.datetime({ offset: true }),
  tenant_id: z.uuid(),
  user_id: z.uuid(),
  trace_id: z.uuid(),
  correlation_id: z.uuid(),
  producer: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});

export type EnvelopeBase = z.infer<typeof envelopeSchema>;
export interface Envelope<K extends string = string, D = Record<string, unknown>>
  extends Omit<EnvelopeBase, 'event_type' | 'data'> {
  event_type: K;
  data: D;
}
