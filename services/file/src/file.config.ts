import os from 'node:os';
import { type ConfigOf, defineConfig, env, readConfig } from '@flatrender/platform';
import { z } from 'zod';

const MIB = 1024 * 1024;

const percents = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return [80, 95];
    const items = value.split(',').map((s) => Number(s.trim()));
    if (items.some((n) => !Number.isInteger(n) || n < 1 || n > 99)) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma list of whole percents between 1 and 99' });
      return z.NEVER;
    }
    return [...new Set(items)].sort((a, b) => a - b);
  });

/** The file service's own settings (uploads, processing, quotas, retention). */
export const fileConfigShape = defineConfig('file', {
  maxImageBytes: {
    env: 'FILE_MAX_IMAGE_BYTES',
    doc: 'Largest PNG, JPEG, WebP or GIF upload (bytes); the plan may allow less.',
    schema: env.int(25 * MIB, 1),
    defaultDoc: '26214400 (25 MiB)',
  },
  maxSvgBytes: {
    env: 'FILE_MAX_SVG_BYTES',
    doc: 'Largest SVG upload (bytes); SVGs are parsed whole to be sanitised.',
    schema: env.int(2 * MIB, 1),
    defaultDoc: '2097152 (2 MiB)',
  },
  maxVideoBytes: {
    env: 'FILE_MAX_VIDEO_BYTES',
    doc: 'Largest MP4 or WebM upload (bytes).',
    schema: env.int(500 * MIB, 1),
    defaultDoc: '524288000 (500 MiB)',
  },
  maxAudioBytes: {
    env: 'FILE_MAX_AUDIO_BYTES',
    doc: 'Largest MP3, WAV or OGG upload (bytes).',
    schema: env.int(100 * MIB, 1),
    defaultDoc: '104857600 (100 MiB)',
  },
  maxFontBytes: {
    env: 'FILE_MAX_FONT_BYTES',
    doc: 'Largest TTF, OTF or WOFF2 upload (bytes).',
    schema: env.int(20 * MIB, 1),
    defaultDoc: '20971520 (20 MiB)',
  },
  maxImagePixels: {
    env: 'FILE_MAX_IMAGE_PIXELS',
    doc: 'Most pixels of one image frame (width x height); more is refused as a decompression bomb.',
    schema: env.int(50_000_000, 1),
    defaultDoc: '50000000',
  },
  maxAnimationPixels: {
    env: 'FILE_MAX_ANIMATION_PIXELS',
    doc: 'Most pixels of all frames of an animated GIF or WebP together.',
    schema: env.int(500_000_000, 1),
    defaultDoc: '500000000',
  },
  thumbnailPx: {
    env: 'FILE_THUMBNAIL_PX',
    doc: 'Longest side of the WebP thumbnail made for images, SVGs and videos.',
    schema: env.int(320, 16),
    defaultDoc: '320',
  },
  processingTimeoutSeconds: {
    env: 'FILE_PROCESSING_TIMEOUT_SECONDS',
    doc: 'Longest a probe or thumbnail of one audio/video upload may take before it is refused as corrupt.',
    schema: env.int(60, 1),
    defaultDoc: '60',
  },
  downloadUrlSeconds: {
    env: 'FILE_DOWNLOAD_URL_SECONDS',
    doc: 'Lifetime of a signed download URL.',
    schema: env.int(300, 10),
    defaultDoc: '300',
  },
  quotaWarningPercents: {
    env: 'FILE_QUOTA_WARNING_PERCENTS',
    doc: 'Storage thresholds (percent of the quota) announced by file.quota_warning.v1 when crossed.',
    schema: percents,
    defaultDoc: '80,95',
  },
  defaultStorageBytes: {
    env: 'FILE_DEFAULT_STORAGE_BYTES',
    doc: "Storage quota of a tenant whose plan the file service has not heard of yet (the free plan's).",
    schema: env.int(1024 * MIB, 0),
    defaultDoc: '1073741824 (1 GiB)',
  },
  defaultMaxUploadBytes: {
    env: 'FILE_DEFAULT_MAX_UPLOAD_BYTES',
    doc: 'Largest single upload of a tenant whose plan is not known yet.',
    schema: env.int(100 * MIB, 0),
    defaultDoc: '104857600 (100 MiB)',
  },
  defaultRetentionDays: {
    env: 'FILE_DEFAULT_RETENTION_DAYS',
    doc: 'Days render outputs are kept for a tenant whose plan is not known yet.',
    schema: env.int(7, 1),
    defaultDoc: '7',
  },
  orphanDays: {
    env: 'FILE_ORPHAN_DAYS',
    doc: 'Days after which a project upload that no project ever referenced is scheduled for cleanup.',
    schema: env.int(7, 1),
    defaultDoc: '7',
  },
  cleanupGraceHours: {
    env: 'FILE_CLEANUP_GRACE_HOURS',
    doc: 'Hours between file.cleanup.scheduled.v1 (the owner is warned) and the deletion.',
    schema: env.int(24, 0),
    defaultDoc: '24',
  },
  retentionIntervalSeconds: {
    env: 'FILE_RETENTION_INTERVAL_SECONDS',
    doc: 'How often the retention scheduler runs (expired uploads, cleanups, leftover blobs).',
    schema: env.int(300, 1),
    defaultDoc: '300',
  },
  uploadExpiryHours: {
    env: 'FILE_UPLOAD_EXPIRY_HOURS',
    doc: 'Hours an unfinished resumable (tus) upload is kept before it is discarded.',
    schema: env.int(24, 1),
    defaultDoc: '24',
  },
  tempDir: {
    env: 'FILE_TEMP_DIR',
    doc: 'Where uploads are spooled while they are checked and processed (never kept there).',
    schema: z.string().default(os.tmpdir()),
    defaultDoc: 'the system temp dir',
  },
});

export type FileConfig = ConfigOf<typeof fileConfigShape>;

/** The file section read from `source` (the process environment unless a test gives its own). */
export function loadFileConfig(
  source: Readonly<Record<string, string | undefined>> = process.env,
): FileConfig {
  return readConfig(fileConfigShape, source);
}
