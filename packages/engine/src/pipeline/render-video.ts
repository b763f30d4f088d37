import type { AudioMix } from '../audio/audio-mix';
import { AudioTrackError } from '../audio/audio-mix';
import type { Quality, VideoFormat } from '../encode/encode-settings';
import {
  createEncoder,
  type EncoderDriverChoice,
  type EncoderDriverName,
  type VideoEncoder,
} from '../encode/encoder';
import type { AudioTrack as CompositionAudioTrack } from '../render/composition';
import { resolveComposition } from '../render/composition';
import type { Aspect, Locale, Template } from '../template/template.schema';
import type { FieldValues } from '../values/field-values';
import { type AssetFiles, compositionSource, resolveAssetFile } from './composition.source';
import { abortError, DrawPool } from './draw-pool';
import type { FrameSourceRef } from './frame-source';
import { ProgressMeter, type RenderProgress } from './progress';

export type FrameRange = [start: number, end: number];

export interface RenderFramesOptions {
  source: FrameSourceRef;
  format: VideoFormat;
  quality?: Quality;
  out: string;
  /**
   * Render only frames [start, end) as a chunk: video only (audio is muxed when chunks are joined),
   * starting with a keyframe, with the same encoder settings as every other chunk of the job.
   */
  range?: FrameRange;
  /** Resolution scaling (0.5 = half width and height), applied while drawing. */
  scale?: number;
  audio?: AudioMix;
  driver?: EncoderDriverChoice;
  /** Draw workers; defaults to one per spare core (at most 4). */
  workers?: number;
  onProgress?: (progress: RenderProgress) => void;
  signal?: AbortSignal;
}

export interface RenderResult {
  out: string;
  frames: number;
  range: FrameRange;
  width: number;
  height: number;
  fps: number;
  driver: EncoderDriverName;
  elapsedSeconds: number;
}

/**
 * Draws frames in worker threads while the main thread feeds them, in order, to the encoder.
 * Back-pressure runs from the encoder through the pool to the workers; aborting `signal` stops
 * drawing and kills the encoder (within a second) and leaves no output file.
 */
export async function renderFrames(options: RenderFramesOptions): Promise<RenderResult> {
  const started = performance.now();
  const signal = options.signal;
  if (signal?.aborted) throw abortError();
  const pool = await DrawPool.start({
    source: options.source,
    scale: options.scale ?? 1,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
  let encoder: VideoEncoder | null = null;
  const onAbort = () => {
    void encoder?.abort();
    void pool.close();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const range = checkRange(options.range, pool.info.frameCount);
    const chunk = options.range !== undefined;
    if (chunk && options.format === 'gif') throw new RangeError('GIF cannot be rendered in chunks');
    const driver = await createEncoder({ driver: options.driver ?? 'auto' });
    if (signal?.aborted) throw abortError();
    encoder = await driver.open({
      out: options.out,
      format: options.format,
      width: pool.output.width,
      height: pool.output.height,
      fps: pool.info.fps,
      quality: options.quality,
      audio: chunk ? undefined : options.audio,
    });
    if (signal?.aborted) throw abortError();
    const meter = new ProgressMeter(range[1] - range[0], options.onProgress);
    for await (const { rgba } of pool.frames(range[0], range[1], signal)) {
      await encoder.write(new Uint8Array(rgba), (buffer) => pool.recycle(buffer));
      meter.frameDone();
    }
    const result = await encoder.finish();
    return {
      out: result.out,
      frames: result.frames,
      range,
      width: pool.output.width,
      height: pool.output.height,
      fps: pool.info.fps,
      driver: result.driver,
      elapsedSeconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await encoder?.abort();
    throw signal?.aborted ? abortError() : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

function checkRange(range: FrameRange | undefined, frameCount: number): FrameRange {
  if (!range) return [0, frameCount];
  const [start, end] = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > frameCount || start >= end) {
    throw new RangeError(`range [${start}, ${end}) is not within [0, ${frameCount})`);
  }
  return [start, end];
}

export interface RenderVideoOptions {
  template: Template;
  values?: FieldValues;
  aspect: Aspect;
  /** Defaults to the template's first locale. */
  locale?: Locale;
  format: VideoFormat;
  quality?: Quality;
  out: string;
  range?: FrameRange;
  scale?: number;
  assets?: AssetFiles;
  watermark?: boolean | { text: string };
  driver?: EncoderDriverChoice;
  workers?: number;
  onProgress?: (progress: RenderProgress) => void;
  signal?: AbortSignal;
}

/** Renders a project (template + values) at one aspect to a video file, or a chunk of it. */
export async function renderVideo(options: RenderVideoOptions): Promise<RenderResult> {
  const values = options.values ?? {};
  const locale = options.locale ?? options.template.locales[0] ?? 'fa';
  const composition = resolveComposition(options.template, values, options.aspect, { locale });
  const { template, aspect, assets, watermark, values: _v, locale: _l, ...rest } = options;
  return renderFrames({
    ...rest,
    source: compositionSource({
      template,
      values,
      aspect,
      locale,
      ...(assets ? { assets } : {}),
      ...(watermark ? { watermark } : {}),
    }),
    audio: audioMixOf(composition.audio, assets),
  });
}

/** The composition's music and voice-over as files on disk; music loops to fill the video. */
export function audioMixOf(tracks: CompositionAudioTrack[], assets: AssetFiles | undefined): AudioMix {
  const fileOf = (ref: string) => {
    const file = resolveAssetFile(assets, ref);
    if (!file) throw new AudioTrackError(`audio asset "${ref}" not found`);
    return file;
  };
  const mix: AudioMix = {};
  for (const t of tracks) {
    const common = {
      file: fileOf(t.ref),
      volume: t.volume,
      fadeIn: t.fadeIn,
      fadeOut: t.fadeOut,
      start: t.start,
    };
    if (t.kind === 'music')
      mix.music = { ...common, loop: true, ...(t.duck !== undefined ? { duck: t.duck } : {}) };
    else mix.voiceOver = common;
  }
  return mix;
}
