import type { Aspect } from '@/lib/api/types';

/* Render jobs and snapshots as the render service answers them (`/v1/renders`, `/v1/snapshots`). */

export type RenderStatus = 'queued' | 'rendering' | 'completed' | 'failed' | 'cancelled';

export interface RenderQuote {
  render_seconds: number;
  cost: number;
  currency: 'IRR';
  period: string;
}

export interface Snapshot {
  id: string;
  status: 'requested' | 'queued' | 'rendering' | 'ready' | 'failed';
  project_id: string | null;
  aspect: Aspect;
  time_seconds: number;
  format: 'png' | 'jpg';
  width: number;
  height: number;
  /** Signed link to the image once ready. */
  url: string | null;
  error: { code: string; message: string } | null;
}

export interface RenderJob {
  id: string;
  kind: string;
  status: RenderStatus;
  /** queued, waiting, rendering, encoding, assembling, verifying... */
  stage: string | null;
  project_id: string | null;
  template: { template_id: string; version: number } | null;
  aspect: Aspect | null;
  locale: 'fa' | 'en' | null;
  output_spec: {
    format: string;
    width: number | null;
    height: number | null;
    fps: number | null;
    quality: string;
  };
  duration_seconds: number | null;
  progress: number;
  eta_seconds: number | null;
  quote: RenderQuote;
  refunded: { seconds: number; cost: number } | null;
  watermark: boolean;
  output: {
    file_id: string;
    mime: string;
    format: string;
    size_bytes: number;
    width: number | null;
    height: number | null;
    duration_seconds: number | null;
    download_url: string;
    download_expires_at: string;
  } | null;
  snapshot: Snapshot | null;
  error: { code: string; message: string; retryable: boolean } | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface RenderList {
  items: RenderJob[];
  next_cursor: string | null;
}

/** What POST /v1/renders and /retry answer (202). */
export interface RenderAccepted {
  job: RenderJob;
  quote: RenderQuote;
  cached: boolean;
}

/** GET /v1/usage: this month's allowance. */
export interface Usage {
  period: string;
  plan: string;
  render_seconds: { used: number; reserved: number; limit: number | null; remaining: number | null };
}

/** Seconds a render of `duration` is billed (to the tenth, as the render service counts them). */
export function billedSeconds(duration: number): number {
  return Math.ceil(duration * 10 - 1e-9) / 10;
}
