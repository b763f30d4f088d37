import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { findFfprobe } from './ffmpeg-binary';

const execFileAsync = promisify(execFile);

export interface VideoStreamInfo {
  codec: string;
  profile: string | null;
  pixFmt: string | null;
  colorSpace: string | null;
  colorTransfer: string | null;
  colorPrimaries: string | null;
  colorRange: string | null;
  width: number;
  height: number;
  fps: number;
  /** Packets actually present in the file, counted by reading it: a truncated file cannot hide behind its header. */
  frameCount: number;
  /** Seconds; from the stream when the container records it, else from the container. */
  duration: number;
}

export interface AudioStreamInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  duration: number;
}

export interface MediaInfo {
  file: string;
  size: number;
  container: string;
  duration: number;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
  prober: 'ffprobe' | 'node-av';
}

export class MediaProbeError extends Error {
  override readonly name = 'MediaProbeError';
}

/** Describes a media file: ffprobe when it is installed, node-av's demuxer otherwise. */
export async function probeMedia(
  file: string,
  options: { prober?: 'ffprobe' | 'node-av' } = {},
): Promise<MediaInfo> {
  const size = (await stat(file)).size;
  const ffprobe = options.prober === 'node-av' ? null : findFfprobe();
  if (options.prober === 'ffprobe' && !ffprobe)
    throw new MediaProbeError('ffprobe not found (PATH or FFPROBE_PATH)');
  return ffprobe ? probeWithFfprobe(ffprobe, file, size) : probeWithNodeAv(file, size);
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  color_space?: string;
  color_transfer?: string;
  color_primaries?: string;
  color_range?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_read_packets?: string;
  duration?: string;
  sample_rate?: string;
  channels?: number;
  tags?: Record<string, string>;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

async function probeWithFfprobe(ffprobe: string, file: string, size: number): Promise<MediaInfo> {
  let parsed: FfprobeOutput;
  try {
    const { stdout } = await execFileAsync(
      ffprobe,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-count_packets', file],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    parsed = JSON.parse(stdout) as FfprobeOutput;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new MediaProbeError(`cannot read ${file}: ${detail}`);
  }
  const containerDuration = num(parsed.format?.duration);
  const v = parsed.streams?.find((s) => s.codec_type === 'video');
  const a = parsed.streams?.find((s) => s.codec_type === 'audio');
  return {
    file,
    size,
    container: parsed.format?.format_name ?? 'unknown',
    duration: containerDuration,
    prober: 'ffprobe',
    video: v
      ? {
          codec: v.codec_name ?? 'unknown',
          profile: v.profile ?? null,
          pixFmt: v.pix_fmt ?? null,
          colorSpace: v.color_space ?? null,
          colorTransfer: v.color_transfer ?? null,
          colorPrimaries: v.color_primaries ?? null,
          colorRange: v.color_range ?? null,
          width: v.width ?? 0,
          height: v.height ?? 0,
          fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate),
          frameCount: Number(v.nb_read_packets ?? 0),
          duration: streamDuration(v) ?? containerDuration,
        }
      : null,
    audio: a
      ? {
          codec: a.codec_name ?? 'unknown',
          sampleRate: Number(a.sample_rate ?? 0),
          channels: a.channels ?? 0,
          duration: streamDuration(a) ?? containerDuration,
        }
      : null,
  };
}

/** Matroska/WebM keep per-stream durations only as a `DURATION` tag (hh:mm:ss.frac). */
function streamDuration(s: FfprobeStream): number | null {
  if (s.duration !== undefined) return num(s.duration);
  const tag = s.tags?.DURATION ?? s.tags?.duration;
  if (!tag) return null;
  const [h = '0', m = '0', sec = '0'] = tag.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(sec);
}

function num(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

function rate(value: string | undefined): number {
  if (!value) return 0;
  const [n = '0', d = '1'] = value.split('/');
  const r = Number(n) / Number(d);
  return Number.isFinite(r) ? r : 0;
}

// Names as av_color_*_name() prints them (the values of FFmpeg's pixfmt.h enums, stable across versions),
// so both probers report the same strings.
const COLOR_SPACES: Record<number, string> = {
  0: 'gbr',
  1: 'bt709',
  4: 'fcc',
  5: 'bt470bg',
  6: 'smpte170m',
  7: 'smpte240m',
  9: 'bt2020nc',
  10: 'bt2020c',
};
const COLOR_PRIMARIES: Record<number, string> = {
  1: 'bt709',
  4: 'bt470m',
  5: 'bt470bg',
  6: 'smpte170m',
  9: 'bt2020',
};
const COLOR_TRANSFERS: Record<number, string> = {
  1: 'bt709',
  4: 'gamma22',
  5: 'gamma28',
  6: 'smpte170m',
  8: 'linear',
  13: 'iec61966-2-1',
  16: 'smpte2084',
  18: 'arib-std-b67',
};
const COLOR_RANGES: Record<number, string> = { 1: 'tv', 2: 'pc' };

async function probeWithNodeAv(file: string, size: number): Promise<MediaInfo> {
  const { Codec, FormatContext, Packet, avGetCodecName, avGetPixFmtName } = await import('node-av/lib');
  const { AVMEDIA_TYPE_AUDIO, AVMEDIA_TYPE_VIDEO } = await import('node-av/constants');
  const ctx = new FormatContext();
  try {
    if ((await ctx.openInput(file, null, null)) < 0) throw new MediaProbeError(`cannot open ${file}`);
    if ((await ctx.findStreamInfo(null)) < 0) throw new MediaProbeError(`cannot read stream info of ${file}`);
    const streams = ctx.streams ?? [];
    const v = streams.find((s) => s.codecpar.codecType === AVMEDIA_TYPE_VIDEO);
    const a = streams.find((s) => s.codecpar.codecType === AVMEDIA_TYPE_AUDIO);
    // Count the packets that are really there (a header may promise more than a truncated file holds).
    let videoPackets = 0;
    const packet = new Packet();
    packet.alloc();
    try {
      while ((await ctx.readFrame(packet)) >= 0) {
        if (v && packet.streamIndex === v.index) videoPackets++;
        packet.unref();
      }
    } finally {
      packet.free();
    }
    const containerDuration = Number(ctx.duration) / 1_000_000;
    const seconds = (s: typeof v): number | null =>
      s && s.duration > 0n ? (Number(s.duration) * s.timeBase.num) / s.timeBase.den : null;
    const profileName = (s: NonNullable<typeof v>): string | null =>
      Codec.findDecoder(s.codecpar.codecId)?.profiles?.find((p) => p.profile === s.codecpar.profile)?.name ??
      null;
    return {
      file,
      size,
      container: ctx.iformat?.name ?? 'unknown',
      duration: Math.max(containerDuration, 0),
      prober: 'node-av',
      video: v
        ? {
            codec: avGetCodecName(v.codecpar.codecId) ?? 'unknown',
            profile: profileName(v),
            pixFmt: avGetPixFmtName(v.codecpar.format as never) ?? null,
            colorSpace: COLOR_SPACES[v.codecpar.colorSpace] ?? null,
            colorTransfer: COLOR_TRANSFERS[v.codecpar.colorTrc] ?? null,
            colorPrimaries: COLOR_PRIMARIES[v.codecpar.colorPrimaries] ?? null,
            colorRange: COLOR_RANGES[v.codecpar.colorRange] ?? null,
            width: v.codecpar.width,
            height: v.codecpar.height,
            fps: v.avgFrameRate.den > 0 ? v.avgFrameRate.num / v.avgFrameRate.den : 0,
            frameCount: videoPackets,
            duration: seconds(v) ?? containerDuration,
          }
        : null,
      audio: a
        ? {
            codec: avGetCodecName(a.codecpar.codecId) ?? 'unknown',
            sampleRate: a.codecpar.sampleRate,
            channels: a.codecpar.channels,
            duration: seconds(a) ?? containerDuration,
          }
        : null,
    };
  } finally {
    await ctx.closeInput();
  }
}
