import { z } from 'zod';
import { defineMessage } from '../catalog';
import {
  AUDIO_FORMATS,
  aspectRatioSchema,
  blobKeySchema,
  byteCountSchema,
  httpUrlSchema,
  imageFormatSchema,
  RENDER_JOB_KINDS,
  RENDER_QUALITIES,
  sha256Schema,
  templateRefSchema,
  timestampSchema,
  uuidSchema,
} from '../common.schemas';
import { RENDER_QUEUES } from '../topology';
import { RENDER_FORMATS } from '../vocabulary';

/** Why a render job failed; `retryable` on the event says whether retrying it may help. */
export const RENDER_ERROR_CODES = [
  'template_invalid',
  'values_invalid',
  'font_missing',
  'asset_missing',
  'asset_unreadable',
  'engine_error',
  'encoder_failed',
  'output_invalid',
  'timeout',
  'node_lost',
  'quota_exceeded',
  'internal',
] as const;
export type RenderErrorCode = (typeof RENDER_ERROR_CODES)[number];

export const RENDER_CANCEL_REASONS = [
  'user',
  'admin',
  'tenant_suspended',
  'user_banned',
  'project_deleted',
  'template_unpublished',
] as const;

export const RENDER_STAGES = ['rendering', 'encoding', 'assembling', 'verifying'] as const;

const outputFormatSchema = z.enum([...RENDER_FORMATS, ...AUDIO_FORMATS]);

const jobIdentity = {
  job_id: uuidSchema.describe('Render job id'),
  kind: z.enum(RENDER_JOB_KINDS).describe('What the job produces'),
  project_id: uuidSchema
    .nullable()
    .describe('Project rendered; null for API renders from a template and values'),
};

/**
 * What the API caller attached to a job (Creatomate-style): notification delivers the terminal events
 * of the job to `webhook_url` as well as to the tenant's webhooks, with `metadata` unchanged.
 */
const callerFields = {
  webhook_url: httpUrlSchema
    .nullable()
    .optional()
    .describe(
      'URL the caller asked to be told at (in addition to the tenant webhooks); null or absent = none',
    ),
  metadata: z
    .record(z.string().min(1).max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
    .nullable()
    .optional()
    .describe('Flat JSON object the caller attached to the job, returned unchanged; null or absent = none'),
};

/** A finished output as stored; file registers it under `file_id` (allocated by render). */
export const renderOutputSchema = z.strictObject({
  file_id: uuidSchema.describe(
    'File id the output is registered under (allocated by render, adopted by file)',
  ),
  blob_key: blobKeySchema.describe('Where the output is stored'),
  mime: z.string().min(3).max(100).describe('Media type (`video/mp4`, `image/png`, `audio/mpeg`)'),
  format: outputFormatSchema.describe('Output format'),
  size_bytes: byteCountSchema.describe('Size of the output'),
  content_hash: sha256Schema.describe('SHA-256 of the output'),
  width: z.int().min(1).nullable().describe('Width in pixels; null for audio'),
  height: z.int().min(1).nullable().describe('Height in pixels; null for audio'),
  fps: z.number().positive().nullable().describe('Frame rate; null for stills and audio'),
  duration_seconds: z.number().min(0).nullable().describe('Verified duration; null for stills'),
  frame_count: z.int().min(1).nullable().describe('Verified number of frames; null for audio'),
});

export const RENDER_EVENTS = {
  'render.job.queued.v1': defineMessage({
    key: 'render.job.queued.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: ['gateway', 'notification'],
    description:
      'A render job was accepted and its work dispatched; the gateway streams it to the tenant and notification fires tenant webhooks.',
    data: z.strictObject({
      ...jobIdentity,
      template: templateRefSchema
        .nullable()
        .describe('Template version rendered; null for mockup and voice-over jobs'),
      aspect: aspectRatioSchema.nullable().describe('Aspect ratio; null for voice-over jobs'),
      format: outputFormatSchema.describe('Output format'),
      width: z.int().min(1).nullable().describe('Output width in pixels; null for audio'),
      height: z.int().min(1).nullable().describe('Output height in pixels; null for audio'),
      fps: z.int().min(1).max(120).nullable().describe('Output frame rate; null for stills and audio'),
      quality: z.enum(RENDER_QUALITIES).describe('Encoder preset'),
      duration_seconds: z.number().min(0).nullable().describe('Planned output duration; null for stills'),
      frame_count: z.int().min(1).nullable().describe('Planned frames; null for audio'),
      chunk_count: z.int().min(1).describe('Work items the job was split into'),
      queue: z.enum(RENDER_QUEUES).describe('Render queue the work went to'),
      priority: z.int().min(0).max(10).describe('AMQP priority of its messages'),
      source: z.enum(['studio', 'api']).describe('Where the request came from'),
      queued_at: timestampSchema.describe('When it was accepted'),
    }),
  }),
  'render.job.started.v1': defineMessage({
    key: 'render.job.started.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: ['gateway', 'notification'],
    description: 'A render node leased the first work item of the job; published once per job.',
    data: z.strictObject({
      ...jobIdentity,
      node_id: uuidSchema.describe('Node that took the first work item'),
      queue_wait_seconds: z.number().min(0).describe('Time between queued and started'),
      started_at: timestampSchema.describe('When the first lease was granted'),
    }),
  }),
  'render.job.progress.v1': defineMessage({
    key: 'render.job.progress.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: ['gateway'],
    description:
      'Progress of a rendering job aggregated from node heartbeats, at most about once a second per job; streamed to the tenant.',
    data: z.strictObject({
      job_id: uuidSchema.describe('Render job id'),
      progress: z.number().min(0).max(1).describe('Done fraction, 0 to 1; never decreases for a job'),
      stage: z.enum(RENDER_STAGES).describe('What the job is doing now'),
      frames_done: z.int().min(0).describe('Frames rendered so far'),
      frame_count: z.int().min(1).describe('Frames in the job'),
      chunks_done: z.int().min(0).describe('Work items finished'),
      chunk_count: z.int().min(1).describe('Work items in the job'),
      eta_seconds: z
        .number()
        .min(0)
        .nullable()
        .describe('Estimated seconds to completion; null while unknown'),
      measured_at: timestampSchema.describe('When the figures were taken; consumers drop older ones'),
    }),
  }),
  'render.job.completed.v1': defineMessage({
    key: 'render.job.completed.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: ['file', 'notification', 'gateway'],
    description:
      'A job finished and its output was verified (frames, duration, streams); file takes ownership of the output, notification tells the user and fires webhooks, the gateway streams it.',
    data: z.strictObject({
      ...jobIdentity,
      template: templateRefSchema
        .nullable()
        .describe('Template version rendered; null for mockup and voice-over jobs'),
      output: renderOutputSchema.describe('The verified output'),
      watermark: z.boolean().describe('The output carries the watermark'),
      attempts: z.int().min(1).describe('Highest attempt number any work item needed'),
      queue_wait_seconds: z.number().min(0).describe('Time between queued and started'),
      render_seconds: z.number().min(0).describe('Wall time between started and completed'),
      billed_seconds: z
        .number()
        .min(0)
        .describe('Seconds counted against the plan (see tenant.usage.recorded.v1)'),
      completed_at: timestampSchema.describe('When the output was committed'),
      ...callerFields,
    }),
  }),
  'render.job.failed.v1': defineMessage({
    key: 'render.job.failed.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: ['notification', 'gateway'],
    description:
      'A job failed for good (deterministic error, or retries exhausted); notification tells the user and fires webhooks, the gateway streams it.',
    data: z.strictObject({
      ...jobIdentity,
      error_code: z.enum(RENDER_ERROR_CODES).describe('Machine-readable cause; picks the localized message'),
      error_message: z
        .string()
        .min(1)
        .max(2000)
        .describe('Detail for the user and support (no stack traces)'),
      retryable: z.boolean().describe('A retry may succeed (flaky cause) as opposed to a deterministic one'),
      attempts: z.int().min(1).describe('Attempts made by the failing work item'),
      failed_chunk_index: z
        .int()
        .min(0)
        .nullable()
        .describe('Work item that failed; null for job-level failures'),
      node_id: uuidSchema
        .nullable()
        .describe('Node of the last failing attempt; null when no node was involved'),
      failed_at: timestampSchema.describe('When the job was marked failed'),
      ...callerFields,
    }),
  }),
  'render.job.cancelled.v1': defineMessage({
    key: 'render.job.cancelled.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: ['render-node', 'gateway', 'notification'],
    description:
      'A job was cancelled; every render node running a work item of it stops its encoder within a second (each node listens on its own queue), the gateway streams it, notification fires webhooks.',
    data: z.strictObject({
      ...jobIdentity,
      reason_code: z.enum(RENDER_CANCEL_REASONS).describe('Who or what cancelled it'),
      was_rendering: z.boolean().describe('Some work item was leased to a node when it was cancelled'),
      cancelled_at: timestampSchema.describe(
        'When it was cancelled; results fenced before this are discarded',
      ),
    }),
  }),
  'render.snapshot.requested.v1': defineMessage({
    key: 'render.snapshot.requested.v1',
    kind: 'event',
    producers: ['studio'],
    consumers: ['render-orchestrator', 'gateway'],
    description:
      'A still of a project at a given time was requested (studio records the id the client polls); render dispatches it to render.queue.snapshot and answers with render.snapshot.ready.v1.',
    data: z.strictObject({
      snapshot_id: uuidSchema.describe('Snapshot id'),
      project_id: uuidSchema
        .nullable()
        .describe('Project pictured; null for snapshots from a template and values'),
      project_revision: z
        .int()
        .min(1)
        .optional()
        .describe(
          'Revision of the project pictured (studio.project.saved.v1); render pictures exactly this one',
        ),
      template: templateRefSchema.describe('Template version pictured'),
      aspect: aspectRatioSchema.describe('Aspect ratio'),
      time_seconds: z.number().min(0).describe('Instant of the timeline pictured'),
      format: imageFormatSchema.describe('Image format'),
      width: z.int().min(1).describe('Width in pixels'),
      height: z.int().min(1).describe('Height in pixels'),
      requested_at: timestampSchema.describe('When it was requested'),
    }),
  }),
  'render.snapshot.ready.v1': defineMessage({
    key: 'render.snapshot.ready.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: ['file', 'gateway', 'notification'],
    description:
      'A requested still was rendered and stored; file takes ownership of it, the gateway streams it, notification fires webhooks.',
    data: z.strictObject({
      snapshot_id: uuidSchema.describe('Snapshot id'),
      project_id: uuidSchema.nullable().describe('Project pictured, if any'),
      template: templateRefSchema.describe('Template version pictured'),
      time_seconds: z.number().min(0).describe('Instant of the timeline pictured'),
      output: renderOutputSchema.describe('The stored image'),
      render_ms: z.int().min(0).describe('Milliseconds the node spent on it'),
      ready_at: timestampSchema.describe('When it was stored'),
    }),
  }),
} as const;
