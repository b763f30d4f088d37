import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import {
  ACCEPTED_LABELS,
  type AcceptedType,
  acceptedType,
  type Detected,
  describeDetected,
  type FileKind,
  type FilePurpose,
  kindsFor,
  looksLikeSvg,
  purposeAdmits,
} from '../domain/file-types';
import { type SizeLimits, uploadLimit } from '../domain/tenant-policy';
import { UploadRefusedError } from '../domain/upload-refusal';
import {
  type ImageLimits,
  ImageRejectedError,
  type ImageVariant,
  processImage,
  rasterizeSvg,
} from './image.processor';
import { type MediaProbe, MediaProbeFailedError, type MediaProber } from './media-prober';
import { hashStream, LimitExceededError, peekHead, spoolToFile } from './stream-tools';
import { sanitizeSvg, UnsafeSvgError } from './svg-sanitizer';
import { videoThumbnail } from './video-thumbnail';

/** Bytes `file-type` needs to recognise every type it knows from the start of a file. */
const SNIFF_BYTES = 4100;

export interface IngestOptions {
  purpose: FilePurpose;
  sizeLimits: SizeLimits;
  /** The plan's largest single upload. */
  maxUploadBytes: number;
  /** Storage left in the tenant's quota (checked again when the file is recorded). */
  remainingQuotaBytes: number;
  image: ImageLimits;
  prober: MediaProber;
  /** System ffmpeg for video thumbnails; none means videos get no thumbnail. */
  ffmpeg: string | null;
  timeoutMs: number;
}

export interface IngestedFile {
  type: AcceptedType;
  kind: FileKind;
  mime: string;
  /** Extension of the stored file (`png`, `svg`, `mp4`). */
  ext: string;
  original: { size: number; sha256: string };
  stored: { path: string; size: number; sha256: string };
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  details: Record<string, unknown>;
  variants: ImageVariant[];
}

/**
 * Takes an upload stream to a checked, processed file in `dir` (a private temp folder the caller
 * removes), or refuses it with `UploadRefusedError`. The type comes from the first bytes only (never
 * the name or the declared type) and is decided before the rest is read; the size limit is enforced
 * while streaming to disk, so nothing oversized is read to its end or held in memory.
 */
export async function ingestUpload(
  source: Readable,
  dir: string,
  options: IngestOptions,
): Promise<IngestedFile> {
  const { head, stream } = await peekHead(source, SNIFF_BYTES);
  try {
    const type = await detect(head);
    if (!purposeAdmits(options.purpose, type.kind)) {
      throw new UploadRefusedError(
        'type_mismatch',
        `A ${options.purpose} upload must be ${kindsFor(options.purpose).join(' or ')}; this file is ${type.label}.`,
        { found_mime: type.mime, purpose: options.purpose },
      );
    }
    const typeLimit = uploadLimit(type.sizeClass, options.sizeLimits, {
      maxUploadBytes: options.maxUploadBytes,
    });
    const limit = Math.min(typeLimit, options.remainingQuotaBytes);
    const spooled = path.join(dir, 'upload');
    let original: { size: number; sha256: string };
    try {
      original = await spoolToFile(stream, spooled, limit);
    } catch (error) {
      if (!(error instanceof LimitExceededError)) throw error;
      if (typeLimit <= options.remainingQuotaBytes) {
        throw new UploadRefusedError(
          'too_large',
          `A ${type.label} file may have at most ${typeLimit} bytes; this one has more.`,
          {
            limit_bytes: typeLimit,
          },
        );
      }
      throw new UploadRefusedError(
        'quota_exceeded',
        `The team's storage is full: ${options.remainingQuotaBytes} bytes are left and this file is larger.`,
        { remaining_bytes: options.remainingQuotaBytes, refused_bytes: error.seen },
      );
    }
    return await processByKind(type, spooled, original, dir, options);
  } finally {
    stream.destroy();
  }
}

async function detect(head: Buffer): Promise<AcceptedType> {
  const found = await fileTypeFromBuffer(head);
  let detected: Detected = found ? { ext: found.ext, mime: found.mime } : { ext: null, mime: null };
  if ((!found || found.ext === 'xml') && looksLikeSvg(head)) detected = { ext: 'svg', mime: 'image/svg+xml' };
  const type = acceptedType(detected);
  if (!type) {
    throw new UploadRefusedError(
      'unsupported_type',
      `This file is ${describeDetected(detected)}; accepted types: ${ACCEPTED_LABELS}.`,
      { found_mime: detected.mime, found_ext: detected.ext },
    );
  }
  return type;
}

async function processByKind(
  type: AcceptedType,
  spooled: string,
  original: { size: number; sha256: string },
  dir: string,
  options: IngestOptions,
): Promise<IngestedFile> {
  const base = { type, mime: type.mime, ext: type.ext, original };
  switch (type.kind) {
    case 'image': {
      const image = await imageStep(() => processImage(spooled, type.ext, dir, options.image));
      return {
        ...base,
        kind: 'image',
        stored: { path: image.path, ...(await hashStream(createReadStream(image.path))) },
        width: image.width,
        height: image.height,
        durationSeconds: null,
        details: { format: type.ext, frames: image.frames, metadata_stripped: true },
        variants: [image.thumbnail],
      };
    }
    case 'svg': {
      let clean: ReturnType<typeof sanitizeSvg>;
      try {
        clean = sanitizeSvg(await readFile(spooled, 'utf8'));
      } catch (error) {
        if (error instanceof UnsafeSvgError)
          throw new UploadRefusedError('unsafe_svg', `The SVG was refused: ${error.message}.`);
        throw error;
      }
      const body = Buffer.from(clean.svg, 'utf8');
      const stored = path.join(dir, 'stored.svg');
      await writeFile(stored, body);
      const raster = await imageStep(() => rasterizeSvg(body, dir, options.image));
      return {
        ...base,
        kind: 'svg',
        stored: { path: stored, ...(await hashStream(createReadStream(stored))) },
        width: raster.width,
        height: raster.height,
        durationSeconds: null,
        details: { sanitized: true, removed: [...new Set(clean.removed)] },
        variants: [raster.thumbnail],
      };
    }
    case 'video':
    case 'audio':
      return mediaStep(type, spooled, original, dir, options);
    case 'font':
      return {
        ...base,
        kind: 'font',
        stored: { path: spooled, ...original },
        width: null,
        height: null,
        durationSeconds: null,
        details: { format: type.ext },
        variants: [],
      };
  }
}

async function imageStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImageRejectedError)
      throw new UploadRefusedError(error.problem, `The image was refused: ${error.message}.`);
    throw error;
  }
}

/** Containers that may hold video or only sound are stored as what they turn out to hold. */
const AUDIO_ONLY_MIME: Record<string, string> = { mp4: 'audio/mp4', webm: 'audio/webm' };

async function mediaStep(
  type: AcceptedType,
  spooled: string,
  original: { size: number; sha256: string },
  dir: string,
  options: IngestOptions,
): Promise<IngestedFile> {
  let probe: MediaProbe;
  try {
    probe = await options.prober.probe(spooled, { timeoutMs: options.timeoutMs });
  } catch (error) {
    if (error instanceof MediaProbeFailedError) {
      throw new UploadRefusedError('corrupt', `The ${type.label} file cannot be read: ${error.message}.`);
    }
    throw error;
  }
  const isVideo = type.kind === 'video' && probe.video !== null;
  if (!isVideo && !probe.audio) {
    throw new UploadRefusedError(
      'corrupt',
      `The ${type.label} file holds no ${type.kind === 'video' ? 'video or ' : ''}audio stream.`,
    );
  }
  const kind: FileKind = isVideo ? 'video' : 'audio';
  if (!purposeAdmits(options.purpose, kind)) {
    throw new UploadRefusedError('type_mismatch', `A ${options.purpose} upload cannot be ${kind}.`);
  }
  const thumbnail =
    isVideo && options.ffmpeg
      ? await videoThumbnail(
          options.ffmpeg,
          spooled,
          dir,
          Math.min(1, (probe.durationSeconds ?? 0) / 2),
          options.image,
          options.timeoutMs,
        )
      : null;
  return {
    type,
    kind,
    mime: isVideo ? type.mime : (AUDIO_ONLY_MIME[type.ext] ?? type.mime),
    ext: type.ext,
    original,
    stored: { path: spooled, ...original },
    width: isVideo ? (probe.video?.width ?? null) : null,
    height: isVideo ? (probe.video?.height ?? null) : null,
    durationSeconds: probe.durationSeconds,
    details: {
      container: probe.container,
      prober: options.prober.name,
      video: isVideo ? probe.video : null,
      audio: probe.audio,
    },
    variants: thumbnail ? [thumbnail] : [],
  };
}
