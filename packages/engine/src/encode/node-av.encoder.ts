import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { buildAudioGraph, resolveAudioMix } from '../audio/audio-mix';
import { spawnWorker } from '../pipeline/spawn-worker';
import { concatScript, inspectChunks } from './chunk-list';
import { planEncode, QUALITY_PRESETS } from './encode-settings';
import {
  assertFrameSize,
  assertValidSpec,
  type EncodeResult,
  EncoderAbortedError,
  type EncoderDriver,
  EncoderError,
  type JoinOptions,
  type ReleaseFrame,
  type VideoEncoder,
  type VideoEncodeSpec,
} from './encoder';
import type { NodeAvJob, WorkerReply, WorkerRequest } from './node-av.protocol';
import { openWithAudio } from './open-with-audio';
import { commitPart, partPath, removeQuietly } from './output-files';

/** Frames posted to the worker and not yet converted; bounds memory (3 x 8 MB at 1080p). */
const MAX_IN_FLIGHT = 3;
/** An aborted worker ends itself after its current FFmpeg call; past this it is terminated. */
const ABORT_DEADLINE_MS = 900;

const WORKER_URL = new URL(
  `./node-av.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * In-process FFmpeg (node-av's prebuilt libraries, FFmpeg 8, GPLv3 build) so that `npm install` alone
 * yields a working renderer. All FFmpeg work runs in a worker thread; see node-av.worker.ts.
 */
export class NodeAvDriver implements EncoderDriver {
  readonly name = 'node-av' as const;

  open(spec: VideoEncodeSpec): Promise<VideoEncoder> {
    return openWithAudio(this, spec, async (videoSpec) => {
      assertValidSpec(videoSpec);
      const plan = planEncode({ ...videoSpec, quality: videoSpec.quality ?? 'standard' });
      const part = partPath(videoSpec.out);
      const worker = startJob({ kind: 'encode', spec: videoSpec, plan, part });
      const encoder = new NodeAvEncoder(videoSpec, worker, part);
      await encoder.ready;
      return encoder;
    });
  }

  async joinChunks(chunks: string[], options: JoinOptions, out: string): Promise<void> {
    const set = await inspectChunks(chunks);
    const plan = planEncode({
      format: options.format,
      width: 2,
      height: 2,
      fps: set.fps,
      quality: 'standard',
    });
    const preset = QUALITY_PRESETS[options.quality ?? 'standard'];
    const tracks = await resolveAudioMix(options.audio);
    const dir = await mkdtemp(join(tmpdir(), 'flatrender-join-'));
    const part = partPath(out);
    try {
      const concatList = join(dir, 'chunks.ffconcat');
      await writeFile(concatList, concatScript(set));
      const audio =
        tracks.length > 0 && plan.audioCodec
          ? {
              graph: buildAudioGraph(tracks, set.durationSeconds, plan.audioCodec),
              codec: plan.audioCodec,
              bitrate: options.format === 'mp4' ? preset.aacBitrate : preset.opusBitrate,
            }
          : null;
      const worker = startJob({
        kind: 'join',
        concatList,
        part,
        muxer: plan.muxer,
        muxerOptions: plan.muxerOptions,
        audio,
      });
      // The worker ends itself once done (see node-av.worker.ts for why it is never terminated).
      await new Promise<void>((resolve, reject) => {
        let outcome: Error | null = new EncoderError('node-av worker exited before finishing');
        worker.on('message', (reply: WorkerReply) => {
          if (reply.type === 'finished') outcome = null;
          if (reply.type === 'failed') outcome = new EncoderError(`node-av join failed: ${reply.message}`);
        });
        worker.once('error', (error) => {
          outcome = new EncoderError(`node-av worker crashed: ${error.message}`);
        });
        worker.once('exit', () => (outcome ? reject(outcome) : resolve()));
      });
      await commitPart(part, out);
    } catch (error) {
      await removeQuietly(part);
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function startJob(job: NodeAvJob): Worker {
  return spawnWorker(WORKER_URL, { workerData: job });
}

class NodeAvEncoder implements VideoEncoder {
  readonly driver = 'node-av' as const;
  readonly ready: Promise<void>;
  private frames = 0;
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private releases: Array<ReleaseFrame | undefined> = [];
  private failure: Error | null = null;
  private aborting: Promise<void> | null = null;
  private state: 'open' | 'finishing' | 'done' | 'aborted' = 'open';
  private finished: { resolve(frames: number): void; reject(error: Error): void } | null = null;
  private readonly exited: Promise<void>;

  constructor(
    private readonly spec: VideoEncodeSpec,
    private readonly worker: Worker,
    private readonly part: string,
  ) {
    let readyResolve!: () => void;
    let readyReject!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: WorkerReply) => {
      switch (reply.type) {
        case 'ready':
          readyResolve();
          break;
        case 'consumed':
          this.inFlight--;
          this.releases.shift()?.(reply.buffer);
          this.waiters.shift()?.();
          break;
        case 'finished':
          this.finished?.resolve(reply.frames);
          break;
        case 'failed':
          this.fail(new EncoderError(`node-av encode failed: ${reply.message}`));
          readyReject(this.failure!);
          break;
      }
    });
    worker.once('error', (error) => {
      this.fail(new EncoderError(`node-av worker crashed: ${error.message}`));
      readyReject(this.failure!);
    });
    worker.once('exit', () => {
      if (this.state === 'open' || this.state === 'finishing')
        this.fail(new EncoderError('node-av worker exited'));
      readyReject(this.failure ?? new EncoderAbortedError());
    });
  }

  async write(rgba: Uint8Array, release?: ReleaseFrame): Promise<void> {
    this.assertOpen();
    assertFrameSize(this.spec, rgba);
    const wholeBuffer =
      rgba.byteOffset === 0 &&
      rgba.byteLength === rgba.buffer.byteLength &&
      rgba.buffer instanceof ArrayBuffer;
    // Hand the memory over without copying when the view owns all of it; copy otherwise (and then
    // the caller's buffer is free at once).
    const buffer = wholeBuffer ? (rgba.buffer as ArrayBuffer) : rgba.slice().buffer;
    if (!wholeBuffer && release && rgba.buffer instanceof ArrayBuffer) release(rgba.buffer);
    // The worker converts frames in order and sends each buffer back when done with it.
    this.releases.push(wholeBuffer ? release : undefined);
    this.inFlight++;
    this.frames++;
    const message: WorkerRequest = { type: 'frame', buffer };
    this.worker.postMessage(message, [buffer]);
    while (this.inFlight >= MAX_IN_FLIGHT && !this.failure && this.state === 'open') {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.assertOpen();
  }

  async finish(): Promise<EncodeResult> {
    this.assertOpen();
    this.state = 'finishing';
    try {
      const frames = await new Promise<number>((resolve, reject) => {
        this.finished = { resolve, reject };
        if (this.failure) reject(this.failure);
        const message: WorkerRequest = { type: 'finish' };
        this.worker.postMessage(message);
      });
      // The worker closes its port after replying and so ends by itself; its output is complete then.
      await this.exited;
      if (frames === 0) throw new EncoderError('no frames were written');
      await commitPart(this.part, this.spec.out);
      return { out: this.spec.out, frames: this.frames, driver: this.driver };
    } catch (error) {
      await this.stopWorker();
      await removeQuietly(this.part);
      throw error;
    } finally {
      this.state = 'done';
    }
  }

  /** Idempotent: every caller waits for the same teardown, so none returns before the file is gone. */
  abort(): Promise<void> {
    if (this.state === 'done') return Promise.resolve();
    this.aborting ??= this.teardown();
    return this.aborting;
  }

  private async teardown(): Promise<void> {
    this.state = 'aborted';
    this.releaseWaiters();
    this.finished?.reject(new EncoderAbortedError());
    await this.stopWorker();
    await removeQuietly(this.part);
  }

  /**
   * Asks the worker to stop after its current FFmpeg call (one frame: milliseconds) and waits for it
   * to end. terminate() is the last resort: it is only safe when no node-av call is in flight.
   */
  private async stopWorker(): Promise<void> {
    const message: WorkerRequest = { type: 'abort' };
    try {
      this.worker.postMessage(message);
    } catch {
      // The worker is already gone.
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ABORT_DEADLINE_MS);
    });
    if ((await Promise.race([this.exited, deadline])) === 'late') await this.worker.terminate();
    clearTimeout(timer);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.finished?.reject(this.failure);
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private assertOpen(): void {
    if (this.state === 'aborted') throw new EncoderAbortedError();
    if (this.failure) throw this.failure;
    if (this.state !== 'open') throw new EncoderError('encoder already finished');
  }
}
