import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAudioGraph, resolveAudioMix } from '../audio/audio-mix';
import { concatScript, inspectChunks } from './chunk-list';
import { INPUT_PIXEL_FORMAT, planEncode, QUALITY_PRESETS } from './encode-settings';
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
import { openWithAudio } from './open-with-audio';
import { commitPart, partPath, removeQuietly } from './output-files';

/** Frames handed to ffmpeg's stdin but not yet taken by it; two keep the pipe busy while we draw. */
const MAX_PENDING_WRITES = 2;

/** Drives the system `ffmpeg` binary, feeding raw frames over stdin. */
export class FfmpegCliDriver implements EncoderDriver {
  readonly name = 'ffmpeg' as const;

  constructor(private readonly binary: string) {}

  open(spec: VideoEncodeSpec): Promise<VideoEncoder> {
    return openWithAudio(this, spec, (videoSpec) => this.openVideo(videoSpec));
  }

  private async openVideo(spec: VideoEncodeSpec): Promise<VideoEncoder> {
    assertValidSpec(spec);
    const plan = planEncode({ ...spec, quality: spec.quality ?? 'standard' });
    const part = partPath(spec.out);
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-f',
      'rawvideo',
      '-pix_fmt',
      INPUT_PIXEL_FORMAT,
      '-s',
      `${spec.width}x${spec.height}`,
      '-framerate',
      String(spec.fps),
      '-i',
      'pipe:0',
      '-an',
      '-vf',
      plan.videoFilter,
      '-c:v',
      plan.codec,
      ...Object.entries(plan.codecOptions).flatMap(([k, v]) => [`-${k}:v`, v]),
      ...Object.entries(plan.muxerOptions).flatMap(([k, v]) => [`-${k}`, v]),
      '-f',
      plan.muxer,
      '-y',
      part,
    ];
    return new FfmpegCliEncoder(spec, spawnFfmpeg(this.binary, args), part);
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
      const list = join(dir, 'chunks.ffconcat');
      await writeFile(list, concatScript(set));
      const audioArgs =
        tracks.length > 0 && plan.audioCodec
          ? [
              '-filter_complex',
              `${buildAudioGraph(tracks, set.durationSeconds, plan.audioCodec)}[aout]`,
              '-map',
              '[aout]',
              '-c:a',
              plan.audioCodec,
              '-b:a',
              options.format === 'mp4' ? preset.aacBitrate : preset.opusBitrate,
            ]
          : [];
      const args = [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-f',
        'concat',
        '-safe',
        '0',
        '-i',
        list,
        '-map',
        '0:v:0',
        ...audioArgs,
        '-c:v',
        'copy',
        ...Object.entries(plan.muxerOptions).flatMap(([k, v]) => [`-${k}`, v]),
        '-f',
        plan.muxer,
        '-y',
        part,
      ];
      const child = spawnFfmpeg(this.binary, args);
      child.process.stdin?.end();
      await child.exited;
      await commitPart(part, out);
    } catch (error) {
      await removeQuietly(part);
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

interface RunningFfmpeg {
  process: ChildProcess;
  /** Resolves on exit code 0, rejects with ffmpeg's own error text otherwise. */
  exited: Promise<void>;
  stderrTail(): string;
}

function spawnFfmpeg(binary: string, args: string[]): RunningFfmpeg {
  const child = spawn(binary, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(new EncoderError(`cannot run ffmpeg: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new EncoderError(`ffmpeg failed (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no message'}`),
        );
    });
  });
  // A rejection nobody awaited yet must not crash the process; callers observe it through `exited`.
  exited.catch(() => {});
  return { process: child, exited, stderrTail: () => stderr };
}

class FfmpegCliEncoder implements VideoEncoder {
  readonly driver = 'ffmpeg' as const;
  private frames = 0;
  private pending = 0;
  private waiters: Array<() => void> = [];
  private failure: Error | null = null;
  private aborting: Promise<void> | null = null;
  private state: 'open' | 'finishing' | 'done' | 'aborted' = 'open';

  constructor(
    private readonly spec: VideoEncodeSpec,
    private readonly ffmpeg: RunningFfmpeg,
    private readonly part: string,
  ) {
    const stdin = ffmpeg.process.stdin;
    if (!stdin) throw new EncoderError('ffmpeg stdin unavailable');
    // EPIPE arrives here when ffmpeg dies mid-stream; the reason worth reporting (ffmpeg's own
    // message) comes with its exit, so the pipe error itself is not the failure.
    stdin.on('error', () => {});
    ffmpeg.exited.catch((error: Error) => this.fail(error));
  }

  async write(rgba: Uint8Array, release?: ReleaseFrame): Promise<void> {
    this.assertOpen();
    assertFrameSize(this.spec, rgba);
    const stdin = this.ffmpeg.process.stdin!;
    this.pending++;
    this.frames++;
    stdin.write(rgba, () => {
      this.pending--;
      // The bytes are in the pipe: the memory is free again.
      if (release && rgba.buffer instanceof ArrayBuffer) release(rgba.buffer);
      this.waiters.shift()?.();
    });
    while (this.pending >= MAX_PENDING_WRITES && !this.failure && this.state === 'open') {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.assertOpen();
  }

  async finish(): Promise<EncodeResult> {
    this.assertOpen();
    this.state = 'finishing';
    this.ffmpeg.process.stdin!.end();
    try {
      await this.ffmpeg.exited;
      if (this.frames === 0) throw new EncoderError('no frames were written');
      await commitPart(this.part, this.spec.out);
      this.state = 'done';
      return { out: this.spec.out, frames: this.frames, driver: this.driver };
    } catch (error) {
      this.state = 'done';
      await removeQuietly(this.part);
      throw error;
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
    const proc = this.ffmpeg.process;
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await this.ffmpeg.exited.catch(() => {});
    }
    await removeQuietly(this.part);
  }

  private fail(error: Error): void {
    this.failure ??= error;
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
