import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { counter, histogram, type Principal, type ServiceContext, type Tx } from '@flatrender/platform';
import { fileBlobKey, variantBlobKey } from './domain/blob-keys';
import { declaredMime, displayName, extensionOf } from './domain/file-names';
import type { UploadPurpose } from './domain/file-types';
import { fits, remainingBytes, thresholdsCrossed } from './domain/quota';
import { isSuspended, largestUpload, type SizeLimits, type TenantPolicy } from './domain/tenant-policy';
import { UploadRefusedError } from './domain/upload-refusal';
import type { FileConfig } from './file.config';
import type { FileRecord, FileRepository, FileSource, StoredVariant } from './file.repository';
import { type IngestedFile, ingestUpload } from './processing/ingest';
import type { MediaProber } from './processing/media-prober';
import type { TenantPolicyRepository } from './tenant-policy.repository';

export interface IntakeDeps {
  ctx: ServiceContext;
  config: FileConfig;
  files: FileRepository;
  policies: TenantPolicyRepository;
  prober: MediaProber;
  ffmpeg: string | null;
  clock: () => Date;
}

export interface UploadRequest {
  principal: Principal;
  source: Readable;
  originalName: string | undefined;
  declaredMime: string | undefined;
  purpose: UploadPurpose;
  via: Exclude<FileSource, 'render'>;
  /** A file id chosen in advance (a resumable upload reuses its upload id); default a new one. */
  fileId?: string;
}

export function sizeLimits(config: FileConfig): SizeLimits {
  return {
    image: config.maxImageBytes,
    svg: config.maxSvgBytes,
    video: config.maxVideoBytes,
    audio: config.maxAudioBytes,
    font: config.maxFontBytes,
  };
}

/**
 * Turns uploads into files: checks the tenant (suspension, quota), streams the upload through
 * `ingestUpload`, stores the result and its variants, then records the file and announces it
 * (`file.uploaded.v1`, `file.processed.v1`, quota warnings) in one transaction. A refused upload
 * leaves nothing behind.
 */
export class FileIntake {
  readonly #uploads;
  readonly #seconds;

  constructor(private readonly deps: IntakeDeps) {
    this.#uploads = counter(deps.ctx.metrics, 'flatrender_file_uploads_total', 'Uploads by outcome', [
      'result',
      'code',
    ]);
    this.#seconds = histogram(
      deps.ctx.metrics,
      'flatrender_file_upload_processing_seconds',
      'Time from first byte to a recorded file',
      ['kind'],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    );
  }

  /** The tenant's policy and usage; refuses at once when it is suspended or its storage is full. */
  async precheck(
    tenantId: string,
    declaredBytes?: number,
  ): Promise<{ policy: TenantPolicy; usedBytes: number }> {
    const { db } = this.#deps();
    const { policy, usage } = await db.withTenant(tenantId, async (tx) => ({
      policy: await this.deps.policies.get(tx, tenantId),
      usage: await this.deps.files.usage(tx, tenantId),
    }));
    if (isSuspended(policy, this.deps.clock())) {
      throw new UploadRefusedError(
        'tenant_suspended',
        'This team is suspended; uploads are refused until it is reinstated.',
      );
    }
    const largest = largestUpload(sizeLimits(this.deps.config), policy);
    if (declaredBytes !== undefined && declaredBytes > largest) {
      throw new UploadRefusedError(
        'too_large',
        `An upload may have at most ${largest} bytes; this one declares ${declaredBytes}.`,
        {
          limit_bytes: largest,
        },
      );
    }
    const current = { usedBytes: usage.usedBytes, quotaBytes: policy.storageBytes };
    const wanted = declaredBytes ?? 1;
    if (!fits(current, wanted)) {
      await this.announceQuotaExceeded(tenantId, wanted);
      throw this.#quotaError(remainingBytes(current), wanted);
    }
    return { policy, usedBytes: usage.usedBytes };
  }

  async accept(request: UploadRequest): Promise<FileRecord> {
    const started = performance.now();
    const { tenantId, userId } = request.principal;
    const dir = await mkdtemp(path.join(this.deps.config.tempDir, 'fr-file-'));
    try {
      const { policy, usedBytes } = await this.precheck(tenantId);
      let ingested: IngestedFile;
      try {
        ingested = await ingestUpload(request.source, dir, {
          purpose: request.purpose,
          sizeLimits: sizeLimits(this.deps.config),
          maxUploadBytes: policy.maxUploadBytes,
          remainingQuotaBytes: remainingBytes({ usedBytes, quotaBytes: policy.storageBytes }),
          image: {
            maxPixels: this.deps.config.maxImagePixels,
            maxAnimationPixels: this.deps.config.maxAnimationPixels,
            thumbnailPx: this.deps.config.thumbnailPx,
          },
          prober: this.deps.prober,
          ffmpeg: this.deps.ffmpeg,
          timeoutMs: this.deps.config.processingTimeoutSeconds * 1000,
        });
      } catch (error) {
        if (error instanceof UploadRefusedError && error.code === 'quota_exceeded') {
          await this.announceQuotaExceeded(tenantId, Number(error.details?.refused_bytes ?? 0));
        }
        throw error;
      }
      const fileId = request.fileId ?? crypto.randomUUID();
      const stored = await this.#store(tenantId, fileId, ingested);
      const now = this.deps.clock();
      const record: FileRecord = {
        id: fileId,
        tenantId,
        purpose: request.purpose,
        kind: ingested.kind,
        mime: ingested.mime,
        originalName: displayName(request.originalName),
        declaredMime: declaredMime(request.declaredMime),
        sizeBytes: ingested.stored.size,
        totalBytes: ingested.stored.size + stored.variants.reduce((sum, v) => sum + v.size_bytes, 0),
        contentHash: ingested.stored.sha256,
        originalHash: ingested.original.sha256,
        originalSizeBytes: ingested.original.size,
        blobKey: stored.blobKey,
        width: ingested.width,
        height: ingested.height,
        durationSeconds: ingested.durationSeconds,
        details: ingested.details,
        variants: stored.variants,
        source: request.via,
        uploadedBy: userId,
        status: 'ready',
        referencedAt: null,
        cleanupId: null,
        createdAt: now,
        deletedAt: null,
      };
      try {
        await this.#record(record, { tenantId, userId });
      } catch (error) {
        await this.#removeBlobs([stored.blobKey, ...stored.variants.map((v) => v.blob_key)]);
        if (error instanceof UploadRefusedError && error.code === 'quota_exceeded') {
          await this.announceQuotaExceeded(tenantId, record.totalBytes);
        }
        throw error;
      }
      this.#uploads.inc({ result: 'stored', code: 'ok' });
      this.#seconds.observe({ kind: record.kind }, (performance.now() - started) / 1000);
      return record;
    } catch (error) {
      if (error instanceof UploadRefusedError) this.#uploads.inc({ result: 'refused', code: error.code });
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Sends `file.quota_exceeded.v1` once per episode of a full quota (again only after usage fell or
   * the plan changed), so refused retries do not flood the owner with notices.
   */
  async announceQuotaExceeded(tenantId: string, refusedBytes: number): Promise<void> {
    const { db, ctx } = this.#deps();
    await db.withTenant(tenantId, async (tx) => {
      const policy = await this.deps.policies.lock(tx, tenantId);
      if (policy.quotaExceededAnnounced) return;
      const usage = await this.deps.files.usage(tx, tenantId);
      await this.deps.policies.setQuotaExceededAnnounced(tx, tenantId, true);
      await ctx.emit(
        tx,
        'file.quota_exceeded.v1',
        {
          used_bytes: usage.usedBytes,
          quota_bytes: policy.storageBytes,
          file_count: usage.fileCount,
          refused_bytes: Math.max(0, Math.round(refusedBytes)),
          measured_at: this.deps.clock().toISOString(),
        },
        { tenantId },
      );
    });
  }

  /** Warnings for thresholds crossed by adding `addedBytes` to `beforeBytes` (inside the charging tx). */
  async emitQuotaWarnings(
    tx: Tx,
    tenantId: string,
    policy: TenantPolicy,
    beforeBytes: number,
    addedBytes: number,
    fileCount: number,
  ) {
    const after = beforeBytes + addedBytes;
    for (const percent of thresholdsCrossed(
      beforeBytes,
      after,
      policy.storageBytes,
      this.deps.config.quotaWarningPercents,
    )) {
      await this.deps.ctx.emit(
        tx,
        'file.quota_warning.v1',
        {
          used_bytes: after,
          quota_bytes: policy.storageBytes,
          file_count: fileCount,
          threshold_percent: percent,
          measured_at: this.deps.clock().toISOString(),
        },
        { tenantId },
      );
    }
  }

  async #store(tenantId: string, fileId: string, ingested: IngestedFile) {
    const { ctx } = this.#deps();
    const blobKey = fileBlobKey(tenantId, fileId, extensionOf(ingested.mime));
    const written: string[] = [];
    try {
      await ctx.blobs.put(blobKey, createReadStream(ingested.stored.path), {
        contentType: ingested.mime,
        contentLength: ingested.stored.size,
      });
      written.push(blobKey);
      const variants: StoredVariant[] = [];
      for (const variant of ingested.variants) {
        const key = variantBlobKey(tenantId, fileId, variant.name, extensionOf(variant.mime));
        await ctx.blobs.put(key, createReadStream(variant.path), {
          contentType: variant.mime,
          contentLength: variant.size,
        });
        written.push(key);
        variants.push({
          name: variant.name,
          blob_key: key,
          mime: variant.mime,
          width: variant.width,
          height: variant.height,
          size_bytes: variant.size,
        });
      }
      return { blobKey, variants };
    } catch (error) {
      await this.#removeBlobs(written);
      throw error;
    }
  }

  async #record(record: FileRecord, actor: { tenantId: string; userId: string }): Promise<void> {
    const { db, ctx } = this.#deps();
    await db.withTenant(record.tenantId, async (tx) => {
      const policy = await this.deps.policies.lock(tx, record.tenantId);
      if (isSuspended(policy, this.deps.clock())) {
        throw new UploadRefusedError(
          'tenant_suspended',
          'This team is suspended; uploads are refused until it is reinstated.',
        );
      }
      const usage = await this.deps.files.usage(tx, record.tenantId);
      const current = { usedBytes: usage.usedBytes, quotaBytes: policy.storageBytes };
      if (!fits(current, record.totalBytes))
        throw this.#quotaError(remainingBytes(current), record.totalBytes);
      await this.deps.files.insert(tx, record);
      const at = record.createdAt.toISOString();
      await ctx.emit(
        tx,
        'file.uploaded.v1',
        {
          file_id: record.id,
          purpose: record.purpose,
          original_name: record.originalName,
          declared_mime: record.declaredMime,
          size_bytes: record.originalSizeBytes,
          content_hash: record.originalHash,
          blob_key: record.blobKey,
          uploaded_at: at,
        },
        actor,
      );
      await ctx.emit(
        tx,
        'file.processed.v1',
        {
          file_id: record.id,
          status: 'ready',
          kind: record.kind,
          mime: record.mime,
          size_bytes: record.sizeBytes,
          content_hash: record.contentHash,
          blob_key: record.blobKey,
          width: record.width,
          height: record.height,
          duration_seconds: record.durationSeconds,
          variants: record.variants,
          processed_at: at,
        },
        actor,
      );
      await this.emitQuotaWarnings(
        tx,
        record.tenantId,
        policy,
        usage.usedBytes,
        record.totalBytes,
        usage.fileCount + 1,
      );
    });
  }

  #quotaError(remaining: number, wanted: number): UploadRefusedError {
    return new UploadRefusedError(
      'quota_exceeded',
      `The team's storage is full: ${remaining} bytes are left and this upload needs ${wanted}.`,
      { remaining_bytes: remaining, refused_bytes: wanted },
    );
  }

  async #removeBlobs(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      await this.deps.ctx.blobs.delete(key).catch((error: unknown) => {
        this.deps.ctx.logger.warn({ err: error, key }, 'could not remove the blob of a refused upload');
      });
    }
  }

  #deps() {
    const { ctx } = this.deps;
    if (!ctx.db) throw new Error('file service: no database');
    return { ctx, db: ctx.db };
  }
}
