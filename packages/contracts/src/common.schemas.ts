// The vocabulary shared by several messages (and by the REST schemas of the services). A value
// listed here is part of the catalog contract: removing or renaming one is a new message version.
import { z } from 'zod';
import { IMAGE_FORMATS, PLAN_QUEUES, RENDER_FORMATS } from './vocabulary';

export const LOCALES = ['fa', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const localeSchema = z.enum(LOCALES);

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:5'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export const aspectRatioSchema = z.enum(ASPECT_RATIOS);

export const renderFormatSchema = z.enum(RENDER_FORMATS);
export const imageFormatSchema = z.enum(IMAGE_FORMATS);

/** Voice-over output formats (espeak-ng speaks WAV; MP3 is encoded from it). */
export const AUDIO_FORMATS = ['wav', 'mp3'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];
export const audioFormatSchema = z.enum(AUDIO_FORMATS);

/** Encoder presets; each encoder maps them to its own settings (CRF, palette size, JPEG quality). */
export const RENDER_QUALITIES = ['draft', 'standard', 'high'] as const;
export type RenderQuality = (typeof RENDER_QUALITIES)[number];

export const planQueueSchema = z.enum(PLAN_QUEUES);

/** What a render job produces; the kind decides its dispatch queue and its output media. */
export const RENDER_JOB_KINDS = ['video', 'image', 'mockup', 'voiceover'] as const;
export type RenderJobKind = (typeof RENDER_JOB_KINDS)[number];

/** Lifecycle of a render job as the API reports it; each terminal state has its event. */
export const RENDER_JOB_STATUSES = ['queued', 'rendering', 'completed', 'failed', 'cancelled'] as const;
export type RenderJobStatus = (typeof RENDER_JOB_STATUSES)[number];

export const MOCKUP_KINDS = ['phone', 'laptop', 'poster'] as const;
export type MockupKind = (typeof MOCKUP_KINDS)[number];

export const CURRENCIES = ['IRR'] as const;

export const uuidSchema = z.uuid();
export const timestampSchema = z.iso.datetime();
export const byteCountSchema = z.int().min(0);
export const sha256Schema = z
  .string()
  .regex(/^[a-f0-9]{64}$/, 'lowercase hex SHA-256')
  .meta({ title: 'Sha256', description: 'SHA-256 of a content: 64 lowercase hex digits' });

/**
 * Key of an object in the blob store (disk or S3). Built from ids by the writer, never from user
 * input: no leading slash, no `..` segment.
 */
export const blobKeySchema = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\-/]+$/, 'blob key: [A-Za-z0-9._-/], relative, no ".."')
  .meta({
    title: 'BlobKey',
    description: 'Key of an object in the blob store: letters, digits, `._-/`, relative, no `..` segment',
  });

/** Amount of money in rial minor units (the original FlatRender's unit; no fractions). */
export const moneySchema = z.int().min(0);
export const currencySchema = z.enum(CURRENCIES);

export const planCodeSchema = z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/, 'plan code: lowercase slug');
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase slug')
  .max(80);

export const localizedTextSchema = z.strictObject({
  fa: z.string().min(1).max(500).describe('Persian text'),
  en: z.string().min(1).max(500).describe('English text'),
});

export const httpUrlSchema = z.url({ protocol: /^https?$/ }).max(2048);

/** Everything a plan allows; render and file enforce it, identity is its only author. */
export const planLimitsSchema = z.strictObject({
  render_queue: planQueueSchema.describe("Render queue the tenant's template jobs are dispatched to"),
  priority: z
    .int()
    .min(0)
    .max(10)
    .describe("Base AMQP priority of the tenant's render messages (higher first)"),
  max_concurrent_jobs: z.int().min(1).describe('Render jobs of the tenant rendering at the same time'),
  monthly_render_seconds: z
    .int()
    .min(0)
    .nullable()
    .describe('Seconds of output the tenant may render per calendar month; null = unlimited'),
  max_video_seconds: z.int().min(1).describe('Longest output of one render job, in seconds'),
  max_short_side_px: z
    .int()
    .min(1)
    .describe('Largest shorter side of an output in pixels (720 = 720p, 1080 = 1080p, 2160 = 4K)'),
  max_fps: z.int().min(1).max(120).describe('Highest frame rate of an output'),
  formats: z.array(renderFormatSchema).min(1).describe('Output formats the plan may render'),
  watermark: z.boolean().describe('Outputs carry the FlatRender watermark'),
  storage_bytes: byteCountSchema.describe('Storage quota of the tenant (uploads and outputs)'),
  max_upload_bytes: byteCountSchema.describe('Largest single upload'),
  retention_days: z.int().min(1).describe('Days render outputs are kept before cleanup'),
  api_access: z.boolean().describe('API keys may be created and used'),
  team_seats: z.int().min(1).describe('Members the tenant may have, owner included'),
  render_second_price: moneySchema
    .optional()
    .describe(
      'Price of one second of rendered output in rial minor units, quoted with each render job; absent = the render service default',
    ),
});
export type PlanLimits = z.infer<typeof planLimitsSchema>;

export const planSchema = z.strictObject({
  code: planCodeSchema.describe('Stable plan identifier (`free`, `pro`, `business`...)'),
  name: localizedTextSchema.describe('Display name of the plan'),
  limits: planLimitsSchema.describe('What the plan allows'),
});

export const templateRefSchema = z.strictObject({
  template_id: uuidSchema.describe('Template id (content service)'),
  version: z.int().min(1).describe('Published version of the template'),
});

export const fontRefSchema = z.strictObject({
  family: z.string().min(1).max(100).describe('Font family name as templates reference it (`Vazirmatn`)'),
  weight: z.int().min(1).max(1000).describe('CSS weight (400 regular, 800 extra-bold)'),
  style: z.enum(['normal', 'italic']).describe('CSS font style'),
  content_hash: sha256Schema.describe('SHA-256 of the font file; the cache key on render nodes'),
  blob_key: blobKeySchema.describe('Where the font file is stored'),
});

export const assetRefSchema = z.strictObject({
  content_hash: sha256Schema.describe('SHA-256 of the asset; the cache key on render nodes'),
  blob_key: blobKeySchema.describe('Where the asset is stored'),
  mime: z.string().min(3).max(100).describe('Media type of the asset (`image/png`, `audio/mpeg`)'),
});

const fieldScalarSchema = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.strictObject({ asset: sha256Schema.describe('Content hash of an asset listed in `assets`') }),
]);

/**
 * A template field value as the engine consumes it: text, colour, font, number, boolean, an image
 * (by asset hash), or a list of those or of flat records (slides, chart rows). The engine checks
 * values against the template itself.
 */
export const fieldValueSchema = z
  .union([
    fieldScalarSchema,
    z.array(z.union([fieldScalarSchema, z.record(z.string().min(1).max(64), fieldScalarSchema)])).max(500),
  ])
  .meta({
    title: 'FieldValue',
    description:
      'A template field value: text, colour, font, number, boolean, an image `{ "asset": <Sha256> }`, or a list of those or of flat records of those (slides, chart rows)',
  });

/** Field path: a template-wide field (`brand`) or a scene-scoped one (`intro.title`). */
export const fieldPathSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)?$/)
  .meta({
    title: 'FieldPath',
    description: 'A template-wide field (`brand`) or a field scoped to a scene (`intro.title`)',
  });

/** Schemas the generated documents name instead of spelling them out at every use. */
export const NAMED_SCHEMAS = {
  Sha256: sha256Schema,
  BlobKey: blobKeySchema,
  FieldPath: fieldPathSchema,
  FieldValue: fieldValueSchema,
} as const;

export const fieldValuesSchema = z.record(fieldPathSchema, fieldValueSchema);

export const sceneSchema = z.strictObject({
  id: z.string().min(1).max(64).describe('Scene id, unique in the project (scopes its fields)'),
  block: z.string().min(1).max(64).describe('Scene block (`title-card`, `quote`...) or `layers`'),
  duration_seconds: z.number().positive().max(600).describe('Duration, within the bounds the template sets'),
});
