import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export interface ProbedVideo {
  codec: string;
  width: number;
  height: number;
  fps: number | null;
}

export interface ProbedAudio {
  codec: string;
  sampleRate: number | null;
  channels: number | null;
}

/** What an audio or video upload holds, as the render pipeline needs to know it. */
export interface MediaProbe {
  /** Demuxer name (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `mp3`, `wav`, `ogg`). */
  container: string;
  durationSeconds: number | null;
  /** The first real video stream; cover art (an attached picture) does not count. */
  video: ProbedVideo | null;
  audio: ProbedAudio | null;
}

export class MediaProbeFailedError extends Error {}

/**
 * Reads a media file's container and streams. Two adapters (system ffprobe, node-av's bundled FFmpeg
 * libraries) pass one contract suite (`media-prober.contract.ts`); the service uses ffprobe when it is
 * installed. A file no adapter can read is refused as corrupt.
 */
export interface MediaProber {
  readonly name: 'ffprobe' | 'node-av';
  probe(file: string, options: { timeoutMs: number }): Promise<MediaProbe>;
}

/** `FFPROBE_PATH`, else next to a pinned `FFMPEG_PATH`, else on PATH (as the render engine looks). */
export function findBinary(name: 'ffprobe' | 'ffmpeg', env: NodeJS.ProcessEnv = process.env): string | null {
  const pinned = env[name === 'ffprobe' ? 'FFPROBE_PATH' : 'FFMPEG_PATH'];
  if (pinned) return executable(pinned) ? pinned : null;
  if (name === 'ffprobe' && env.FFMPEG_PATH) {
    const sibling = join(dirname(env.FFMPEG_PATH), 'ffprobe');
    if (executable(sibling)) return sibling;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Frames per second from a rational (`30000/1001`), null when unknown. */
export function parseRate(value: string | undefined | null): number | null {
  if (!value) return null;
  const [n = '0', d = '1'] = value.split('/');
  const rate = Number(n) / Number(d);
  return Number.isFinite(rate) && rate > 0 ? rate : null;
}
