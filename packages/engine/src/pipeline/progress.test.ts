import { describe, expect, it } from 'vitest';
import { PROGRESS_INTERVAL_MS, ProgressMeter, type RenderProgress } from './progress';

describe('ProgressMeter', () => {
  it('emits at most every 250 ms, always the last frame, with fps and ETA from the elapsed time', () => {
    let now = 0;
    const events: Array<RenderProgress & { at: number }> = [];
    const meter = new ProgressMeter(
      100,
      (p) => events.push({ ...p, at: now }),
      () => now,
    );
    for (let i = 0; i < 100; i++) {
      now += 10; // 100 fps
      meter.frameDone();
    }
    expect(events.at(-1)).toMatchObject({ framesDone: 100, totalFrames: 100, etaSeconds: 0 });
    for (let i = 1; i < events.length - 1; i++) {
      expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(PROGRESS_INTERVAL_MS);
    }
    // 1 s of work, 250 ms apart: the first frame, then every 25th, then the last.
    expect(events.map((e) => e.framesDone)).toEqual([1, 26, 51, 76, 100]);
    const mid = events[2]!;
    expect(mid.fps).toBeCloseTo(100, 6);
    expect(mid.etaSeconds).toBeCloseTo(0.49, 6);
    expect(mid.elapsedSeconds).toBeCloseTo(0.51, 6);
  });

  it('reports no ETA before any time has passed', () => {
    const meter = new ProgressMeter(10, undefined, () => 0);
    expect(meter.snapshot()).toMatchObject({ framesDone: 0, fps: 0, etaSeconds: null });
  });
});
