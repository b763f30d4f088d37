import { describe, expect, it } from 'vitest';
import { jobProgress, progressDue } from './progress';

describe('jobProgress', () => {
  it('counts finished items whole and running ones by frames done', () => {
    const p = jobProgress(
      [
        { status: 'done', frames: 100, frames_done: 0 },
        { status: 'leased', frames: 100, frames_done: 50 },
        { status: 'pending', frames: 100, frames_done: 0 },
      ],
      0,
      30,
    );
    expect(p).toEqual({
      frames_done: 150,
      frame_count: 300,
      chunks_done: 1,
      chunk_count: 3,
      progress: 0.5,
      eta_seconds: 30,
    });
  });

  it('never reports less than before (a re-queued chunk starts again)', () => {
    const p = jobProgress([{ status: 'pending', frames: 100, frames_done: 0 }], 0.4, 10);
    expect(p.progress).toBe(0.4);
    expect(p.eta_seconds).toBeNull();
  });

  it('throttles progress events', () => {
    const t0 = new Date('2026-01-01T00:00:00.000Z');
    expect(progressDue(null, t0, 500)).toBe(true);
    expect(progressDue(t0, new Date(t0.getTime() + 499), 500)).toBe(false);
    expect(progressDue(t0, new Date(t0.getTime() + 500), 500)).toBe(true);
  });
});
