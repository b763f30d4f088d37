import {
  ASPECT_RATIOS,
  AUDIO_FORMATS,
  fieldPathSchema,
  httpUrlSchema,
  IMAGE_FORMATS,
  LOCALES,
  MOCKUP_KINDS,
  RENDER_FORMATS,
  RENDER_JOB_KINDS,
  RENDER_JOB_STATUSES,
  RENDER_QUALITIES,
} from '@flatrender/contracts';
import { z } from 'zod';
import { RESOLUTIONS } from '../domain/output-spec';

const isoTime = z.iso.datetime();
const resolutionSchema = z
  .enum(Object.keys(RESOLUTIONS) as [keyof typeof RESOLUTIONS, ...(keyof typeof RESOLUTIONS)[]])
  .describe(
    'Shorter side of the output (`720p` = 1280×720 at 16:9); default the template’s, capped by the plan',
  );

export const metadataSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 32, { message: 'at most 32 keys' })
  .describe('Flat JSON object returned unchanged with the job and in its webhooks');

export const outputRequestSchema = z
  .strictObject({
    format: z.enum(RENDER_FORMATS).default('mp4').describe('mp4, webm, gif (video) or png, jpg (a still)'),
    resolution: resolutionSchema.optional(),
    quality: z.enum(RENDER_QUALITIES).default('standard').describe('Encoder preset'),
    time: z
      .number()
      .min(0)
      .max(3600)
      .optional()
      .describe('Stills: the instant pictured, in seconds (default 0)'),
  })
  .describe('What to produce');

const valuesFields = {
  modifications: z
    .record(fieldPathSchema, z.unknown())
    .optional()
    .describe(
      'Field values by field path (`brand`, `intro.title`); uploads as `file:<id>`; null clears an optional field',
    ),
  durations: z
    .record(z.string().min(1).max(64), z.number().positive().max(600))
    .optional()
    .describe('Scene lengths by scene id'),
  scenes: z
    .array(z.strictObject({ id: z.string().min(1).max(64), block: z.string().min(1).max(64).optional() }))
    .max(100)
    .optional()
    .describe('Scene order of a flexible template (entries with `block` add a scene)'),
};

export const createRenderBody = z
  .strictObject({
    project_id: z
      .uuid()
      .optional()
      .describe('Render a studio project (its template version, values, aspect, language)'),
    template_id: z.uuid().optional().describe('Render a template with `modifications` (API style)'),
    template_version: z.int().min(1).optional().describe('Template version; default the newest published'),
    ...valuesFields,
    aspect: z
      .enum(ASPECT_RATIOS)
      .optional()
      .describe('Aspect ratio; default the project’s or the template’s first'),
    locale: z.enum(LOCALES).optional().describe('Language; default the project’s or the template’s first'),
    output: outputRequestSchema.default({ format: 'mp4', quality: 'standard' }),
    webhook_url: httpUrlSchema.optional().describe('Told of the outcome (render.job.completed|failed.v1)'),
    metadata: metadataSchema.optional(),
  })
  .refine((b) => Boolean(b.project_id) !== Boolean(b.template_id), {
    path: ['template_id'],
    message: 'give exactly one of "project_id" and "template_id"',
  })
  .refine((b) => !b.project_id || (!b.modifications && !b.durations && !b.scenes && !b.template_version), {
    path: ['modifications'],
    message:
      'a project render takes its values from the project; send no "modifications", "durations", "scenes" or "template_version"',
  });

export const batchBody = z
  .strictObject({
    template_id: z.uuid().describe('Template every row renders'),
    template_version: z.int().min(1).optional(),
    aspect: z.enum(ASPECT_RATIOS).optional(),
    locale: z.enum(LOCALES).optional(),
    output: outputRequestSchema.default({ format: 'mp4', quality: 'standard' }),
    webhook_url: httpUrlSchema.optional(),
    metadata: metadataSchema.optional(),
    rows: z
      .array(
        z.strictObject({
          modifications: valuesFields.modifications.default({}),
          metadata: metadataSchema.optional(),
        }),
      )
      .min(1)
      .optional()
      .describe('One job per row'),
    csv: z
      .string()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Instead of `rows`: CSV text whose header row names field paths, one job per line'),
  })
  .refine((b) => Boolean(b.rows) !== Boolean(b.csv), {
    path: ['rows'],
    message: 'give exactly one of "rows" and "csv"',
  });

export const batchQuery = z.object({
  template_id: z.uuid().optional().describe('With a `text/csv` body: the template every row renders'),
  template_version: z.coerce.number().int().min(1).optional(),
  aspect: z.enum(ASPECT_RATIOS).optional(),
  locale: z.enum(LOCALES).optional(),
  format: z.enum(RENDER_FORMATS).optional(),
  resolution: resolutionSchema.optional(),
  quality: z.enum(RENDER_QUALITIES).optional(),
  webhook_url: httpUrlSchema.optional(),
});

export const idParams = z.strictObject({ id: z.uuid() });

export const listQuery = z.object({
  status: z.enum(RENDER_JOB_STATUSES).optional(),
  kind: z.enum(RENDER_JOB_KINDS).optional(),
  project_id: z.uuid().optional(),
  template_id: z.uuid().optional(),
  batch_id: z.uuid().optional(),
  created_after: isoTime.optional(),
  created_before: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[0-9]{1,19}$/)
    .optional()
    .describe('`next_cursor` of the previous page'),
});

const quoteSchema = z
  .object({
    render_seconds: z.number().describe('Seconds counted against the monthly allowance'),
    cost: z.int().describe('Price in rial minor units'),
    currency: z.literal('IRR'),
    period: z.string().describe('Month (UTC) it counts toward'),
  })
  .describe('What the job costs');

const outputSchema = z.object({
  file_id: z.uuid(),
  mime: z.string(),
  format: z.string(),
  size_bytes: z.int(),
  content_hash: z.string(),
  width: z.int().nullable(),
  height: z.int().nullable(),
  fps: z.number().nullable(),
  duration_seconds: z.number().nullable(),
  frame_count: z.int().nullable(),
  file_url: z.string().describe('The output in the file service (`GET` it with your token)'),
  download_url: z.string().describe('Signed download link'),
  download_expires_at: isoTime,
});

export const snapshotSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['requested', 'queued', 'rendering', 'ready', 'failed']),
    source: z.enum(['studio', 'api', 'job']),
    job_id: z.uuid().nullable(),
    project_id: z.uuid().nullable(),
    template: z.object({ template_id: z.uuid(), version: z.int() }),
    aspect: z.enum(ASPECT_RATIOS),
    time_seconds: z.number(),
    format: z.enum(IMAGE_FORMATS),
    width: z.int(),
    height: z.int(),
    url: z.string().nullable().describe('Signed link to the image once ready'),
    url_expires_at: isoTime.nullable(),
    render_ms: z.int().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    requested_at: isoTime,
    ready_at: isoTime.nullable(),
  })
  .meta({ title: 'Snapshot' });

export const jobSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(RENDER_JOB_KINDS),
    status: z.enum(RENDER_JOB_STATUSES),
    stage: z.enum(['waiting', 'queued', 'rendering', 'encoding', 'assembling', 'verifying']).nullable(),
    source: z.enum(['studio', 'api']),
    project_id: z.uuid().nullable(),
    template: z.object({ template_id: z.uuid(), version: z.int() }).nullable(),
    aspect: z.enum(ASPECT_RATIOS).nullable(),
    locale: z.enum(LOCALES).nullable(),
    output_spec: z.object({
      format: z.string(),
      width: z.int().nullable(),
      height: z.int().nullable(),
      fps: z.int().nullable(),
      quality: z.enum(RENDER_QUALITIES),
    }),
    duration_seconds: z.number().nullable(),
    frame_count: z.int().nullable(),
    chunk_count: z.int(),
    queue: z.string(),
    priority: z.int(),
    watermark: z.boolean(),
    progress: z.number().describe('0 to 1'),
    frames_done: z.int(),
    eta_seconds: z.number().nullable(),
    quote: quoteSchema,
    billed_seconds: z.number().nullable(),
    refunded: z.object({ seconds: z.number(), cost: z.int() }).nullable(),
    from_cache: z.boolean(),
    output: outputSchema.nullable(),
    snapshot: snapshotSchema.nullable(),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        retryable: z.boolean(),
        chunk_index: z.int().nullable(),
      })
      .nullable(),
    attempts: z.int(),
    webhook_url: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    batch_id: z.uuid().nullable(),
    retry_of: z.uuid().nullable(),
    created_at: isoTime,
    started_at: isoTime.nullable(),
    finished_at: isoTime.nullable(),
    links: z.object({ self: z.string(), cancel: z.string(), retry: z.string() }),
  })
  .meta({ title: 'RenderJob' });

export const acceptedSchema = z.object({ job: jobSchema, quote: quoteSchema, cached: z.boolean() });

export const snapshotQuery = z.strictObject({
  wait: z.coerce
    .number()
    .min(0)
    .max(20)
    .optional()
    .describe(
      'Seconds to hold the answer until the snapshot is ready or failed (long polling); 0 answers at once',
    ),
});

export const snapshotBody = z
  .strictObject({
    project_id: z.uuid().optional(),
    template_id: z.uuid().optional(),
    template_version: z.int().min(1).optional(),
    modifications: valuesFields.modifications,
    durations: valuesFields.durations,
    aspect: z.enum(ASPECT_RATIOS).optional(),
    locale: z.enum(LOCALES).optional(),
    time: z.number().min(0).max(3600).default(0).describe('Instant pictured, seconds'),
    format: z.enum(IMAGE_FORMATS).default('jpg'),
    resolution: resolutionSchema.optional(),
  })
  .refine((b) => Boolean(b.project_id) !== Boolean(b.template_id), {
    path: ['template_id'],
    message: 'give exactly one of "project_id" and "template_id"',
  });

export const mockupBody = z.strictObject({
  file_id: z.uuid().describe('Uploaded image to place'),
  mockup: z.enum(MOCKUP_KINDS).describe('Device or print frame'),
  format: z.enum(IMAGE_FORMATS).default('png'),
  width: z
    .int()
    .min(64)
    .max(4096)
    .default(1600)
    .describe('Output width in pixels (height follows the mockup)'),
});

export const voiceoverBody = z.strictObject({
  text: z.string().trim().min(1).max(5000).describe('Text to speak'),
  language: z.enum(LOCALES).describe('Language of the text'),
  voice: z
    .string()
    .regex(/^[a-z0-9+_-]{1,40}$/)
    .default('f1')
    .describe('Voice of the speech engine'),
  speed: z.number().min(0.5).max(2).default(1).describe('Speaking rate relative to normal'),
  format: z.enum(AUDIO_FORMATS).default('mp3'),
});

export const usageQuery = z.object({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional()
    .describe('Month `YYYY-MM` (UTC); default the current one'),
});

export const usageSchema = z.object({
  period: z.string(),
  plan: z.string(),
  render_seconds: z.object({
    used: z.number().describe('Seconds of finished jobs'),
    reserved: z.number().describe('Seconds quoted by jobs still queued or rendering'),
    limit: z.number().nullable().describe('Monthly allowance; null = unlimited'),
    remaining: z.number().nullable(),
  }),
  snapshots: z.number(),
  mockups: z.number(),
  voiceover_characters: z.number(),
  jobs: z.number().describe('Jobs finished with usage this period'),
  frames: z.number(),
  size_bytes: z.number(),
});

export const errorDetails = z.array(
  z.object({ row: z.int().optional(), field: z.string().optional(), code: z.string(), message: z.string() }),
);
