import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { BlobStore, Logger } from '@flatrender/platform';
import type { ContentCache } from '../cache/content-cache';
import type { TemplateStore } from '../cache/template.store';

/** What work functions use from the node. */
export interface WorkDeps {
  blobs: BlobStore;
  cache: ContentCache;
  templates: TemplateStore;
  /** Draw threads per chunk. */
  drawWorkers: number;
  logger: Logger;
}

/** The node's hold on one running item. */
export interface WorkControl {
  /** Aborted on cancel, on the max_render_seconds guard and when the node gives the item up. */
  signal: AbortSignal;
  /** Frames of the item done so far (reported in heartbeats). */
  progress(framesDone: number): void;
  /** Scratch directory of this item, removed when it ends. */
  dir: string;
}

export const MIME = {
  mp4: 'video/mp4',
  webm: 'video/webm',
  gif: 'image/gif',
  png: 'image/png',
  jpg: 'image/jpeg',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
} as const;

export interface StoredObject {
  size_bytes: number;
  content_hash: string;
}

export async function uploadBuffer(
  blobs: BlobStore,
  key: string,
  data: Buffer,
  contentType: string,
): Promise<StoredObject> {
  await blobs.put(key, data, { contentType, contentLength: data.length });
  return { size_bytes: data.length, content_hash: createHash('sha256').update(data).digest('hex') };
}

/** Hashes the file, then streams it to the store (a chunk is never held in memory whole). */
export async function uploadFile(
  blobs: BlobStore,
  key: string,
  file: string,
  contentType: string,
): Promise<StoredObject> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const { size } = await stat(file);
  await blobs.put(key, createReadStream(file), { contentType, contentLength: size });
  return { size_bytes: size, content_hash: hash.digest('hex') };
}
