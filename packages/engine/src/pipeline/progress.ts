export interface RenderProgress {
  framesDone: number;
  totalFrames: number;
  /** Average frames per second since the first frame was requested. */
  fps: number;
  /** Seconds left at the current rate; null until the rate is known. */
  etaSeconds: number | null;
  elapsedSeconds: number;
}

/** Progress events are throttled to this interval (plus one final event at 100%). */
export const PROGRESS_INTERVAL_MS = 250;

/** Turns per-frame ticks into throttled progress events. */
export class ProgressMeter {
  private readonly startedAt = performance.now();
  private lastEmit = Number.NEGATIVE_INFINITY;
  private done = 0;

  constructor(
    private readonly totalFrames: number,
    private readonly onProgress: ((progress: RenderProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  frameDone(): void {
    this.done++;
    const t = this.now();
    const last = this.done === this.totalFrames;
    if (!this.onProgress || (!last && t - this.lastEmit < PROGRESS_INTERVAL_MS)) return;
    this.lastEmit = t;
    this.onProgress(this.snapshot());
  }

  snapshot(): RenderProgress {
    const elapsedSeconds = (this.now() - this.startedAt) / 1000;
    const fps = elapsedSeconds > 0 ? this.done / elapsedSeconds : 0;
    const remaining = this.totalFrames - this.done;
    return {
      framesDone: this.done,
      totalFrames: this.totalFrames,
      fps,
      etaSeconds: fps > 0 ? remaining / fps : null,
      elapsedSeconds,
    };
  }
}
