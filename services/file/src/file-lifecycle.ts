import { type FILE_DELETE_REASONS, SYSTEM_USER_ID } from '@flatrender/contracts';
import { conflict, type ServiceContext, type Tx } from '@flatrender/platform';
import { extensionOf } from './domain/file-names';
import type { FileKind } from './domain/file-types';
import { blobKeysOf, type FileRecord, type FileRepository } from './file.repository';
import type { FileIntake } from './file-intake';
import type { TenantPolicyRepository } from './tenant-policy.repository';

export type DeleteReason = (typeof FILE_DELETE_REASONS)[number];

/** A render output as render reports it (`render.job.completed.v1` `output`, or `POST /internal/files`). */
export interface RenderOutput {
  file_id: string;
  blob_key: string;
  mime: string;
  size_bytes: number;
  content_hash: string;
  width: number | null;
  height: number | null;
  duration_seconds: number | null;
  /** Name offered on download; default `render-<file id>.<ext>`. */
  name?: string;
  details?: Record<string, unknown>;
}

function kindOfOutput(mime: string): FileKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/')) return 'audio';
  return 'video';
}

/**
 * Deleting files (by users, retention and cleanups) and adopting render outputs. A deletion first
 * marks the file `deleting` and announces `file.deleted.v1` in one transaction, which frees its quota
 * at once; the blobs go after the commit, and a file whose blobs could not be removed stays
 * `deleting` until the retention scheduler retries.
 */
export class FileLifecycle {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly files: FileRepository,
    private readonly policies: TenantPolicyRepository,
    private readonly intake: FileIntake,
    private readonly clock: () => Date,
  ) {}

  /** Marks and announces the deletion inside `tx`; null when the file was not there (or already going). */
  async markDeleted(
    tx: Tx,
    id: string,
    reason: DeleteReason,
    options: { cleanupId?: string; actor?: { tenantId: string; userId?: string } } = {},
  ): Promise<FileRecord | null> {
    const now = this.clock();
    const file = await this.files.markDeleting(tx, id, now);
    if (!file) return null;
    // Usage fell: the next time the quota fills up deserves a notice again.
    await this.policies.setQuotaExceededAnnounced(tx, file.tenantId, false);
    await this.ctx.emit(
      tx,
      'file.deleted.v1',
      {
        file_id: file.id,
        purpose: file.purpose,
        size_bytes: file.totalBytes,
        reason_code: reason,
        cleanup_id: options.cleanupId ?? null,
        deleted_at: now.toISOString(),
      },
      options.actor ?? { tenantId: file.tenantId },
    );
    return file;
  }

  /** Removes the blobs of files marked deleted, then forgets them; failures are left for the next sweep. */
  async removeBlobs(files: readonly FileRecord[]): Promise<void> {
    const db = this.ctx.db;
    if (!db) return;
    for (const file of files) {
      try {
        for (const key of blobKeysOf(file)) await this.ctx.blobs.delete(key);
        await db.withTenant(file.tenantId, (tx) => this.files.purge(tx, file.id));
      } catch (error) {
        this.ctx.logger.warn(
          { err: error, fileId: file.id },
          'blobs of a deleted file not removed yet; will retry',
        );
      }
    }
  }

  /**
   * Takes ownership of a render output (idempotent: the same output registered twice is one file). The
   * output already exists, so it is recorded even past the quota; crossing a threshold or the quota is
   * announced as for uploads.
   */
  async registerRenderOutput(
    tx: Tx,
    tenantId: string,
    output: RenderOutput,
    actor: { tenantId: string; userId?: string },
  ): Promise<{ file: FileRecord; created: boolean }> {
    const existing = await this.files.findAny(tx, output.file_id);
    if (existing) {
      if (
        existing.tenantId !== tenantId ||
        existing.blobKey !== output.blob_key ||
        existing.contentHash !== output.content_hash
      ) {
        throw conflict('file_id_taken', `File ${output.file_id} is already registered with other content.`);
      }
      return { file: existing, created: false };
    }
    const policy = await this.policies.lock(tx, tenantId);
    const usage = await this.files.usage(tx, tenantId);
    const now = this.clock();
    const file: FileRecord = {
      id: output.file_id,
      tenantId,
      purpose: 'render_output',
      kind: kindOfOutput(output.mime),
      mime: output.mime,
      originalName: output.name ?? `render-${output.file_id}.${extensionOf(output.mime)}`,
      declaredMime: output.mime,
      sizeBytes: output.size_bytes,
      totalBytes: output.size_bytes,
      contentHash: output.content_hash,
      originalHash: output.content_hash,
      originalSizeBytes: output.size_bytes,
      blobKey: output.blob_key,
      width: output.width,
      height: output.height,
      durationSeconds: output.duration_seconds,
      details: output.details ?? {},
      variants: [],
      source: 'render',
      uploadedBy: actor.userId ?? SYSTEM_USER_ID,
      status: 'ready',
      referencedAt: null,
      cleanupId: null,
      createdAt: now,
      deletedAt: null,
    };
    await this.files.insert(tx, file);
    await this.intake.emitQuotaWarnings(
      tx,
      tenantId,
      policy,
      usage.usedBytes,
      file.totalBytes,
      usage.fileCount + 1,
    );
    if (usage.usedBytes + file.totalBytes > policy.storageBytes && !policy.quotaExceededAnnounced) {
      await this.policies.setQuotaExceededAnnounced(tx, tenantId, true);
      await this.ctx.emit(
        tx,
        'file.quota_exceeded.v1',
        {
          used_bytes: usage.usedBytes + file.totalBytes,
          quota_bytes: policy.storageBytes,
          file_count: usage.fileCount + 1,
          refused_bytes: 0,
          measured_at: now.toISOString(),
        },
        { tenantId },
      );
    }
    return { file, created: true };
  }
}
