import { FILE_KINDS, FILE_PURPOSES } from '@flatrender/contracts';
import { HttpError } from '@flatrender/platform';
import { z } from 'zod';
import { UploadRefusedError } from '../domain/upload-refusal';
import type { FileRecord } from '../file.repository';

export const fileViewSchema = z
  .object({
    id: z.uuid().describe('File id'),
    purpose: z.enum(FILE_PURPOSES).describe('What the file is for'),
    kind: z.enum(FILE_KINDS).describe('What the content turned out to be (magic bytes, probing)'),
    mime: z.string().describe('Media type of the stored file'),
    original_name: z.string().describe('Name the client gave (display only)'),
    size_bytes: z.int().min(0).describe('Size of the stored file'),
    total_bytes: z.int().min(0).describe('Storage charged to the quota (file and variants)'),
    content_hash: z.string().describe('SHA-256 of the stored file'),
    width: z.int().nullable().describe('Pixels; null for audio and fonts'),
    height: z.int().nullable().describe('Pixels; null for audio and fonts'),
    duration_seconds: z.number().nullable().describe('Length of audio and video'),
    details: z.record(z.string(), z.unknown()).describe('Codecs, frames, what the SVG sanitiser removed'),
    variants: z
      .array(
        z.object({
          name: z.enum(['thumbnail', 'preview']),
          mime: z.string(),
          width: z.int(),
          height: z.int(),
          size_bytes: z.int(),
        }),
      )
      .describe('Derived images; download with ?variant=<name>'),
    referenced: z.boolean().describe('A saved project uses it (unreferenced project uploads are cleaned up)'),
    scheduled_for_deletion: z.boolean().describe('A cleanup will delete it (retention, orphan)'),
    created_at: z.iso.datetime(),
  })
  .meta({ title: 'File' });

export type FileView = z.infer<typeof fileViewSchema>;

export function fileView(file: FileRecord): FileView {
  return {
    id: file.id,
    purpose: file.purpose,
    kind: file.kind,
    mime: file.mime,
    original_name: file.originalName,
    size_bytes: file.sizeBytes,
    total_bytes: file.totalBytes,
    content_hash: file.contentHash,
    width: file.width,
    height: file.height,
    duration_seconds: file.durationSeconds,
    details: file.details,
    variants: file.variants.map((v) => ({
      name: v.name,
      mime: v.mime,
      width: v.width,
      height: v.height,
      size_bytes: v.size_bytes,
    })),
    referenced: file.referencedAt !== null,
    scheduled_for_deletion: file.cleanupId !== null,
    created_at: file.createdAt.toISOString(),
  };
}

/** An upload refusal as the platform's error body (415/413/422/403 with the refusal code). */
export function refusalAsHttp(error: unknown): unknown {
  if (!(error instanceof UploadRefusedError)) return error;
  const field = error.code === 'type_mismatch' ? 'purpose' : 'file';
  return new HttpError(error.status, error.code, error.message, field, error.details);
}
