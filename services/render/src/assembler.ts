import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  audioMixOf,
  joinChunks,
  MediaVerificationError,
  type VideoFormat,
  verifyMedia,
} from '@flatrender/engine/node';
import type { BlobStore, Logger, ScopedDatabase } from '@flatrender/platform';
import { jobOutputKey, mimeOf } from './domain/output-keys';
import { isPreviewClip } from './domain/preview-clip';
import type { ItemRepository } from './item.repository';
import type { JobRepository } from './job.repository';
import type { JobLifecycle } from './job-lifecycle';
import { OutputRejectedError, OutputVerifier } from './output-verifier';
import type { PeerServices } from './peer-services';
import type { ItemRow, JobRow, RenderDb, StoredOutput } from './render.db';
import { SerialRun } from './serial-run';

const CLAIM_SECONDS = 600;
const RETRY_SECONDS = 10;

/**
 * Finishes jobs whose work items are all done: joins the chunks of a video without re-encoding (with
 * the mixed audio), verifies the joined file against the request (streams, codec, size, every frame,
 * duration), stores it, registers it with the file service and completes the job. Single-item jobs
 * (stills, GIFs, mockups, voice-overs) were verified when their item completed. A job is claimed
 * in the database first, so several orchestrator replicas never assemble one job twice.
 */
export class Assembler {
  private readonly claimant = `assembler-${randomUUID()}`;
  private readonly rounds = new SerialRun(
    () => this.round(),
    (error) => this.deps.logger.error({ err: error }, 'assembler round failed'),
  );

  constructor(
    private readonly deps: {
      db: ScopedDatabase<RenderDb>;
      jobs: JobRepository;
      items: ItemRepository;
      lifecycle: JobLifecycle;
      verifier: OutputVerifier;
      peers: PeerServices;
      blobs: BlobStore;
      logger: Logger;
      workDir: string;
      /** A preview clip job completed (after its commit): its clip is reported to content. */
      previewCompleted: (jobId: string) => void;
    },
  ) {}

  /** Looks for finished jobs now (after an item completed); runs are never concurrent in a process. */
  kick(): void {
    this.rounds.kick();
  }

  /** Waits for the current run (tests, shutdown). */
  idle(): Promise<void> {
    return this.rounds.idle();
  }

  private async round(): Promise<void> {
    for (;;) {
      const jobs = await this.deps.db.asSystem((tx) =>
        this.deps.jobs.claimAssemblable(tx, this.claimant, CLAIM_SECONDS, 2),
      );
      if (jobs.length === 0) return;
      for (const job of jobs) await this.assemble(job);
    }
  }

  private async assemble(job: JobRow): Promise<void> {
    const items = await this.deps.db.asSystem((tx) => this.deps.items.forJob(tx, job.id));
    let output: StoredOutput;
    try {
      output =
        job.kind === 'video' && job.format !== 'gif' ? await this.join(job, items) : this.single(job, items);
    } catch (error) {
      if (error instanceof OutputRejectedError || error instanceof MediaVerificationError) {
        const message =
          error instanceof MediaVerificationError
            ? `the joined output failed verification: ${error.problems.join('; ')}`
            : error.message;
        await this.deps.db.asSystem(async (tx) => {
          const current = await this.deps.jobs.find(tx, job.id, { forUpdate: true });
          if (current?.status === 'rendering')
            await this.deps.lifecycle.fail(tx, current, { code: 'output_invalid', message, retryable: true });
        });
        return;
      }
      this.deps.logger.warn({ err: error, jobId: job.id }, 'assembling failed; retried shortly');
      await this.deps.db.asSystem((tx) =>
        this.deps.jobs.update(tx, job.id, { assembling_until: new Date(Date.now() + RETRY_SECONDS * 1000) }),
      );
      return;
    }
    // A preview clip belongs to the template's gallery, not to the tenant's files (whose storage quota
    // and retention it would fall under): content records its key instead.
    if (!isPreviewClip(job))
      await this.deps.peers
        .registerOutput({
          tenant_id: job.tenant_id,
          file_id: output.file_id,
          blob_key: output.blob_key,
          mime: output.mime,
          size_bytes: output.size_bytes,
          content_hash: output.content_hash,
          width: output.width,
          height: output.height,
          duration_seconds: output.duration_seconds,
          name: `render-${job.id.slice(0, 8)}.${output.format}`,
          job_id: job.id,
        })
        // render.job.completed.v1 registers it too (file consumes it, idempotently by file id).
        .catch((error) =>
          this.deps.logger.warn({ err: error, jobId: job.id }, 'output registration deferred to the event'),
        );
    const completed = await this.deps.db.asSystem(async (tx) => {
      const current = await this.deps.jobs.find(tx, job.id, { forUpdate: true });
      if (current?.status !== 'rendering' || current.assembling_by !== this.claimant) return false;
      await this.deps.lifecycle.complete(tx, current, output);
      return true;
    });
    if (completed) {
      this.deps.lifecycle.cleanupAfterCommit(job.id, output.blob_key);
      if (isPreviewClip(job)) this.deps.previewCompleted(job.id);
    } else if (output.blob_key === jobOutputKey(job.id, job.format))
      await this.deps.blobs.delete(output.blob_key);
  }

  /** The output of a one-item job is that item's verified blob. */
  private single(job: JobRow, items: ItemRow[]): StoredOutput {
    const item = items[0];
    if (item?.status !== 'done' || item.size_bytes === null || !item.content_hash)
      throw new Error(`job ${job.id} has no finished item`);
    const spec = job.spec;
    const format = spec.kind === 'mockup' || spec.kind === 'voiceover' ? spec.format : job.format;
    const audio = spec.kind === 'voiceover';
    const probe = item.probe;
    return {
      file_id: randomUUID(),
      blob_key: item.output_key,
      mime: mimeOf(format),
      format: format as StoredOutput['format'],
      size_bytes: Number(item.size_bytes),
      content_hash: item.content_hash,
      width: audio ? null : (probe?.width ?? job.width),
      height: audio ? null : (probe?.height ?? job.height),
      fps: job.kind === 'video' ? job.fps : null,
      duration_seconds:
        job.kind === 'video' || audio ? (probe?.duration_seconds ?? job.duration_seconds) : null,
      frame_count: audio ? null : job.kind === 'video' ? job.frame_count : 1,
    };
  }

  private async join(job: JobRow, items: ItemRow[]): Promise<StoredOutput> {
    const spec = job.spec;
    if (spec.kind !== 'template') throw new Error(`job ${job.id} is not a template render`);
    const dir = path.join(this.deps.workDir, `join-${job.id}-${randomUUID().slice(0, 8)}`);
    await mkdir(dir, { recursive: true });
    try {
      const chunks: string[] = [];
      for (const item of items) {
        const fetched = await this.deps.verifier.fetch(item.output_key, job.format, dir);
        if (fetched.sha256 !== item.content_hash)
          throw new OutputRejectedError(`chunk ${item.idx} changed in the blob store since it was verified`);
        chunks.push(fetched.file);
      }
      const files: Record<string, string> = {};
      for (const track of spec.audio) {
        const asset = spec.files[track.ref];
        if (!asset || files[track.ref]) continue;
        const fetched = await this.deps.verifier.fetch(asset.blob_key, 'audio', dir);
        files[track.ref] = fetched.file;
      }
      const format = job.format as 'mp4' | 'webm';
      const out = path.join(dir, `output.${format}`);
      await joinChunks(
        chunks,
        { audio: audioMixOf(spec.audio, { files }), format, quality: job.quality },
        out,
      );
      const info = await verifyMedia(out, {
        format: format as VideoFormat,
        frameCount: job.frame_count ?? 0,
        fps: job.fps ?? 30,
        ...(job.width ? { width: job.width } : {}),
        ...(job.height ? { height: job.height } : {}),
        audio: spec.audio.length > 0,
      });
      const size = (await stat(out)).size;
      const hash = await OutputVerifier.hashFile(out);
      const key = jobOutputKey(job.id, format);
      await this.deps.blobs.put(key, createReadStream(out), {
        contentType: mimeOf(format),
        contentLength: size,
      });
      return {
        file_id: randomUUID(),
        blob_key: key,
        mime: mimeOf(format),
        format,
        size_bytes: size,
        content_hash: hash,
        width: info.video?.width ?? job.width,
        height: info.video?.height ?? job.height,
        fps: job.fps,
        duration_seconds: info.video?.duration ?? job.duration_seconds,
        frame_count: info.video?.frameCount ?? job.frame_count,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
