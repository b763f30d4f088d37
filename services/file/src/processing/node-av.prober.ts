import { type MediaProbe, MediaProbeFailedError, type MediaProber } from './media-prober';

/**
 * FFmpeg's demuxers through node-av's bundled libraries, for machines without an ffprobe binary. It runs
 * in this process, so a timeout only stops waiting for it; the read itself is bounded by the upload size.
 */
export class NodeAvProber implements MediaProber {
  readonly name = 'node-av';

  async probe(file: string, options: { timeoutMs: number }): Promise<MediaProbe> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new MediaProbeFailedError('probing the file took too long')),
        options.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.#probe(file), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #probe(file: string): Promise<MediaProbe> {
    const { FormatContext, avGetCodecName } = await import('node-av/lib');
    const { AVMEDIA_TYPE_AUDIO, AVMEDIA_TYPE_VIDEO, AV_DISPOSITION_ATTACHED_PIC } = await import(
      'node-av/constants'
    );
    const ctx = new FormatContext();
    let opened = false;
    try {
      if ((await ctx.openInput(file, null, null)) < 0)
        throw new MediaProbeFailedError('no demuxer can read the file');
      opened = true;
      if ((await ctx.findStreamInfo(null)) < 0)
        throw new MediaProbeFailedError('the streams of the file cannot be read');
      const streams = ctx.streams ?? [];
      const video = streams.find(
        (s) =>
          s.codecpar.codecType === AVMEDIA_TYPE_VIDEO && (s.disposition & AV_DISPOSITION_ATTACHED_PIC) === 0,
      );
      const audio = streams.find((s) => s.codecpar.codecType === AVMEDIA_TYPE_AUDIO);
      const micros = Number(ctx.duration);
      return {
        container: ctx.iformat?.name ?? 'unknown',
        durationSeconds: Number.isFinite(micros) && micros >= 0 ? micros / 1_000_000 : null,
        video:
          video && video.codecpar.width > 0 && video.codecpar.height > 0
            ? {
                codec: avGetCodecName(video.codecpar.codecId) ?? 'unknown',
                width: video.codecpar.width,
                height: video.codecpar.height,
                fps:
                  video.avgFrameRate.den > 0 && video.avgFrameRate.num > 0
                    ? video.avgFrameRate.num / video.avgFrameRate.den
                    : null,
              }
            : null,
        audio: audio
          ? {
              codec: avGetCodecName(audio.codecpar.codecId) ?? 'unknown',
              sampleRate: audio.codecpar.sampleRate || null,
              channels: audio.codecpar.channels || null,
            }
          : null,
      };
    } finally {
      if (opened) await ctx.closeInput();
    }
  }
}
