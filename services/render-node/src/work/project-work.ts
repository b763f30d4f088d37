import { join } from 'node:path';
import type { MessageData } from '@flatrender/contracts';
import {
  ENGINE_GENERATION,
  EngineValidationError,
  type FieldValues,
  type Locale,
  prepareComposition,
  resolveComposition,
  type Template,
} from '@flatrender/engine';
import {
  type AssetFiles,
  type FontFile,
  nodeRenderOptions,
  probeMedia,
  registerFontFile,
  renderFrames,
  renderStill,
  resolveAssetFile,
} from '@flatrender/engine/node';
import type { CacheHold } from '../cache/content-cache';
import { assetRefOf, engineValues } from '../domain/work-values';
import type { CompletedOutput } from '../orchestrator.client';
import { nodeCompositionSource } from './node-composition.source';
import { MIME, uploadBuffer, uploadFile, type WorkControl, type WorkDeps } from './work.types';
import { fetchFailure, WorkFailure } from './work-failure';

type StillItem = MessageData<'render.queue.snapshot'>;
type ChunkItem = MessageData<'render.queue.paid'>;
type ProjectFields = Pick<
  StillItem,
  'engine' | 'template' | 'values' | 'scenes' | 'aspect' | 'fonts' | 'assets' | 'locale'
>;

interface PreparedProject {
  template: Template;
  values: FieldValues;
  locale: Locale;
  fonts: FontFile[];
  assets: AssetFiles;
  holds: CacheHold[];
}

/**
 * Everything a project render needs, local: the parsed template (kept warm by hash), the values in
 * the engine's shape, and every font and asset fetched into the cache, verified, and held until the
 * render ends. Fonts are fetched before anything is drawn: a missing one fails the item, it is never
 * replaced by another.
 */
async function prepareProject(deps: WorkDeps, item: ProjectFields): Promise<PreparedProject> {
  if (item.engine > ENGINE_GENERATION)
    throw new WorkFailure(
      'engine_error',
      `the item needs engine generation ${item.engine}; this node draws 1..${ENGINE_GENERATION}`,
      true,
    );
  const template = await deps.templates.get(item.template).catch((error: unknown) => {
    throw error instanceof EngineValidationError ? error : fetchFailure('template', error);
  });
  const holds: CacheHold[] = [];
  try {
    const fontHold = await deps.cache
      .acquire(item.fonts.map((f) => ({ kind: 'font', contentHash: f.content_hash, blobKey: f.blob_key })))
      .catch((error: unknown) => {
        throw fetchFailure('font', error);
      });
    holds.push(fontHold);
    const assetHold = await deps.cache
      .acquire(item.assets.map((a) => ({ kind: 'asset', contentHash: a.content_hash, blobKey: a.blob_key })))
      .catch((error: unknown) => {
        throw fetchFailure('asset', error);
      });
    holds.push(assetHold);
    const fonts = item.fonts.map((f) => ({
      family: f.family,
      weight: f.weight,
      path: fontHold.pathOf(f.content_hash),
    }));
    // This thread draws stills and checks projects; draw workers register the same files themselves.
    for (const font of fonts) registerFontFile(font);
    const files: Record<string, string> = {};
    for (const a of item.assets) files[assetRefOf(a.content_hash)] = assetHold.pathOf(a.content_hash);
    return {
      template,
      values: engineValues(template, item),
      locale: item.locale ?? template.locales[0] ?? 'fa',
      fonts,
      assets: { files },
      holds,
    };
  } catch (error) {
    for (const hold of holds) hold.release();
    throw error;
  }
}

function releaseAll(project: PreparedProject): void {
  for (const hold of project.holds) hold.release();
}

/** A still of a project (snapshots): drawn on this thread with the warm template, uploaded, described. */
export async function renderSnapshotItem(deps: WorkDeps, item: StillItem): Promise<CompletedOutput> {
  const project = await prepareProject(deps, item);
  try {
    const composition = resolveComposition(project.template, project.values, item.aspect, {
      locale: project.locale,
    });
    const still = await renderStill({
      template: project.template,
      values: project.values,
      aspect: item.aspect,
      locale: project.locale,
      time: item.time_seconds,
      format: item.format,
      quality: 'standard',
      scale: item.width / composition.width,
      assets: project.assets,
      ...(item.watermark ? { watermark: true } : {}),
    });
    const stored = await uploadBuffer(deps.blobs, item.output_key, still.data, still.mimeType);
    return {
      output_key: item.output_key,
      ...stored,
      probe: {
        frames: 1,
        duration_seconds: 0,
        video_codec: item.format === 'png' ? 'png' : 'mjpeg',
        width: still.width,
        height: still.height,
      },
    };
  } finally {
    releaseAll(project);
  }
}

/**
 * One frame range of a job: the project is checked on this thread first (so a missing font or a bad
 * value fails with its own code before any worker starts), then drawn by the draw workers and encoded
 * as a video-only chunk starting with a keyframe, with the encoder settings of the output spec. A
 * still job (png/jpg) is its single frame.
 */
export async function renderChunkItem(
  deps: WorkDeps,
  item: ChunkItem,
  ctl: WorkControl,
): Promise<CompletedOutput> {
  const project = await prepareProject(deps, item);
  try {
    const { template, values, locale, assets } = project;
    const prepare = nodeRenderOptions(locale, {
      resolveRef: (ref) => resolveAssetFile(assets, ref),
      ...(item.watermark ? { watermark: true } : {}),
    });
    const prepared = await prepareComposition(template, values, item.aspect, prepare);
    const composition = prepared.composition;
    if (composition.fps !== item.output.fps)
      throw new WorkFailure(
        'values_invalid',
        `output.fps is ${item.output.fps} but the template renders at ${composition.fps} fps`,
        false,
      );
    if (item.frame_end > composition.frameCount)
      throw new WorkFailure(
        'values_invalid',
        `frames [${item.frame_start}, ${item.frame_end}) exceed the project's ${composition.frameCount} frames`,
        false,
      );
    const scale = item.output.width / composition.width;
    const format = item.output.format;
    ctl.signal.throwIfAborted();

    if (format === 'png' || format === 'jpg') {
      const still = await renderStill({
        template,
        values,
        aspect: item.aspect,
        locale,
        time: item.frame_start / composition.fps,
        format,
        quality: item.output.quality,
        scale,
        assets,
        ...(item.watermark ? { watermark: true } : {}),
      });
      ctl.progress(1);
      const stored = await uploadBuffer(deps.blobs, item.output_key, still.data, still.mimeType);
      return {
        output_key: item.output_key,
        ...stored,
        probe: {
          frames: 1,
          duration_seconds: 0,
          video_codec: format === 'png' ? 'png' : 'mjpeg',
          width: still.width,
          height: still.height,
        },
      };
    }

    const whole = item.frame_start === 0 && item.frame_end === composition.frameCount;
    if (format === 'gif' && !whole)
      throw new WorkFailure('values_invalid', 'a GIF is rendered in one piece, not in frame ranges', false);
    const out = join(ctl.dir, `chunk.${format}`);
    const result = await renderFrames({
      source: nodeCompositionSource({
        template,
        values,
        aspect: item.aspect,
        locale,
        assets,
        fonts: project.fonts,
        ...(item.watermark ? { watermark: true } : {}),
      }),
      format,
      quality: item.output.quality,
      out,
      // A GIF is never a chunk (its palette is per file); the whole file is its one item.
      ...(format === 'gif' ? {} : { range: [item.frame_start, item.frame_end] as [number, number] }),
      scale,
      workers: deps.drawWorkers,
      onProgress: (p) => ctl.progress(p.framesDone),
      signal: ctl.signal,
    });
    const info = await probeMedia(result.out);
    const expected = item.frame_end - item.frame_start;
    if (!info.video || (format !== 'gif' && info.video.frameCount !== expected))
      throw new WorkFailure(
        'output_invalid',
        `the encoded chunk has ${info.video?.frameCount ?? 0} frames, expected ${expected}`,
        true,
      );
    const stored = await uploadFile(deps.blobs, item.output_key, result.out, MIME[format]);
    return {
      output_key: item.output_key,
      ...stored,
      probe: {
        frames: info.video.frameCount,
        duration_seconds: info.video.duration,
        video_codec: info.video.codec,
        width: info.video.width,
        height: info.video.height,
      },
    };
  } finally {
    releaseAll(project);
  }
}
