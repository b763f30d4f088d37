import type { PlanLimits } from '@flatrender/contracts';
import type { JobRow } from '../render.db';

/** Longer side of a gallery clip: enough for a card played on hover, cheap for the farm. */
export const PREVIEW_CLIP_LONG_SIDE = 480;
/** Seconds of a gallery clip: the opening of the template (or all of it when shorter). */
export const PREVIEW_CLIP_SECONDS = 4;
/** A version and aspect whose preview job failed this many times is left without a clip. */
export const PREVIEW_CLIP_MAX_ATTEMPTS = 3;
/** Lowest message priority: every tenant's work on `render.queue.preview` goes first. */
export const PREVIEW_CLIP_PRIORITY = 0;

/**
 * What the planner checks a preview job against: the platform renders its own clips, so no plan
 * applies (formats, sizes, rates and lengths of any published template pass; the clip's own size
 * and length are set after planning).
 */
export const PREVIEW_CLIP_LIMITS: PlanLimits = {
  render_queue: 'preview',
  priority: PREVIEW_CLIP_PRIORITY,
  max_concurrent_jobs: 1,
  monthly_render_seconds: null,
  max_video_seconds: 24 * 3600,
  max_short_side_px: 4320,
  max_fps: 120,
  formats: ['mp4'],
  watermark: false,
  storage_bytes: 0,
  max_upload_bytes: 0,
  retention_days: 1,
  api_access: false,
  team_seats: 1,
};

export function isPreviewClip(job: Pick<JobRow, 'purpose'>): boolean {
  return job.purpose === 'preview_clip';
}

const even = (n: number) => Math.max(2, n - (n % 2));

/**
 * The clip's size for a template drawn at `width x height`: scaled so the longer side is at most
 * `PREVIEW_CLIP_LONG_SIDE` (never enlarged), even sides for 4:2:0 video. Nodes draw at
 * `width / native width` and round the height the engine's way (`scaledSize`), so the width is fixed
 * first and the height derived from the scale the node will use.
 */
export function previewClipSize(
  native: { width: number; height: number },
  longSide = PREVIEW_CLIP_LONG_SIDE,
): { width: number; height: number; scale: number } {
  const wanted = Math.min(1, longSide / Math.max(native.width, native.height));
  const width = even(Math.round(native.width * wanted));
  const scale = width / native.width;
  return { width, height: even(Math.round(native.height * scale)), scale };
}

/**
 * Frames of the clip: the first `PREVIEW_CLIP_SECONDS` of the timeline at the template's own rate
 * (nodes render a template only at its native frame rate), or every frame of a shorter template.
 */
export function previewClipFrames(frameCount: number, fps: number, seconds = PREVIEW_CLIP_SECONDS): number {
  return Math.max(1, Math.min(frameCount, Math.round(seconds * fps)));
}
