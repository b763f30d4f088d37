/**
 * The one description of how each output format is encoded. Both encoder drivers (the ffmpeg CLI and
 * node-av) build their work from this plan, so the two cannot drift: same filter graph, same codec,
 * same AVOptions, same muxer flags.
 */

export const VIDEO_FORMATS = ['mp4', 'webm', 'gif'] as const;
export type VideoFormat = (typeof VIDEO_FORMATS)[number];

export const STILL_FORMATS = ['png', 'jpg', 'svg'] as const;
export type StillFormat = (typeof STILL_FORMATS)[number];

export const QUALITIES = ['draft', 'standard', 'high'] as const;
export type Quality = (typeof QUALITIES)[number];

export interface OutputSize {
  width: number;
  height: number;
}

/** GIF frames are resampled to this rate by default: GIF delays are whole centiseconds and big frames at 30 fps bloat files. */
export const GIF_DEFAULT_FPS = 15;

export const AUDIO_SAMPLE_RATE = 48_000;

interface QualityPreset {
  /** x264 `-preset`; `ultrafast` is avoided because it drops CABAC/8x8dct and so cannot be High profile. */
  x264Preset: string;
  x264Crf: number;
  vp9Crf: number;
  /** libvpx `-cpu-used` with `-deadline good`: higher is faster. */
  vp9Speed: number;
  gifColors: number;
  gifDither: string;
  aacBitrate: string;
  opusBitrate: string;
  jpegQuality: number;
}

export const QUALITY_PRESETS: Record<Quality, QualityPreset> = {
  draft: {
    x264Preset: 'superfast',
    x264Crf: 28,
    vp9Crf: 42,
    vp9Speed: 8,
    gifColors: 128,
    gifDither: 'bayer:bayer_scale=3',
    aacBitrate: '128k',
    opusBitrate: '96k',
    jpegQuality: 75,
  },
  standard: {
    x264Preset: 'veryfast',
    x264Crf: 20,
    vp9Crf: 32,
    vp9Speed: 5,
    gifColors: 256,
    gifDither: 'sierra2_4a',
    aacBitrate: '192k',
    opusBitrate: '128k',
    jpegQuality: 88,
  },
  high: {
    x264Preset: 'medium',
    x264Crf: 16,
    vp9Crf: 24,
    vp9Speed: 2,
    gifColors: 256,
    gifDither: 'sierra2_4a',
    aacBitrate: '256k',
    opusBitrate: '160k',
    jpegQuality: 95,
  },
};

/** The frames we feed are Skia's premultiplied RGBA. Declaring them `rgb0` makes the encoders ignore
 *  alpha, which for premultiplied pixels is exactly "composited over black" — correct for opaque video. */
export const INPUT_PIXEL_FORMAT = 'rgb0';

export interface EncodePlan {
  format: VideoFormat;
  codec: 'libx264' | 'libvpx-vp9' | 'gif';
  /** Filter graph (single input, single output) from the raw `rgb0` frames to what the codec takes. */
  videoFilter: string;
  /** AVOptions handed to the encoder (generic codec-context options and the codec's private ones). */
  codecOptions: Record<string, string>;
  muxer: 'mp4' | 'webm' | 'gif';
  muxerOptions: Record<string, string>;
  audioCodec: 'aac' | 'libopus' | null;
  audioBitrate: string | null;
  /** Frame rate of the encoded stream (GIF may be resampled). */
  outputFps: number;
}

export interface PlanInput {
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  quality: Quality;
  size?: OutputSize | undefined;
}

const BT709_TAGS = {
  colorspace: 'bt709',
  color_primaries: 'bt709',
  color_trc: 'bt709',
  color_range: 'tv',
};

export function planEncode(input: PlanInput): EncodePlan {
  const preset = QUALITY_PRESETS[input.quality];
  const size = outputSize(input);
  // Lanczos only when resizing: at the same size it would still run as the chroma subsampling
  // filter, costing several ms per 1080p frame for no visible gain.
  const resizing = size.width !== input.width || size.height !== input.height;
  const resize = `${size.width}:${size.height}${resizing ? ':flags=lanczos' : ''}`;
  // Tags alone are not enough: the RGB->YUV matrix must be the one the tags announce (BT.709), or
  // saturated colours shift on every player.
  const toBt709Yuv = `scale=${resize}:out_color_matrix=bt709:out_range=tv,format=yuv420p`;
  // A keyframe every 2 s keeps seeking cheap; chunks still open with an IDR since every encode does.
  const gop = String(Math.max(1, Math.round(input.fps * 2)));
  switch (input.format) {
    case 'mp4':
      return {
        format: 'mp4',
        codec: 'libx264',
        videoFilter: toBt709Yuv,
        codecOptions: {
          preset: preset.x264Preset,
          crf: String(preset.x264Crf),
          profile: 'high',
          g: gop,
          ...BT709_TAGS,
        },
        muxer: 'mp4',
        muxerOptions: { movflags: '+faststart' },
        audioCodec: 'aac',
        audioBitrate: preset.aacBitrate,
        outputFps: input.fps,
      };
    case 'webm':
      return {
        format: 'webm',
        codec: 'libvpx-vp9',
        videoFilter: toBt709Yuv,
        codecOptions: {
          crf: String(preset.vp9Crf),
          b: '0',
          deadline: 'good',
          'cpu-used': String(preset.vp9Speed),
          'row-mt': '1',
          g: gop,
          ...BT709_TAGS,
        },
        muxer: 'webm',
        muxerOptions: {},
        audioCodec: 'libopus',
        audioBitrate: preset.opusBitrate,
        outputFps: input.fps,
      };
    case 'gif': {
      const gifFps = Math.min(input.fps, GIF_DEFAULT_FPS);
      // One graph: the palette is computed from all frames, then applied; diff mode re-dithers only
      // changed rectangles, which keeps static areas from crawling.
      const videoFilter =
        `fps=${gifFps},scale=${resize},split[a][b];` +
        `[a]palettegen=max_colors=${preset.gifColors}:stats_mode=diff[p];` +
        `[b][p]paletteuse=dither=${preset.gifDither}:diff_mode=rectangle`;
      return {
        format: 'gif',
        codec: 'gif',
        videoFilter,
        codecOptions: {},
        muxer: 'gif',
        muxerOptions: { loop: '0' },
        audioCodec: null,
        audioBitrate: null,
        outputFps: gifFps,
      };
    }
  }
}

/** yuv420p needs even dimensions; odd requests are rounded down to the next even number. */
export function outputSize(input: {
  width: number;
  height: number;
  size?: OutputSize | undefined;
}): OutputSize {
  const w = input.size?.width ?? input.width;
  const h = input.size?.height ?? input.height;
  return { width: Math.max(2, w - (w % 2)), height: Math.max(2, h - (h % 2)) };
}

/** Output size for a uniform scale factor (e.g. 0.5 for a half-resolution preview). */
export function scaledSize(width: number, height: number, scale: number): OutputSize {
  if (!(scale > 0 && scale <= 4)) throw new RangeError(`scale must be in (0, 4], got ${scale}`);
  return outputSize({ width: Math.round(width * scale), height: Math.round(height * scale) });
}
