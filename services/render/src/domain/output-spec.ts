import type { PlanLimits, RenderFormat, RenderQuality } from '@flatrender/contracts';

/** Output resolutions by the shorter side, as the API names them. */
export const RESOLUTIONS = {
  '360p': 360,
  '480p': 480,
  '540p': 540,
  '720p': 720,
  '1080p': 1080,
  '1440p': 1440,
  '2160p': 2160,
} as const;
export type Resolution = keyof typeof RESOLUTIONS;

export interface OutputRequest {
  format: RenderFormat;
  resolution?: Resolution | undefined;
  quality: RenderQuality;
}

export interface OutputSpec {
  format: RenderFormat;
  width: number;
  height: number;
  fps: number;
  quality: RenderQuality;
  /** Drawing scale relative to the template's native size at the aspect. */
  scale: number;
}

export interface SpecProblem {
  field: string;
  code: string;
  message: string;
}

const even = (n: number) => Math.max(2, n - (n % 2));

/**
 * The size, rate and format a job renders at: the template's native size at the aspect scaled to the
 * resolution asked for (by default the native one, capped at the plan's), refused when the plan does
 * not allow the format, the resolution or the template's frame rate. Sizes are even (4:2:0 video).
 */
export function resolveOutputSpec(
  native: { width: number; height: number; fps: number },
  request: OutputRequest,
  limits: PlanLimits,
): { ok: true; spec: OutputSpec } | { ok: false; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  if (!limits.formats.includes(request.format)) {
    problems.push({
      field: 'output.format',
      code: 'plan_limit',
      message: `field "output.format": your plan renders ${limits.formats.join(', ')}, not ${request.format}`,
    });
  }
  const nativeShort = Math.min(native.width, native.height);
  const wanted = request.resolution
    ? RESOLUTIONS[request.resolution]
    : Math.min(nativeShort, limits.max_short_side_px);
  if (wanted > limits.max_short_side_px) {
    problems.push({
      field: 'output.resolution',
      code: 'plan_limit',
      message: `field "output.resolution": your plan renders at most ${limits.max_short_side_px}p`,
    });
  }
  const scale = wanted / nativeShort;
  if (scale > 4) {
    problems.push({
      field: 'output.resolution',
      code: 'out_of_range',
      message: `field "output.resolution": ${wanted}p is more than 4 times the template's ${nativeShort}p`,
    });
  }
  if (native.fps > limits.max_fps) {
    problems.push({
      field: 'output.fps',
      code: 'plan_limit',
      message: `the template renders at ${native.fps} fps; your plan allows at most ${limits.max_fps} fps`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  // The same rounding as the engine's scaledSize, so a node drawing at `scale` produces this size.
  return {
    ok: true,
    spec: {
      format: request.format,
      width: even(Math.round(native.width * scale)),
      height: even(Math.round(native.height * scale)),
      fps: native.fps,
      quality: request.quality,
      scale,
    },
  };
}
