import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { OutputSize } from '../encode/encode-settings';
import type { DrawReply, DrawRequest, DrawWorkerData } from './draw.protocol';
import type { FrameSourceInfo, FrameSourceRef } from './frame-source';
import { spawnWorker } from './spawn-worker';

const WORKER_URL = new URL(
  `./draw.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/** Frames a worker may be asked for at once: one drawing, one queued behind it. */
const AHEAD_PER_WORKER = 2;
/** Drawn frames waiting for the consumer, beyond those in the workers: bounds memory (8 MB each at 1080p). */
const READY_BUFFER = 2;

/** One draw worker per core left after the main thread (which feeds the encoder), at most 4. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export class DrawPoolError extends Error {
  override readonly name = 'DrawPoolError';
}

interface Slot {
  worker: Worker;
  outstanding: number;
}

/**
 * N draw workers, each with its own canvas and copy of the frame source. Frames are requested
 * from the least busy worker and delivered strictly in order. Requests stop while the drawn-but-
 * untaken frames fill the window, so a slow encoder slows the drawing instead of piling up frames.
 */
export class DrawPool {
  private readonly results = new Map<number, ArrayBuffer>();
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private closed = false;
  private nextRequest = 0;
  private end = 0;
  /** Frame buffers given back by the consumer, handed to workers with the next requests. */
  private readonly free: ArrayBuffer[] = [];

  private constructor(
    private readonly slots: Slot[],
    readonly info: FrameSourceInfo,
    readonly output: OutputSize,
  ) {
    for (const slot of slots) {
      slot.worker.on('message', (reply: DrawReply) => {
        if (reply.type === 'frame') {
          slot.outstanding--;
          this.results.set(reply.frame, reply.rgba);
          this.pump();
        } else if (reply.type === 'failed') {
          this.fail(new DrawPoolError(reply.message));
        }
        this.notify();
      });
      slot.worker.on('error', (error) =>
        this.fail(new DrawPoolError(`draw worker crashed: ${error.message}`)),
      );
      slot.worker.on('exit', () => {
        if (!this.closed) this.fail(new DrawPoolError('draw worker exited unexpectedly'));
      });
    }
  }

  static async start(options: {
    source: FrameSourceRef;
    workers?: number;
    scale?: number;
  }): Promise<DrawPool> {
    const count = Math.max(1, options.workers ?? defaultWorkerCount());
    const data: DrawWorkerData = { source: options.source, scale: options.scale ?? 1 };
    const workers = Array.from({ length: count }, () => spawnWorker(WORKER_URL, { workerData: data }));
    // Every worker is let finish starting before any is stopped: start-up runs native async work
    // (image decoding), and a thread torn down in the middle of it can take the process with it.
    const ready = await Promise.allSettled(workers.map(waitReady));
    const failed = ready.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    const first = (ready[0] as PromiseFulfilledResult<{ info: FrameSourceInfo; output: OutputSize }>).value;
    return new DrawPool(
      workers.map((worker) => ({ worker, outstanding: 0 })),
      first.info,
      first.output,
    );
  }

  /**
   * Gives a frame's buffer back once the consumer is done with it (e.g. as the encoder's
   * `release`). The pool then circulates a fixed set of buffers instead of allocating one per frame.
   */
  recycle(buffer: ArrayBuffer): void {
    const window = this.slots.length * AHEAD_PER_WORKER + READY_BUFFER;
    if (!this.closed && buffer.byteLength > 0 && this.free.length < window) this.free.push(buffer);
  }

  /**
   * Yields the RGBA of frames [start, end) in order; throws when a worker fails or `signal` aborts.
   * Each frame's buffer belongs to the consumer until it is passed to `recycle()`.
   */
  async *frames(
    start: number,
    end: number,
    signal?: AbortSignal,
  ): AsyncGenerator<{ frame: number; rgba: ArrayBuffer }> {
    const onAbort = () => this.fail(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw abortError();
      this.nextRequest = start;
      this.end = end;
      for (let next = start; next < end; next++) {
        this.pump();
        while (!this.results.has(next)) {
          if (this.failure) throw this.failure;
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
        if (this.failure) throw this.failure;
        const rgba = this.results.get(next)!;
        this.results.delete(next);
        yield { frame: next, rgba };
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    const window = this.slots.length * AHEAD_PER_WORKER + READY_BUFFER;
    while (this.nextRequest < this.end && !this.failure && !this.closed) {
      const inWorkers = this.slots.reduce((n, s) => n + s.outstanding, 0);
      if (inWorkers + this.results.size >= window) return;
      const slot = this.slots.reduce((a, b) => (b.outstanding < a.outstanding ? b : a));
      if (slot.outstanding >= AHEAD_PER_WORKER) return;
      slot.outstanding++;
      const buffer = this.free.pop();
      const request: DrawRequest = { type: 'draw', frame: this.nextRequest++, ...(buffer ? { buffer } : {}) };
      slot.worker.postMessage(request, buffer ? [buffer] : []);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

function waitReady(worker: Worker): Promise<{ info: FrameSourceInfo; output: OutputSize }> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: DrawReply) => {
      if (reply.type === 'ready') {
        worker.off('message', onMessage);
        resolve({ info: reply.info, output: reply.output });
      } else if (reply.type === 'failed') {
        reject(new DrawPoolError(reply.message));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', (error) => reject(new DrawPoolError(`draw worker crashed: ${error.message}`)));
    worker.once('exit', (code) =>
      reject(new DrawPoolError(`draw worker exited during start-up (code ${code})`)),
    );
  });
}

export function abortError(): Error {
  const error = new Error('render aborted');
  error.name = 'AbortError';
  return error;
}
