import type { AudioMix } from '../audio/audio-mix';
import type { OutputSize, Quality, VideoFormat } from './encode-settings';
import { findFfmpeg } from './ffmpeg-binary';

export type EncoderDriverName = 'ffmpeg' | 'node-av';
export type EncoderDriverChoice = EncoderDriverName | 'auto';

export interface VideoEncodeSpec {
  /** Output file; written only by `finish()` succeeding (an aborted or failed encode leaves nothing). */
  out: string;
  format: VideoFormat;
  /** Size of the frames given to `write()`. */
  width: number;
  height: number;
  fps: number;
  quality?: Quality | undefined;
  /** Encoded size when it differs from the frame size (resolution scaling, even numbers). */
  size?: OutputSize | undefined;
  /** Music / voice-over, mixed and fitted to the number of frames written. Ignored for GIF. */
  audio?: AudioMix | undefined;
}

export interface EncodeResult {
  out: string;
  frames: number;
  driver: EncoderDriverName;
}

/**
 * One encode: `write()` every frame in order, then `finish()`; or `abort()` at any time.
 * A frame is the premultiplied RGBA from @napi-rs/canvas `canvas.data()` (width * height * 4 bytes);
 * alpha is ignored, i.e. frames are composited over black. `write()` takes ownership of the buffer
 * (the caller must not touch it again) and resolves when the encoder can take the next frame, which
 * is how back-pressure reaches the producer. When the encoder no longer needs the memory it hands
 * the ArrayBuffer to `release` (possibly a new object over the same memory, after a round trip
 * through a thread), so a producer can reuse a fixed set of frame buffers instead of allocating
 * 8 MB per 1080p frame.
 */
export type ReleaseFrame = (buffer: ArrayBuffer) => void;

export interface VideoEncoder {
  readonly driver: EncoderDriverName;
  write(rgba: Uint8Array, release?: ReleaseFrame): Promise<void>;
  finish(): Promise<EncodeResult>;
  /** Stops the encoder (its process or thread is gone within a second) and removes partial output. */
  abort(): Promise<void>;
}

export interface JoinOptions {
  /** Container of the chunks and of the joined file; chunks are only made for mp4 and webm. */
  format: 'mp4' | 'webm';
  audio?: AudioMix | undefined;
  quality?: Quality | undefined;
}

export interface EncoderDriver {
  readonly name: EncoderDriverName;
  open(spec: VideoEncodeSpec): Promise<VideoEncoder>;
  /**
   * Concatenates chunk files (video only, same settings, each starting with a keyframe) WITHOUT
   * re-encoding the video, and muxes the mixed audio fitted to the joined duration.
   */
  joinChunks(chunks: string[], options: JoinOptions, out: string): Promise<void>;
}

export class EncoderError extends Error {
  override readonly name = 'EncoderError';
}

export class EncoderAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('encode aborted');
  }
}

/** `auto` picks the system ffmpeg when one is found (PATH or FFMPEG_PATH), node-av otherwise. */
export async function createEncoder(options: { driver?: EncoderDriverChoice } = {}): Promise<EncoderDriver> {
  const choice = options.driver ?? 'auto';
  const name: EncoderDriverName = choice === 'auto' ? (findFfmpeg() ? 'ffmpeg' : 'node-av') : choice;
  if (name === 'ffmpeg') {
    const binary = findFfmpeg();
    if (!binary) throw new EncoderError('ffmpeg not found: install it or set FFMPEG_PATH');
    const { FfmpegCliDriver } = await import('./ffmpeg-cli.encoder');
    return new FfmpegCliDriver(binary);
  }
  const { NodeAvDriver } = await import('./node-av.encoder');
  return new NodeAvDriver();
}

export function assertFrameSize(spec: Pick<VideoEncodeSpec, 'width' | 'height'>, rgba: Uint8Array): void {
  const expected = spec.width * spec.height * 4;
  if (rgba.byteLength !== expected) {
    throw new RangeError(
      `frame must be ${spec.width}x${spec.height} RGBA (${expected} bytes), got ${rgba.byteLength}`,
    );
  }
}

export function assertValidSpec(spec: VideoEncodeSpec): void {
  for (const [k, v] of [
    ['width', spec.width],
    ['height', spec.height],
  ] as const) {
    if (!Number.isInteger(v) || v < 2 || v > 8192)
      throw new RangeError(`${k} must be an integer in 2..8192, got ${v}`);
  }
  if (!(spec.fps > 0 && spec.fps <= 120)) throw new RangeError(`fps must be in (0, 120], got ${spec.fps}`);
}
