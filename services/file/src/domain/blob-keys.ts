/**
 * Blob keys are built from ids only (never from names a client gave), one folder per file so a file's
 * variants sit beside it and deleting the folder's keys deletes everything of it.
 */
export function fileBlobKey(tenantId: string, fileId: string, ext: string): string {
  return `tenants/${tenantId}/files/${fileId}/file.${ext}`;
}

export function variantBlobKey(tenantId: string, fileId: string, variant: string, ext: string): string {
  return `tenants/${tenantId}/files/${fileId}/${variant}.${ext}`;
}

/**
 * One received piece of a resumable upload. The nonce keeps two racing writers of the same offset apart;
 * only the one whose offset update commits is kept.
 */
export function uploadPartKey(tenantId: string, uploadId: string, offset: number, nonce: string): string {
  return `tenants/${tenantId}/uploads/${uploadId}/${String(offset).padStart(15, '0')}-${nonce}`;
}
