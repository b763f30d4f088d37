import { z } from 'zod';
import { defineMessage } from '../catalog';
import { blobKeySchema, byteCountSchema, sha256Schema, timestampSchema, uuidSchema } from '../common.schemas';

export const FILE_PURPOSES = ['project_asset', 'template_asset', 'font', 'avatar', 'render_output'] as const;
export const FILE_KINDS = ['image', 'svg', 'video', 'audio', 'font'] as const;
export const FILE_REJECTION_CODES = [
  'unsupported_type',
  'type_mismatch',
  'too_large',
  'too_many_pixels',
  'corrupt',
  'unsafe_svg',
] as const;
export const FILE_DELETE_REASONS = [
  'user',
  'retention_expired',
  'quota_enforced',
  'tenant_closed',
  'admin',
] as const;
export const CLEANUP_REASONS = ['retention_expired', 'plan_expired', 'quota_exceeded'] as const;

const quotaFigures = {
  used_bytes: byteCountSchema.describe('Storage the tenant uses'),
  quota_bytes: byteCountSchema.describe('Storage its plan allows'),
  file_count: z.int().min(0).describe('Files the tenant holds'),
};

export const FILE_EVENTS = {
  'file.uploaded.v1': defineMessage({
    key: 'file.uploaded.v1',
    kind: 'event',
    producers: ['file'],
    consumers: ['gateway'],
    description:
      'An upload was received and stored, not yet checked; the gateway streams it to the tenant, file.processed.v1 follows.',
    data: z.strictObject({
      file_id: uuidSchema.describe('File id'),
      purpose: z.enum(FILE_PURPOSES).describe('What the file is for'),
      original_name: z.string().min(1).max(255).describe('Name the client gave (display only, never a path)'),
      declared_mime: z.string().min(3).max(100).describe('Media type the client declared (not trusted)'),
      size_bytes: byteCountSchema.describe('Size stored'),
      content_hash: sha256Schema.describe('SHA-256 of the content'),
      blob_key: blobKeySchema.describe('Where the original is stored'),
      uploaded_at: timestampSchema.describe('When the upload completed'),
    }),
  }),
  'file.processed.v1': defineMessage({
    key: 'file.processed.v1',
    kind: 'event',
    producers: ['file'],
    consumers: ['gateway'],
    description:
      'An uploaded file was checked (magic bytes, pixel limits, SVG sanitising) and either made ready with its variants or rejected; the gateway streams the outcome.',
    data: z.discriminatedUnion('status', [
      z.strictObject({
        file_id: uuidSchema.describe('File id'),
        status: z.literal('ready').describe('The file may be used'),
        kind: z.enum(FILE_KINDS).describe('Detected kind'),
        mime: z.string().min(3).max(100).describe('Detected media type'),
        size_bytes: byteCountSchema.describe('Size of the stored (sanitised) file'),
        content_hash: sha256Schema.describe('SHA-256 of the stored file; render nodes cache by it'),
        blob_key: blobKeySchema.describe('Where the stored file is'),
        width: z.int().min(1).nullable().describe('Pixels; null for audio and fonts'),
        height: z.int().min(1).nullable().describe('Pixels; null for audio and fonts'),
        duration_seconds: z.number().min(0).nullable().describe('Length of audio and video; null otherwise'),
        variants: z
          .array(
            z.strictObject({
              name: z.enum(['thumbnail', 'preview']).describe('Variant name'),
              blob_key: blobKeySchema.describe('Where it is stored'),
              mime: z.string().min(3).max(100).describe('Media type'),
              width: z.int().min(1).describe('Pixels'),
              height: z.int().min(1).describe('Pixels'),
              size_bytes: byteCountSchema.describe('Size'),
            }),
          )
          .describe('Derived images made for the UI'),
        processed_at: timestampSchema.describe('When processing finished'),
      }),
      z.strictObject({
        file_id: uuidSchema.describe('File id'),
        status: z.literal('rejected').describe('The file was refused and deleted'),
        rejection_code: z.enum(FILE_REJECTION_CODES).describe('Why; picks the localized message'),
        rejection_message: z.string().min(1).max(500).describe('Detail for the user'),
        processed_at: timestampSchema.describe('When processing finished'),
      }),
    ]),
  }),
  'file.deleted.v1': defineMessage({
    key: 'file.deleted.v1',
    kind: 'event',
    producers: ['file'],
    consumers: ['gateway'],
    description: 'A file and its variants were removed from storage; the gateway streams it to the tenant.',
    data: z.strictObject({
      file_id: uuidSchema.describe('File id'),
      purpose: z.enum(FILE_PURPOSES).describe('What the file was for'),
      size_bytes: byteCountSchema.describe('Storage freed (original and variants)'),
      reason_code: z.enum(FILE_DELETE_REASONS).describe('Why it was deleted'),
      cleanup_id: uuidSchema.nullable().describe('Cleanup run that deleted it, if any'),
      deleted_at: timestampSchema.describe('When it was deleted'),
    }),
  }),
  'file.quota_warning.v1': defineMessage({
    key: 'file.quota_warning.v1',
    kind: 'event',
    producers: ['file'],
    consumers: ['notification', 'gateway'],
    description:
      "A tenant's storage crossed a warning threshold (80 % then 95 %), once per threshold and crossing; notification warns the owner.",
    data: z.strictObject({
      ...quotaFigures,
      threshold_percent: z.int().min(1).max(99).describe('Threshold crossed'),
      measured_at: timestampSchema.describe('When usage was measured'),
    }),
  }),
  'file.quota_exceeded.v1': defineMessage({
    key: 'file.quota_exceeded.v1',
    kind: 'event',
    producers: ['file'],
    consumers: ['notification', 'gateway'],
    description:
      "A tenant's storage is full: uploads and new outputs are refused until space is freed or the plan grows; notification tells the owner.",
    data: z.strictObject({
      ...quotaFigures,
      refused_bytes: byteCountSchema.describe('Size of the write that was refused'),
      measured_at: timestampSchema.describe('When usage was measured'),
    }),
  }),
  'file.cleanup.scheduled.v1': defineMessage({
    key: 'file.cleanup.scheduled.v1',
    kind: 'event',
    producers: ['file'],
    consumers: ['notification'],
    description:
      'Files of a tenant will be deleted at `scheduled_for` (retention or quota after a plan change); notification warns the owner in advance.',
    data: z.strictObject({
      cleanup_id: uuidSchema.describe('Cleanup run id'),
      reason_code: z.enum(CLEANUP_REASONS).describe('Why the files go'),
      scheduled_for: timestampSchema.describe('When deletion starts'),
      file_count: z.int().min(1).describe('Files that will be deleted'),
      total_bytes: byteCountSchema.describe('Storage they use'),
      file_ids: z
        .array(uuidSchema)
        .max(1000)
        .describe('Files that will be deleted (the first 1000 when there are more)'),
    }),
  }),
  'file.cleanup.executed.v1': defineMessage({
    key: 'file.cleanup.executed.v1',
    kind: 'event',
    producers: ['file'],
    consumers: ['notification'],
    description:
      'A scheduled cleanup ran (each deleted file also has its file.deleted.v1); notification tells the owner what was removed.',
    data: z.strictObject({
      cleanup_id: uuidSchema.describe('Cleanup run id'),
      reason_code: z.enum(CLEANUP_REASONS).describe('Why the files went'),
      deleted_count: z.int().min(0).describe('Files deleted'),
      freed_bytes: byteCountSchema.describe('Storage freed'),
      skipped_count: z.int().min(0).describe('Files kept (in use again, or already gone)'),
      failed_count: z.int().min(0).describe('Files whose deletion failed (retried by the next run)'),
      started_at: timestampSchema.describe('When the run started'),
      finished_at: timestampSchema.describe('When the run finished'),
    }),
  }),
} as const;
