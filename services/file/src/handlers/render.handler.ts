import type { EventHandlers, Tx } from '@flatrender/platform';
import type { FileLifecycle, RenderOutput } from '../file-lifecycle';

type Output = {
  file_id: string;
  blob_key: string;
  mime: string;
  format: string;
  size_bytes: number;
  content_hash: string;
  width: number | null;
  height: number | null;
  fps: number | null;
  duration_seconds: number | null;
  frame_count: number | null;
};

function renderOutput(output: Output, details: Record<string, unknown>): RenderOutput {
  return {
    file_id: output.file_id,
    blob_key: output.blob_key,
    mime: output.mime,
    size_bytes: output.size_bytes,
    content_hash: output.content_hash,
    width: output.width,
    height: output.height,
    duration_seconds: output.duration_seconds,
    details: { ...details, format: output.format, fps: output.fps, frame_count: output.frame_count },
  };
}

function inboxTx(tx: Tx | undefined): Tx {
  if (!tx) throw new Error('file service handlers run in the inbox transaction');
  return tx;
}

/**
 * The file service takes ownership of what render produced (a finished job's output, a snapshot), so
 * it counts against the tenant's storage and falls under retention. Registering twice is harmless,
 * whether by these events or by render's `POST /internal/files`.
 */
export function renderHandlers(
  lifecycle: FileLifecycle,
): Pick<EventHandlers, 'render.job.completed.v1' | 'render.snapshot.ready.v1'> {
  return {
    'render.job.completed.v1': async (envelope, { tx }) => {
      const { data } = envelope;
      await lifecycle.registerRenderOutput(
        inboxTx(tx),
        envelope.tenant_id,
        renderOutput(data.output, { job_id: data.job_id, job_kind: data.kind, watermark: data.watermark }),
        { tenantId: envelope.tenant_id, userId: envelope.user_id },
      );
    },
    'render.snapshot.ready.v1': async (envelope, { tx }) => {
      const { data } = envelope;
      await lifecycle.registerRenderOutput(
        inboxTx(tx),
        envelope.tenant_id,
        renderOutput(data.output, { snapshot_id: data.snapshot_id }),
        { tenantId: envelope.tenant_id, userId: envelope.user_id },
      );
    },
  };
}
