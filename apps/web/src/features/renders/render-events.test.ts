import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '@/lib/api/event-stream';
import { applyRenderEvent } from './render-events';
import type { RenderJob } from './render-types';

const job: RenderJob = {
  id: 'j1',
  kind: 'video',
  status: 'queued',
  stage: 'queued',
  project_id: 'p1',
  template: { template_id: 't1', version: 1 },
  aspect: '16:9',
  locale: 'fa',
  output_spec: { format: 'mp4', width: 1920, height: 1080, fps: 30, quality: 'standard' },
  duration_seconds: 10,
  progress: 0,
  eta_seconds: null,
  quote: { render_seconds: 10, cost: 0, currency: 'IRR', period: '2025-01' },
  refunded: null,
  watermark: true,
  output: null,
  snapshot: null,
  error: null,
  created_at: '2025-01-01T00:00:00Z',
  started_at: null,
  finished_at: null,
};

const event = (event_type: string, data: Record<string, unknown>): StreamEvent => ({
  event_id: `${event_type}:${JSON.stringify(data)}`,
  event_type,
  event_time: '2025-01-01T00:00:01Z',
  data: { job_id: 'j1', ...data },
});

describe('live render state', () => {
  it('follows a job from queued to completed; progress never goes back', () => {
    let state = applyRenderEvent(job, event('render.job.started.v1', {}));
    expect(state.status).toBe('rendering');
    state = applyRenderEvent(
      state,
      event('render.job.progress.v1', { progress: 0.6, stage: 'rendering', eta_seconds: 4 }),
    );
    expect(state).toMatchObject({ progress: 0.6, stage: 'rendering', eta_seconds: 4 });
    state = applyRenderEvent(
      state,
      event('render.job.progress.v1', { progress: 0.4, stage: 'rendering', eta_seconds: 9 }),
    );
    expect(state.progress).toBe(0.6);
    state = applyRenderEvent(state, event('render.job.completed.v1', {}));
    expect(state).toMatchObject({ status: 'completed', progress: 1 });
    expect(applyRenderEvent(state, event('render.job.progress.v1', { progress: 0.9 })).status).toBe(
      'completed',
    );
    expect(applyRenderEvent(state, event('render.job.cancelled.v1', {})).status).toBe('completed');
  });

  it('keeps the reason of a failure and ignores other jobs', () => {
    const failed = applyRenderEvent(
      job,
      event('render.job.failed.v1', {
        error_code: 'font_missing',
        error_message: 'Lalezar 400',
        retryable: false,
      }),
    );
    expect(failed.error).toEqual({ code: 'font_missing', message: 'Lalezar 400', retryable: false });
    const other = { ...event('render.job.started.v1', {}), data: { job_id: 'j2' } };
    expect(applyRenderEvent(job, other)).toBe(job);
  });
});
