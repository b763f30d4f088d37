import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Principal, ServiceContext } from '@flatrender/platform';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { uploadPartKey } from '../domain/blob-keys';
import { declaredMime, displayName } from '../domain/file-names';
import type { UploadPurpose } from '../domain/file-types';
import { spoolToFile } from '../processing/stream-tools';
import type { UploadRepository } from '../upload.repository';

/** The caller of the tus request being handled; the store's methods see only upload ids. */
export const uploadCaller = new AsyncLocalStorage<{ principal: Principal }>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface BlobUploadStoreOptions {
  ctx: ServiceContext;
  uploads: UploadRepository;
  expiryMs: number;
  tempDir: string;
  clock: () => Date;
}

/**
 * A tus DataStore whose state is in PostgreSQL (the upload and its offset) and whose bytes are in the
 * platform blob store (one blob per received piece), so any instance of the file service can continue
 * an upload another began, on disk or S3 alike. Each PATCH body is spooled to a temp file first:
 * when the client goes away mid-request, what did arrive is still kept and the offset says so.
 * Every lookup runs in the caller's tenant: another tenant's upload id is simply not found.
 */
export class BlobUploadStore extends DataStore {
  constructor(private readonly options: BlobUploadStoreOptions) {
    super();
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  #principal(): Principal {
    const caller = uploadCaller.getStore();
    if (!caller) throw new Error('tus store used outside a request');
    return caller.principal;
  }

  #db() {
    const db = this.options.ctx.db;
    if (!db) throw new Error('file service: no database');
    return db;
  }

  override async create(upload: Upload): Promise<Upload> {
    const principal = this.#principal();
    const metadata = upload.metadata ?? {};
    const now = this.options.clock();
    if (upload.size === undefined) throw ERRORS.INVALID_LENGTH;
    await this.#db().withTenant(principal.tenantId, (tx) =>
      this.options.uploads.create(tx, {
        id: upload.id,
        tenantId: principal.tenantId,
        userId: principal.userId,
        purpose: (metadata.purpose ?? 'project_asset') as UploadPurpose,
        originalName: displayName(metadata.filename ?? metadata.name),
        declaredMime: declaredMime(metadata.filetype ?? metadata.type),
        sizeBytes: upload.size as number,
        metadata,
        createdAt: now,
      }),
    );
    upload.creation_date = now.toISOString();
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const principal = this.#principal();
    if (!UUID.test(id)) throw ERRORS.FILE_NOT_FOUND;
    const session = await this.#db().withTenant(principal.tenantId, (tx) =>
      this.options.uploads.find(tx, id),
    );
    if (!session) throw ERRORS.FILE_NOT_FOUND;
    return new Upload({
      id,
      size: session.sizeBytes,
      offset: session.offsetBytes,
      metadata: session.metadata,
      creation_date: session.createdAt.toISOString(),
    });
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const { tenantId } = this.#principal();
    const dir = await mkdtemp(path.join(this.options.tempDir, 'fr-tus-'));
    try {
      const file = path.join(dir, 'part');
      let received = 0;
      let failure: unknown;
      try {
        received = (await spoolToFile(stream, file, Number.MAX_SAFE_INTEGER)).size;
      } catch (error) {
        failure = error;
        received = (await stat(file).catch(() => null))?.size ?? 0;
      }
      if (received > 0) {
        const key = uploadPartKey(tenantId, id, offset, randomBytes(6).toString('hex'));
        await this.options.ctx.blobs.put(key, createReadStream(file, { end: received - 1 }), {
          contentType: 'application/octet-stream',
          contentLength: received,
        });
        const appended = await this.#db().withTenant(tenantId, (tx) =>
          this.options.uploads.appendPart(tx, id, tenantId, offset, { sizeBytes: received, blobKey: key }),
        );
        if (!appended) {
          await this.options.ctx.blobs.delete(key);
          throw ERRORS.INVALID_OFFSET;
        }
      }
      if (failure) throw failure;
      return offset + received;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Termination (DELETE): the pieces and the upload go; finished uploads are refused by the server. */
  override async remove(id: string): Promise<void> {
    const { tenantId } = this.#principal();
    if (!UUID.test(id)) throw ERRORS.FILE_NOT_FOUND;
    const parts = await this.#db().withTenant(tenantId, async (tx) => {
      const session = await this.options.uploads.find(tx, id);
      if (!session) throw ERRORS.FILE_NOT_FOUND;
      const pieces = await this.options.uploads.parts(tx, id);
      await this.options.uploads.remove(tx, id);
      return pieces;
    });
    for (const part of parts) await this.options.ctx.blobs.delete(part.blobKey);
  }

  override getExpiration(): number {
    return this.options.expiryMs;
  }
}
