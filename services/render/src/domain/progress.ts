export interface ItemProgress {
  status: string;
  frames: number;
  frames_done: number;
}

export interface JobProgress {
  frames_done: number;
  frame_count: number;
  chunks_done: number;
  chunk_count: number;
  /** 0..1, never below what was reported before. */
  progress: number;
  eta_seconds: number | null;
}

/**
 * Progress of a job from its work items: finished items count whole, running ones by the frames
 * their node reported. A re-queued item starts again from zero, but the reported progress never goes
 * back (clients draw a bar). The estimate extrapolates the rate since the job started.
 */
export function jobProgress(
  items: readonly ItemProgress[],
  previous: number,
  elapsedSeconds: number | null,
): JobProgress {
  let framesDone = 0;
  let frameCount = 0;
  let chunksDone = 0;
  for (const item of items) {
    frameCount += item.frames;
    if (item.status === 'done') {
      framesDone += item.frames;
      chunksDone++;
    } else {
      framesDone += Math.min(item.frames_done, item.frames);
    }
  }
  const measured = frameCount > 0 ? framesDone / frameCount : 0;
  const progress = Math.min(1, Math.max(previous, measured));
  const eta =
    elapsedSeconds !== null && measured >= 0.02 && measured < 1
      ? Math.round((elapsedSeconds * (1 - measured)) / measured)
      : measured >= 1
        ? 0
        : null;
  return {
    frames_done: framesDone,
    frame_count: Math.max(1, frameCount),
    chunks_done: chunksDone,
    chunk_count: Math.max(1, items.length),
    progress,
    eta_seconds: eta,
  };
}

/** Progress events of one job are at most one per `minIntervalMs`. */
export function progressDue(lastEmittedAt: Date | null, now: Date, minIntervalMs: number): boolean {
  return lastEmittedAt === null || now.getTime() - lastEmittedAt.getTime() >= minIntervalMs;
}
