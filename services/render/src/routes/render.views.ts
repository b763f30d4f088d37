import { signBlobUrl } from '@flatrender/platform';
import type { z } from 'zod';
import type { JobRow, SnapshotRow } from '../render.db';
import type { jobSchema, snapshotSchema } from './render.schemas';

export interface ViewContext {
  publicUrl: string;
  secret: string;
  urlSeconds: number;
}

function signed(
  ctx: ViewContext,
  key: string,
  name: string,
  mime: string,
): { url: string; expires_at: string } {
  const expiresAt = Math.floor(Date.now() / 1000) + ctx.urlSeconds;
  return {
    url: signBlobUrl(ctx.publicUrl, ctx.secret, { key, expiresAt, downloadName: name, contentType: mime }),
    expires_at: new Date(expiresAt * 1000).toISOString(),
  };
}

export function snapshotView(ctx: ViewContext, s: SnapshotRow): z.infer<typeof snapshotSchema> {
  const link =
    s.status === 'ready' && s.output
      ? signed(ctx, s.output.blob_key, `snapshot-${s.id.slice(0, 8)}.${s.format}`, s.output.mime)
      : null;
  return {
    id: s.id,
    status: s.status,
    source: s.source,
    job_id: s.job_id,
    project_id: s.project_id,
    template: { template_id: s.template_id, version: s.template_version },
    aspect: s.aspect,
    time_seconds: s.time_seconds,
    format: s.format,
    width: s.width,
    height: s.height,
    url: link?.url ?? null,
    url_expires_at: link?.expires_at ?? null,
    render_ms: s.render_ms,
    error:
      s.status === 'failed'
        ? { code: s.error_code ?? 'internal', message: s.error_message ?? 'failed' }
        : null,
    requested_at: s.requested_at.toISOString(),
    ready_at: s.ready_at ? s.ready_at.toISOString() : null,
  };
}

export function jobView(
  ctx: ViewContext,
  job: JobRow,
  snapshot: SnapshotRow | undefined,
): z.infer<typeof jobSchema> {
  const now = Date.now();
  const running = job.status === 'rendering' && job.started_at !== null;
  const elapsed = running && job.started_at ? (now - job.started_at.getTime()) / 1000 : null;
  const eta =
    elapsed !== null && job.progress >= 0.02 && job.progress < 1
      ? Math.round((elapsed * (1 - job.progress)) / job.progress)
      : null;
  const out = job.output;
  const link = out ? signed(ctx, out.blob_key, `render-${job.id.slice(0, 8)}.${out.format}`, out.mime) : null;
  const base = `/v1/renders/${job.id}`;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    stage: job.held && job.status === 'queued' ? 'waiting' : job.status === 'queued' ? 'queued' : job.stage,
    source: job.source,
    project_id: job.project_id,
    template:
      job.template_id && job.template_version
        ? { template_id: job.template_id, version: job.template_version }
        : null,
    aspect: job.aspect,
    locale: job.locale,
    output_spec: {
      format: job.format,
      width: job.width,
      height: job.height,
      fps: job.fps,
      quality: job.quality,
    },
    duration_seconds: job.duration_seconds,
    frame_count: job.frame_count,
    chunk_count: job.chunk_count,
    queue: job.queue,
    priority: job.priority,
    watermark: job.watermark,
    progress: job.status === 'completed' ? 1 : job.progress,
    frames_done: job.frames_done,
    eta_seconds: job.status === 'completed' ? 0 : eta,
    quote: {
      render_seconds: job.quote_seconds,
      cost: Number(job.quote_cost),
      currency: 'IRR',
      period: job.period,
    },
    billed_seconds: job.billed_seconds,
    refunded:
      job.refunded_seconds !== null
        ? { seconds: job.refunded_seconds, cost: Number(job.refunded_cost ?? 0) }
        : null,
    from_cache: job.from_cache,
    output:
      out && link
        ? {
            file_id: out.file_id,
            mime: out.mime,
            format: out.format,
            size_bytes: out.size_bytes,
            content_hash: out.content_hash,
            width: out.width,
            height: out.height,
            fps: out.fps,
            duration_seconds: out.duration_seconds,
            frame_count: out.frame_count,
            file_url: `${ctx.publicUrl}/v1/files/${out.file_id}`,
            download_url: link.url,
            download_expires_at: link.expires_at,
          }
        : null,
    snapshot: snapshot ? snapshotView(ctx, snapshot) : null,
    error:
      job.status === 'failed'
        ? {
            code: job.error_code ?? 'internal',
            message: job.error_message ?? 'The render failed.',
            retryable: job.retryable ?? false,
            chunk_index: job.failed_chunk_index,
          }
        : null,
    attempts: job.max_attempt,
    webhook_url: job.webhook_url,
    metadata: job.metadata,
    batch_id: job.batch_id,
    retry_of: job.retry_of,
    created_at: job.created_at.toISOString(),
    started_at: job.started_at ? job.started_at.toISOString() : null,
    finished_at: job.finished_at ? job.finished_at.toISOString() : null,
    links: { self: base, cancel: `${base}/cancel`, retry: `${base}/retry` },
  };
}
