import { GIF_DEFAULT_FPS, type VideoFormat } from './encode-settings';
import { type MediaInfo, probeMedia } from './probe-media';

export interface MediaExpectation {
  format: VideoFormat;
  /** Frames rendered (before any GIF frame-rate resampling). */
  frameCount: number;
  fps: number;
  width?: number;
  height?: number;
  /** An audio stream must be present (true) or absent (false); unset = not checked. */
  audio?: boolean;
}

export class MediaVerificationError extends Error {
  override readonly name = 'MediaVerificationError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} failed verification: ${problems.join('; ')}`);
  }
}

const CODEC_OF: Record<VideoFormat, string> = { mp4: 'h264', webm: 'vp9', gif: 'gif' };

/**
 * Refuses an output that is not what was rendered: unreadable, truncated (fewer frames than rendered,
 * counted by reading the packets, not trusting the header), wrong codec or size, or audio missing or
 * out of step with the video. Returns the probe on success.
 */
export async function verifyMedia(file: string, expect: MediaExpectation): Promise<MediaInfo> {
  let info: MediaInfo;
  try {
    info = await probeMedia(file);
  } catch (error) {
    throw new MediaVerificationError(file, [(error as Error).message]);
  }
  const problems: string[] = [];
  const v = info.video;
  if (!v) {
    problems.push('no video stream');
    throw new MediaVerificationError(file, problems);
  }
  if (v.codec !== CODEC_OF[expect.format])
    problems.push(`codec ${v.codec}, expected ${CODEC_OF[expect.format]}`);
  if (expect.width !== undefined && v.width !== expect.width)
    problems.push(`width ${v.width}, expected ${expect.width}`);
  if (expect.height !== undefined && v.height !== expect.height) {
    problems.push(`height ${v.height}, expected ${expect.height}`);
  }
  const duration = expect.frameCount / expect.fps;
  if (expect.format === 'gif') {
    const gifFps = Math.min(expect.fps, GIF_DEFAULT_FPS);
    const expected = Math.round(duration * gifFps);
    if (Math.abs(v.frameCount - expected) > 1) problems.push(`${v.frameCount} frames, expected ${expected}`);
  } else if (v.frameCount !== expect.frameCount) {
    problems.push(`${v.frameCount} frames, expected ${expect.frameCount}`);
  }
  const frame = 1 / expect.fps;
  if (Math.abs(v.duration - duration) > frame + 1e-3) {
    problems.push(`video lasts ${v.duration.toFixed(3)} s, expected ${duration.toFixed(3)} s`);
  }
  if (expect.audio === true) {
    if (!info.audio) problems.push('no audio stream');
    // Audio ends on a codec frame boundary (AAC 21 ms, Opus 20 ms) plus encoder priming.
    else if (Math.abs(info.audio.duration - duration) > frame + 0.05) {
      problems.push(`audio lasts ${info.audio.duration.toFixed(3)} s, video ${duration.toFixed(3)} s`);
    }
  } else if (expect.audio === false && info.audio) {
    problems.push('unexpected audio stream');
  }
  if (problems.length > 0) throw new MediaVerificationError(file, problems);
  return info;
}
