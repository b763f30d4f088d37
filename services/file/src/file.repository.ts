import type { Tx } from '@flatrender/platform';
import { sql } from 'kysely';
import type { FileKind, FilePurpose } from './domain/file-types';

export interface StoredVariant {
  name: 'thumbnail' | 'preview';
  blob_key: string;
  mime: string;
  width: number;
  height: number;
  size_bytes: number;
}

export type FileSource = 'multipart' | 'tus' | 'render';

export interface FileRecord {
  id: string;
  tenantId: string;
  purpose: FilePurpose;
  kind: FileKind;
  mime: string;
  originalName: string;
  declaredMime: string;
  sizeBytes: number;
  totalBytes: number;
  contentHash: string;
  originalHash: string;
  originalSizeBytes: number;
  blobKey: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  details: Record<string, unknown>;
  variants: StoredVariant[];
  source: FileSource;
  uploadedBy: string;
  status: 'ready' | 'deleting';
  referencedAt: Date | null;
  cleanupId: string | null;
  createdAt: Date;
  deletedAt: Date | null;
}

export type NewFile = Omit<FileRecord, 'status' | 'referencedAt' | 'cleanupId' | 'deletedAt'>;

interface FileRow {
  id: string;
  tenant_id: string;
  purpose: FilePurpose;
  kind: FileKind;
  mime: string;
  original_name: string;
  declared_mime: string;
  size_bytes: string | number;
  total_bytes: string | number;
  content_hash: string;
  original_hash: string;
  original_size_bytes: string | number;
  blob_key: string;
  width: number | null;
  height: number | null;
  duration_seconds: number | null;
  details: Record<string, unknown>;
  variants: StoredVariant[];
  source: FileSource;
  uploaded_by: string;
  status: 'ready' | 'deleting';
  referenced_at: Date | null;
  cleanup_id: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

function toRecord(row: FileRow): FileRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    purpose: row.purpose,
    kind: row.kind,
    mime: row.mime,
    originalName: row.original_name,
    declaredMime: row.declared_mime,
    sizeBytes: Number(row.size_bytes),
    totalBytes: Number(row.total_bytes),
    contentHash: row.content_hash,
    originalHash: row.original_hash,
    originalSizeBytes: Number(row.original_size_bytes),
    blobKey: row.blob_key,
    width: row.width,
    height: row.height,
    durationSeconds: row.duration_seconds,
    details: row.details,
    variants: row.variants,
    source: row.source,
    uploadedBy: row.uploaded_by,
    status: row.status,
    referencedAt: row.referenced_at,
    cleanupId: row.cleanup_id,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}

export interface ListQuery {
  kind?: FileKind;
  purpose?: FilePurpose;
  mime?: string;
  limit: number;
  /** Continue after this (created_at, id) position. */
  after?: { createdAt: Date; id: string };
}

/** Every blob a file occupies: the stored file and its variants. */
export function blobKeysOf(file: Pick<FileRecord, 'blobKey' | 'variants'>): string[] {
  return [file.blobKey, ...file.variants.map((v) => v.blob_key)];
}

/** SQL of the `file` table. Tenant scoping comes from the transaction (row-level security). */
export class FileRepository {
  async insert(tx: Tx, file: NewFile): Promise<void> {
    await tx
      .insertInto('file')
      .values({
        id: file.id,
        tenant_id: file.tenantId,
        purpose: file.purpose,
        kind: file.kind,
        mime: file.mime,
        original_name: file.originalName,
        declared_mime: file.declaredMime,
        size_bytes: file.sizeBytes,
        total_bytes: file.totalBytes,
        content_hash: file.contentHash,
        original_hash: file.originalHash,
        original_size_bytes: file.originalSizeBytes,
        blob_key: file.blobKey,
        width: file.width,
        height: file.height,
        duration_seconds: file.durationSeconds,
        details: JSON.stringify(file.details),
        variants: JSON.stringify(file.variants),
        source: file.source,
        uploaded_by: file.uploadedBy,
        created_at: file.createdAt,
      })
      .execute();
  }

  /** A file that is not being deleted. */
  async find(tx: Tx, id: string): Promise<FileRecord | null> {
    const row = await tx
      .selectFrom('file')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'ready')
      .executeTakeFirst();
    return row ? toRecord(row as FileRow) : null;
  }

  /** The file in any state (registration of render outputs must see ids being deleted too). */
  async findAny(tx: Tx, id: string): Promise<FileRecord | null> {
    const row = await tx.selectFrom('file').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row as FileRow) : null;
  }

  /** Newest first, ties broken by id, so paging is stable. */
  async list(tx: Tx, query: ListQuery): Promise<FileRecord[]> {
    let q = tx.selectFrom('file').selectAll().where('status', '=', 'ready');
    if (query.kind) q = q.where('kind', '=', query.kind);
    if (query.purpose) q = q.where('purpose', '=', query.purpose);
    if (query.mime) q = q.where('mime', '=', query.mime);
    if (query.after) {
      const { createdAt, id } = query.after;
      q = q.where(sql<boolean>`(created_at, id) < (${createdAt}, ${id}::uuid)`);
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return (rows as FileRow[]).map(toRecord);
  }

  /** Bytes charged and files held; files being deleted no longer count (deletion frees quota at once). */
  async usage(tx: Tx, tenantId: string): Promise<{ usedBytes: number; fileCount: number }> {
    const row = await tx
      .selectFrom('file')
      .select([
        sql<string>`coalesce(sum(total_bytes), 0)::bigint`.as('used'),
        sql<string>`count(*)::int`.as('count'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'ready')
      .executeTakeFirstOrThrow();
    return { usedBytes: Number(row.used), fileCount: Number(row.count) };
  }

  /** Moves a ready file to `deleting` (its blobs go next); null when it was not ready. */
  async markDeleting(tx: Tx, id: string, at: Date): Promise<FileRecord | null> {
    const row = await tx
      .updateTable('file')
      .set({ status: 'deleting', deleted_at: at, cleanup_id: null })
      .where('id', '=', id)
      .where('status', '=', 'ready')
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row as FileRow) : null;
  }

  /** Forgets a file whose blobs are gone. */
  async purge(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('file').where('id', '=', id).where('status', '=', 'deleting').execute();
  }

  /** Files stuck in `deleting` since before `cutoff` (their blob deletion failed or was interrupted). */
  async deletingBefore(tx: Tx, cutoff: Date, limit: number): Promise<FileRecord[]> {
    const rows = await tx
      .selectFrom('file')
      .selectAll()
      .where('status', '=', 'deleting')
      .where('deleted_at', '<', cutoff)
      .orderBy('deleted_at')
      .limit(limit)
      .execute();
    return (rows as FileRow[]).map(toRecord);
  }

  /** Records that a saved project uses these files (only the first reference is kept). */
  async markReferenced(tx: Tx, tenantId: string, ids: readonly string[], at: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await tx
      .updateTable('file')
      .set({ referenced_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...ids])
      .where('referenced_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
