import { z } from 'zod';
import { defineMessage } from '../catalog';
import { byteCountSchema, httpUrlSchema, timestampSchema, uuidSchema } from '../common.schemas';
import { WEBHOOK_EVENT_KEYS } from '../vocabulary';

export const webhookEventKeySchema = z.enum(WEBHOOK_EVENT_KEYS);

export const USAGE_METRICS = ['render_seconds', 'snapshots', 'mockups', 'voiceover_characters'] as const;
export const WEBHOOK_ERROR_CODES = [
  'timeout',
  'connection_failed',
  'tls_error',
  'http_status',
  'blocked_address',
  'response_too_large',
] as const;

const webhookDelivery = {
  webhook_id: uuidSchema.describe('Webhook endpoint id'),
  delivery_id: uuidSchema.describe(
    'Delivery id; the endpoint receives it as the `X-FlatRender-Delivery` header',
  ),
  event_id: uuidSchema.describe('`event_id` of the delivered event'),
  event_type: webhookEventKeySchema.describe('Routing key of the delivered event'),
  url: httpUrlSchema.describe('Endpoint URL at the time of delivery'),
};

export const TENANT_EVENTS = {
  'tenant.usage.recorded.v1': defineMessage({
    key: 'tenant.usage.recorded.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: ['identity'],
    description:
      "Metered usage of a tenant was recorded (once per finished job or snapshot); identity keeps it against the plan's period for billing and the usage view.",
    data: z.strictObject({
      usage_id: uuidSchema.describe('Usage record id; consumers count each once'),
      metric: z.enum(USAGE_METRICS).describe('What was used'),
      quantity: z.number().min(0).describe('Amount used, in the unit of the metric'),
      source_kind: z.enum(['render_job', 'snapshot']).describe('What used it'),
      source_id: uuidSchema.describe('Render job or snapshot id'),
      period: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
        .describe('Calendar month (UTC) the usage counts toward'),
      period_total: z.number().min(0).describe('Total of the metric in `period` after this record'),
      period_limit: z
        .number()
        .min(0)
        .nullable()
        .describe("The plan's limit for the metric; null = unlimited"),
      recorded_at: timestampSchema.describe('When it was recorded'),
      frames: z.int().min(0).optional().describe('Frames rendered by the job (render jobs and snapshots)'),
      width: z.int().min(1).nullable().optional().describe('Output width in pixels; null for audio'),
      height: z.int().min(1).nullable().optional().describe('Output height in pixels; null for audio'),
      size_bytes: byteCountSchema.optional().describe('Size of the stored output'),
    }),
  }),
  'tenant.webhook.fired.v1': defineMessage({
    key: 'tenant.webhook.fired.v1',
    kind: 'event',
    producers: ['notification'],
    consumers: [],
    description:
      "A tenant's webhook endpoint accepted a delivery with a 2xx answer (for the tenant's delivery log).",
    data: z.strictObject({
      ...webhookDelivery,
      status_code: z.int().min(200).max(299).describe('HTTP status answered'),
      duration_ms: z.int().min(0).describe('Time until the answer'),
      attempt: z.int().min(1).describe('Attempt that succeeded'),
      fired_at: timestampSchema.describe('When the answer arrived'),
    }),
  }),
  'tenant.webhook.failed.v1': defineMessage({
    key: 'tenant.webhook.failed.v1',
    kind: 'event',
    producers: ['notification'],
    consumers: [],
    description:
      "A delivery to a tenant's webhook endpoint failed (one event per failed attempt; the endpoint is disabled after repeated failures).",
    data: z.strictObject({
      ...webhookDelivery,
      error_code: z.enum(WEBHOOK_ERROR_CODES).describe('Why it failed'),
      status_code: z
        .int()
        .min(100)
        .max(599)
        .nullable()
        .describe('HTTP status answered; null when none arrived'),
      attempt: z.int().min(1).describe('Attempt that failed'),
      will_retry: z.boolean().describe('Another attempt is scheduled'),
      endpoint_disabled: z.boolean().describe('The endpoint was disabled after this failure'),
      failed_at: timestampSchema.describe('When it failed'),
    }),
  }),
} as const;
