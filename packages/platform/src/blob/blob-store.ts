import type { Readable } from 'node:stream';

export interface PutOptions {
  contentType: string;
  /** When given, a body of another length is refused (and nothing is stored). */
  contentLength?: number;
}

export interface PutResult {
  size: number;
  etag: string;
}

export interface BlobInfo {
  size: number;
  contentType: string;
  /** Opaque version tag, without quotes; changes when the content changes. */
  etag: string;
  lastModified: Date;
}

export interface BlobListEntry {
  key: string;
  size: number;
  lastModified: Date;
}

/** Inclusive byte range, as in HTTP: `{ start: 0, end: 99 }` is the first 100 bytes; no end: to the end. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface SignedUrlOptions {
  expiresInSeconds: number;
  /** File name offered to the browser (`Content-Disposition: attachment`); default the key's last segment. */
  downloadName?: string;
  /** Served instead of the stored content type. */
  contentType?: string;
}

/**
 * Where every byte the platform keeps lives: uploads, fonts, templates, render outputs. Two drivers
 * (local disk, S3-compatible) pass one contract suite. Keys are checked (`assertValidBlobKey`);
 * an invalid one throws `InvalidBlobKeyError` before anything is touched.
 */
export interface BlobStore {
  readonly kind: 'disk' | 's3';
  /** Stores the body under `key`, replacing what was there; a stream is never held in memory whole. */
  put(key: string, body: Readable | Buffer, options: PutOptions): Promise<PutResult>;
  /** The content (or an inclusive byte range of it); throws `BlobNotFoundError` when absent. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  head(key: string): Promise<BlobInfo | null>;
  /** Removes the blob; absent already is fine. */
  delete(key: string): Promise<void>;
  /** Every blob whose key starts with `prefix` (a plain string prefix, as in S3), in no set order. */
  list(prefix: string): AsyncIterable<BlobListEntry>;
  /** A URL that downloads the blob without credentials until it expires. */
  signedUrl(key: string, options: SignedUrlOptions): Promise<string>;
}

export class BlobNotFoundError extends Error {
  readonly code = 'blob_not_found';
  constructor(readonly key: string) {
    super(`blob not found: ${key}`);
  }
}

export class BlobSizeMismatchError extends Error {
  readonly code = 'blob_size_mismatch';
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`blob ${key}: body has ${actual} bytes, contentLength said ${expected}; nothing stored`);
  }
}

/** Reads every entry of a listing; for tests and small prefixes. */
export async function collectBlobList(entries: AsyncIterable<BlobListEntry>): Promise<BlobListEntry[]> {
  const all: BlobListEntry[] = [];
  for await (const entry of entries) all.push(entry);
  return all;
}
