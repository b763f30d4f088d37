import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type MediaProbe, MediaProbeFailedError, type MediaProber, parseRate } from './media-prober';

const run = promisify(execFile);

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  disposition?: { attached_pic?: number };
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

/** The system `ffprobe`, killed after the timeout (a hostile file must not hold a worker). */
export class FfprobeProber implements MediaProber {
  readonly name = 'ffprobe';

  constructor(private readonly binary: string) {}

  async probe(file: string, options: { timeoutMs: number }): Promise<MediaProbe> {
    let parsed: FfprobeOutput;
    try {
      const { stdout } = await run(
        this.binary,
        ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
        { timeout: options.timeoutMs, maxBuffer: 4 * 1024 * 1024, killSignal: 'SIGKILL' },
      );
      parsed = JSON.parse(stdout) as FfprobeOutput;
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      throw new MediaProbeFailedError(`ffprobe cannot read the file: ${detail.split('\n')[0]}`);
    }
    if (!parsed.format) throw new MediaProbeFailedError('ffprobe found no container');
    const streams = parsed.streams ?? [];
    const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
    const audio = streams.find((s) => s.codec_type === 'audio');
    const duration = Number(parsed.format.duration);
    return {
      container: parsed.format.format_name ?? 'unknown',
      durationSeconds: Number.isFinite(duration) && duration >= 0 ? duration : null,
      video:
        video?.width && video.height
          ? {
              codec: video.codec_name ?? 'unknown',
              width: video.width,
              height: video.height,
              fps: parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate),
            }
          : null,
      audio: audio
        ? {
            codec: audio.codec_name ?? 'unknown',
            sampleRate: audio.sample_rate ? Number(audio.sample_rate) : null,
            channels: audio.channels ?? null,
          }
        : null,
    };
  }
}
