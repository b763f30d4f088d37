import type { Aspect } from '@/lib/api/types';

/*
 * Render jobs and snapshots as the render service answers them (`/v1/renders`, `/v1/snapshots`).
 * Optional members are read defensively: the list shows what a job has.
 */

export type RenderStatus = 'queued' | 'rendering' | 'completed' | 'failed' | 'cancelled';

export interface RenderQuote {
  render_seconds: number;
  cost: number;
  currency?: string;
  period?: string;
}

export interface RenderJob {
  id: string;
  kind?: string;
  status: RenderStatus | string;
  project_id: string | null;
  template?: {
    template_id: string;
    version: number;
    slug?: string;
    title?: { fa: string; en: string };
  } | null;
  aspect: Aspect | null;
  format: string;
  quality?: string;
  width: number | null;
  height: number | null;
  fps?: number | null;
  duration_seconds?: number | null;
  progress?: number;
  stage?: string | null;
  eta_seconds?: number | null;
  quote?: RenderQuote | null;
  error?: { code: string; message: string; retryable?: boolean } | null;
  output?: {
    file_id?: string;
    url?: string | null;
    download_url?: string | null;
    mime?: string;
    size_bytes?: number;
    duration_seconds?: number | null;
  } | null;
  snapshot_url?: string | null;
  share_url?: string | null;
  created_at: string;
  started_at?: string | null;
  completed_at?: string | null;
}

export interface RenderList {
  items: RenderJob[];
  next_cursor?: string | null;
}

/** What POST /v1/renders answers (202): the job, with its quote. */
export interface RenderAccepted extends RenderJob {
  job?: RenderJob;
}

export function jobOf(answer: RenderAccepted): RenderJob {
  return answer.job ?? answer;
}

/** The download URL of a finished job, wherever the service puts it. */
export function outputUrl(job: RenderJob): string | undefined {
  return job.output?.download_url ?? job.output?.url ?? undefined;
}

export interface Snapshot {
  id?: string;
  snapshot_id?: string;
  status: 'requested' | 'queued' | 'rendering' | 'ready' | 'completed' | 'failed' | string;
  url?: string | null;
  image_url?: string | null;
  download_url?: string | null;
  output?: { url?: string | null; download_url?: string | null } | null;
  error?: { message?: string } | string | null;
}

export function snapshotImageUrl(snapshot: Snapshot): string | undefined {
  return (
    snapshot.image_url ??
    snapshot.download_url ??
    snapshot.url ??
    snapshot.output?.download_url ??
    snapshot.output?.url ??
    undefined
  );
}

export function isTerminal(status: string): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'ready';
}
