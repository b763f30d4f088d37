// Work items on `flatrender.render`. Each carries everything a render node needs, so nodes never
// read the render database; PostgreSQL stays the truth and a lost queue is rebuilt by re-dispatching.
import { z } from 'zod';
import { defineMessage } from '../catalog';
import {
  aspectRatioSchema,
  assetRefSchema,
  audioFormatSchema,
  blobKeySchema,
  fieldValuesSchema,
  fontRefSchema,
  imageFormatSchema,
  LOCALES,
  MOCKUP_KINDS,
  RENDER_QUALITIES,
  renderFormatSchema,
  sceneSchema,
  sha256Schema,
  uuidSchema,
} from '../common.schemas';

const leaseFields = {
  job_id: uuidSchema.describe('Render job'),
  attempt: z.int().min(1).describe('Attempt number of this work item (1 on first dispatch)'),
  fencing_token: z
    .int()
    .min(1)
    .describe('Grows with every lease of the work item; results carrying an older token are ignored'),
  lease_seconds: z
    .number()
    .positive()
    .describe('Lease length; heartbeats must extend it before it runs out or the item is re-queued'),
};

export const templateSourceRefSchema = z.strictObject({
  template_id: uuidSchema.describe('Template id'),
  version: z.int().min(1).describe('Published version'),
  content_hash: sha256Schema.describe('SHA-256 of the template document; the node cache key'),
  source: z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('blob').describe('Fetch the document from the blob store (or the node cache)'),
        blob_key: blobKeySchema.describe('Blob key of the template document'),
      }),
      z.strictObject({
        type: z.literal('inline').describe('The document travels in the message'),
        document: z
          .record(z.string(), z.unknown())
          .describe('The template document itself (checked by the engine)'),
      }),
    ])
    .describe('Where the document is'),
});

const stillFields = {
  engine: z.int().min(1).describe('Engine generation to render with (the one the template was made for)'),
  template: templateSourceRefSchema.describe('Template version to render'),
  values: fieldValuesSchema.describe('Every field value, defaults resolved, by field path'),
  scenes: z.array(sceneSchema).min(1).describe('Resolved scene list with durations'),
  aspect: aspectRatioSchema.describe('Aspect ratio'),
  fonts: z
    .array(fontRefSchema)
    .describe('Every font face needed; a node lacking one fetches it, never falls back'),
  assets: z.array(assetRefSchema).describe('Every asset needed (template assets and user images)'),
  output_key: blobKeySchema.describe('Where the result must be written (unique per job, item and attempt)'),
  watermark: z.boolean().describe('Draw the FlatRender watermark'),
  locale: z
    .enum(LOCALES)
    .optional()
    .describe("Language of the render (digits, text direction); absent = the template's first language"),
};

export const renderChunkSchema = z
  .strictObject({
    ...leaseFields,
    chunk_id: uuidSchema.describe('Work item id'),
    chunk_index: z.int().min(0).describe('Position of the work item in the job (0-based)'),
    chunk_count: z.int().min(1).describe('Work items in the job'),
    max_render_seconds: z
      .number()
      .positive()
      .describe('A node still busy with the item after this long treats it as hung and fails the attempt'),
    ...stillFields,
    output: z
      .strictObject({
        format: renderFormatSchema.describe('Output format of the job'),
        width: z.int().min(1).describe('Pixels'),
        height: z.int().min(1).describe('Pixels'),
        fps: z.int().min(1).max(120).describe('Frames per second'),
        quality: z.enum(RENDER_QUALITIES).describe('Encoder preset'),
      })
      .describe('Output specification of the job'),
    frame_start: z.int().min(0).describe('First frame of the item (timeline frame at `output.fps`)'),
    frame_end: z.int().min(1).describe('Frame after the last one of the item (exclusive)'),
  })
  .refine((d) => d.frame_end > d.frame_start, {
    path: ['frame_end'],
    message: 'frame_end must exceed frame_start',
  })
  .refine((d) => d.chunk_index < d.chunk_count, {
    path: ['chunk_index'],
    message: 'chunk_index must be < chunk_count',
  });
export type RenderChunk = z.infer<typeof renderChunkSchema>;

export const renderSnapshotSchema = z.strictObject({
  snapshot_id: uuidSchema.describe('Snapshot id'),
  attempt: z.int().min(1).describe('Attempt number (1 on first dispatch)'),
  ...stillFields,
  time_seconds: z.number().min(0).describe('Instant of the timeline to draw'),
  format: imageFormatSchema.describe('Image format'),
  width: z.int().min(1).describe('Pixels'),
  height: z.int().min(1).describe('Pixels'),
});

export const renderMockupSchema = z.strictObject({
  ...leaseFields,
  image: z
    .strictObject({
      file_id: uuidSchema.describe('Uploaded or rendered image (file service)'),
      content_hash: sha256Schema.describe('SHA-256 of the image; the node cache key'),
      blob_key: blobKeySchema.describe('Where the image is stored'),
      mime: z.string().min(3).max(100).describe('Media type'),
      width: z.int().min(1).describe('Pixels'),
      height: z.int().min(1).describe('Pixels'),
    })
    .describe('Image to place in the mockup'),
  mockup: z.enum(MOCKUP_KINDS).describe('Device or frame to place the image in'),
  format: imageFormatSchema.describe('Output image format'),
  width: z.int().min(1).describe('Output width in pixels (height follows the mockup)'),
  output_key: blobKeySchema.describe('Where the result must be written'),
});

export const renderVoiceoverSchema = z.strictObject({
  ...leaseFields,
  text: z.string().min(1).max(5000).describe('Text to speak'),
  language: z.enum(LOCALES).describe('Language of the text'),
  voice: z
    .string()
    .regex(/^[a-z0-9+_-]{1,40}$/, 'voice id')
    .describe('Voice id of the speech engine (`f1`, `m3`...)'),
  speed: z.number().min(0.5).max(2).describe('Speaking rate relative to normal'),
  format: audioFormatSchema.describe('Output audio format'),
  output_key: blobKeySchema.describe('Where the result must be written'),
});

const chunkQueue = <K extends 'render.queue.vip' | 'render.queue.paid' | 'render.queue.preview'>(
  key: K,
  who: string,
) =>
  defineMessage({
    key,
    kind: 'render-dispatch',
    producers: ['render-orchestrator'],
    consumers: ['render-node'],
    description: `One frame range (work item) of a template render job of ${who}, taken by a node under a lease.`,
    data: renderChunkSchema,
  });

export const RENDER_DISPATCH = {
  'render.queue.snapshot': defineMessage({
    key: 'render.queue.snapshot',
    kind: 'render-dispatch',
    producers: ['render-orchestrator'],
    consumers: ['render-node'],
    description:
      'A single still of a template at a given time (studio thumbnails, free snapshot of every render).',
    data: renderSnapshotSchema,
  }),
  'render.queue.vip': chunkQueue('render.queue.vip', 'a VIP plan'),
  'render.queue.paid': chunkQueue('render.queue.paid', 'a paid plan'),
  'render.queue.preview': chunkQueue('render.queue.preview', 'a free plan or a low-resolution preview'),
  'render.queue.mockup': defineMessage({
    key: 'render.queue.mockup',
    kind: 'render-dispatch',
    producers: ['render-orchestrator'],
    consumers: ['render-node'],
    description: 'Place an image into a device or poster mockup (a one-item render job).',
    data: renderMockupSchema,
  }),
  'render.queue.voiceover': defineMessage({
    key: 'render.queue.voiceover',
    kind: 'render-dispatch',
    producers: ['render-orchestrator'],
    consumers: ['render-node'],
    description: 'Speak a text with the speech engine into an audio file (a one-item render job).',
    data: renderVoiceoverSchema,
  }),
} as const;
