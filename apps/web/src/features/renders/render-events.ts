import type { StreamEvent } from '@/lib/api/event-stream';
import type { RenderJob } from './render-types';

/** The render events the list follows. */
export const RENDER_EVENT_TYPES = [
  'render.job.queued.v1',
  'render.job.started.v1',
  'render.job.progress.v1',
  'render.job.completed.v1',
  'render.job.failed.v1',
  'render.job.cancelled.v1',
] as const;

interface ProgressData {
  job_id: string;
  progress?: number;
  stage?: string;
  eta_seconds?: number | null;
  error_code?: string;
  error_message?: string;
  retryable?: boolean;
}

/**
 * A job after one event of the stream. Progress never goes back (events may arrive out of order);
 * terminal states are final. Returns the same object when the event changes nothing.
 */
export function applyRenderEvent(job: RenderJob, event: StreamEvent): RenderJob {
  const data = event.data as unknown as ProgressData;
  if (data.job_id !== job.id) return job;
  const terminal = job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled';
  switch (event.event_type) {
    case 'render.job.started.v1':
      return terminal || job.status === 'rendering' ? job : { ...job, status: 'rendering' };
    case 'render.job.progress.v1': {
      if (terminal) return job;
      const progress = Math.max(job.progress ?? 0, data.progress ?? 0);
      return {
        ...job,
        status: 'rendering',
        progress,
        stage: data.stage ?? job.stage,
        eta_seconds: data.eta_seconds ?? null,
      };
    }
    case 'render.job.completed.v1':
      return { ...job, status: 'completed', progress: 1, eta_seconds: 0 };
    case 'render.job.failed.v1':
      return {
        ...job,
        status: 'failed',
        error: {
          code: data.error_code ?? 'internal',
          message: data.error_message ?? '',
          retryable: data.retryable ?? false,
        },
      };
    case 'render.job.cancelled.v1':
      return terminal ? job : { ...job, status: 'cancelled' };
    default:
      return job;
  }
}
