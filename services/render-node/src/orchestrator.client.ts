import type { RenderErrorCode } from '@flatrender/contracts';
import type { InternalClient } from '@flatrender/platform';

/** What the node reports of an output it stored (the orchestrator verifies it against the request). */
export interface OutputProbe {
  /** Frames: video frames, 1 for an image, PCM sample frames for audio. */
  frames: number;
  /** Seconds; 0 for an image. */
  duration_seconds: number;
  /** Codec of the picture (`h264`, `vp9`, `png`, `mjpeg`); null for audio. */
  video_codec: string | null;
  width: number | null;
  height: number | null;
}

export interface CompletedOutput {
  output_key: string;
  size_bytes: number;
  content_hash: string;
  probe: OutputProbe;
}

/** What `complete` sends besides the node and token: the output and the milliseconds spent on it. */
export type CompletedReport = CompletedOutput & { render_ms: number };

export type ClaimOutcome =
  | { status: 'granted'; leaseExpiresAt: string }
  /** The item is not this node's to render (cancelled, superseded, done): ack and drop the message. */
  | { status: 'stale' }
  /** The orchestrator takes no work from this node for now (and sends the item out again itself). */
  | { status: 'quarantined' };

export type ReportOutcome = 'recorded' | 'stale';

export class OrchestratorError extends Error {
  readonly code = 'orchestrator_unavailable';
}

const ITEMS = '/internal/render/items';

/**
 * The node's side of the render protocol (docs/services/render-node.md): claim a work item's lease,
 * then report its result. Every call is signed by the internal client. Anything but a definite answer
 * throws, so the message stays unacknowledged and is delivered again.
 */
export class OrchestratorClient {
  constructor(
    private readonly internal: InternalClient,
    private readonly nodeId: string,
  ) {}

  async claim(itemId: string, fencingToken: number): Promise<ClaimOutcome> {
    const res = await this.post<{ lease_expires_at?: string; error?: { code?: string } }>(
      `${ITEMS}/${itemId}/claim`,
      { node_id: this.nodeId, fencing_token: fencingToken },
    );
    if (res.status === 200) return { status: 'granted', leaseExpiresAt: String(res.body?.lease_expires_at) };
    if (res.status === 409 && res.body?.error?.code === 'node_quarantined') return { status: 'quarantined' };
    if (res.status === 409 || res.status === 404) return { status: 'stale' };
    throw new OrchestratorError(`claim of ${itemId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  async complete(itemId: string, fencingToken: number, output: CompletedReport): Promise<ReportOutcome> {
    const res = await this.post(`${ITEMS}/${itemId}/complete`, {
      node_id: this.nodeId,
      fencing_token: fencingToken,
      ...output,
    });
    return this.outcome('complete', itemId, res);
  }

  async fail(
    itemId: string,
    fencingToken: number,
    failure: { error_code: RenderErrorCode; message: string; retryable: boolean },
  ): Promise<ReportOutcome> {
    const res = await this.post(`${ITEMS}/${itemId}/fail`, {
      node_id: this.nodeId,
      fencing_token: fencingToken,
      error_code: failure.error_code,
      message: failure.message.slice(0, 2000),
      retryable: failure.retryable,
    });
    return this.outcome('fail', itemId, res);
  }

  private outcome(what: string, itemId: string, res: { status: number; body: unknown }): ReportOutcome {
    if (res.status === 200 || res.status === 204) return 'recorded';
    if (res.status === 409 || res.status === 404) return 'stale';
    throw new OrchestratorError(`${what} of ${itemId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  private async post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
    try {
      return await this.internal.request<T>('render', { method: 'POST', path, body });
    } catch (error) {
      throw new OrchestratorError(`${path}: ${(error as Error).message}`);
    }
  }
}
