import type { Tx } from '@flatrender/platform';
import type { UploadPurpose } from './domain/file-types';

export interface UploadSession {
  id: string;
  tenantId: string;
  userId: string;
  purpose: UploadPurpose;
  originalName: string;
  declaredMime: string;
  sizeBytes: number;
  offsetBytes: number;
  metadata: Record<string, string | null>;
  createdAt: Date;
  finishingAt: Date | null;
  completedAt: Date | null;
  fileId: string | null;
}

export interface UploadPart {
  offsetBytes: number;
  sizeBytes: number;
  blobKey: string;
}

interface UploadRow {
  id: string;
  tenant_id: string;
  user_id: string;
  purpose: UploadPurpose;
  original_name: string;
  declared_mime: string;
  size_bytes: string | number;
  offset_bytes: string | number;
  metadata: Record<string, string | null>;
  created_at: Date;
  finishing_at: Date | null;
  completed_at: Date | null;
  file_id: string | null;
}

function toSession(row: UploadRow): UploadSession {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    purpose: row.purpose,
    originalName: row.original_name,
    declaredMime: row.declared_mime,
    sizeBytes: Number(row.size_bytes),
    offsetBytes: Number(row.offset_bytes),
    metadata: row.metadata,
    createdAt: row.created_at,
    finishingAt: row.finishing_at,
    completedAt: row.completed_at,
    fileId: row.file_id,
  };
}

/** SQL of resumable uploads (`upload`) and their received pieces (`upload_part`). */
export class UploadRepository {
  async create(
    tx: Tx,
    session: Omit<UploadSession, 'offsetBytes' | 'finishingAt' | 'completedAt' | 'fileId'>,
  ): Promise<void> {
    await tx
      .insertInto('upload')
      .values({
        id: session.id,
        tenant_id: session.tenantId,
        user_id: session.userId,
        purpose: session.purpose,
        original_name: session.originalName,
        declared_mime: session.declaredMime,
        size_bytes: session.sizeBytes,
        metadata: JSON.stringify(session.metadata),
        created_at: session.createdAt,
      })
      .execute();
  }

  async find(tx: Tx, id: string): Promise<UploadSession | null> {
    const row = await tx.selectFrom('upload').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSession(row as UploadRow) : null;
  }

  /**
   * Records a received piece if the upload is still at `offset` (another writer may have moved it on);
   * false when it was not, and the piece must be thrown away.
   */
  async appendPart(
    tx: Tx,
    uploadId: string,
    tenantId: string,
    offset: number,
    part: Omit<UploadPart, 'offsetBytes'>,
  ): Promise<boolean> {
    const moved = await tx
      .updateTable('upload')
      .set({ offset_bytes: offset + part.sizeBytes })
      .where('id', '=', uploadId)
      .where('offset_bytes', '=', offset)
      .where('finishing_at', 'is', null)
      .where('completed_at', 'is', null)
      .where((eb) => eb('size_bytes', '>=', offset + part.sizeBytes))
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return false;
    await tx
      .insertInto('upload_part')
      .values({
        upload_id: uploadId,
        tenant_id: tenantId,
        offset_bytes: offset,
        size_bytes: part.sizeBytes,
        blob_key: part.blobKey,
      })
      .execute();
    return true;
  }

  async parts(tx: Tx, uploadId: string): Promise<UploadPart[]> {
    const rows = await tx
      .selectFrom('upload_part')
      .select(['offset_bytes', 'size_bytes', 'blob_key'])
      .where('upload_id', '=', uploadId)
      .orderBy('offset_bytes')
      .execute();
    return rows.map((r) => ({
      offsetBytes: Number(r.offset_bytes),
      sizeBytes: Number(r.size_bytes),
      blobKey: r.blob_key as string,
    }));
  }

  /** Claims a complete upload for turning into a file; false when someone else already did. */
  async claimFinish(tx: Tx, id: string, at: Date): Promise<boolean> {
    const result = await tx
      .updateTable('upload')
      .set({ finishing_at: at })
      .where('id', '=', id)
      .where('finishing_at', 'is', null)
      .where('completed_at', 'is', null)
      .whereRef('offset_bytes', '=', 'size_bytes')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The upload became file `fileId`; its pieces are no longer needed. */
  async complete(tx: Tx, id: string, fileId: string, at: Date): Promise<void> {
    await tx.updateTable('upload').set({ completed_at: at, file_id: fileId }).where('id', '=', id).execute();
    await tx.deleteFrom('upload_part').where('upload_id', '=', id).execute();
  }

  async remove(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('upload').where('id', '=', id).execute();
  }

  /**
   * Unfinished uploads created before `cutoff`, and finished ones completed before it (kept a while so a
   * client can still ask for the file id), with their parts; system scope.
   */
  async stale(tx: Tx, cutoff: Date, limit: number): Promise<(UploadSession & { parts: UploadPart[] })[]> {
    const rows = await tx
      .selectFrom('upload')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('completed_at', 'is', null), eb('created_at', '<', cutoff)]),
          eb('completed_at', '<', cutoff),
        ]),
      )
      .orderBy('created_at')
      .limit(limit)
      .execute();
    const sessions = (rows as UploadRow[]).map(toSession);
    const result: (UploadSession & { parts: UploadPart[] })[] = [];
    for (const session of sessions) result.push({ ...session, parts: await this.parts(tx, session.id) });
    return result;
  }
}
