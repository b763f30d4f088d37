export interface ChunkPlanOptions {
  /** Seconds of output per chunk aimed at (a few seconds: long enough to amortise start-up). */
  chunkSeconds: number;
  /** A job longer than this is split in at least two chunks, so two nodes share it. */
  splitAboveSeconds: number;
  /** Upper bound on chunks per job (each costs a lease, a message and a file). */
  maxChunks: number;
}

export type FrameRange = [start: number, end: number];

/**
 * Frame ranges covering [0, frameCount) exactly once, in order, as equal as whole frames allow.
 * Formats that cannot be joined by stream copy (GIF) are one range.
 */
export function planChunks(
  frameCount: number,
  fps: number,
  options: ChunkPlanOptions,
  joinable = true,
): FrameRange[] {
  if (!Number.isInteger(frameCount) || frameCount < 1) throw new RangeError('frameCount must be >= 1');
  const seconds = frameCount / fps;
  if (!joinable || seconds <= options.splitAboveSeconds || frameCount < 2) return [[0, frameCount]];
  const wanted = Math.max(2, Math.round(seconds / options.chunkSeconds));
  const count = Math.min(wanted, options.maxChunks, frameCount);
  const ranges: FrameRange[] = [];
  for (let i = 0; i < count; i++) {
    ranges.push([Math.floor((i * frameCount) / count), Math.floor(((i + 1) * frameCount) / count)]);
  }
  return ranges;
}
