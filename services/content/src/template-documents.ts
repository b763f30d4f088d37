import { text } from 'node:stream/consumers';
import { parseTemplate, type Template } from '@flatrender/engine';
import type { BlobStore } from '@flatrender/platform';
import { canonicalJson, sha256Hex } from './domain/canonical-json';
import { templateDocumentKey } from './domain/content-keys';

export interface StoredDocument {
  key: string;
  hash: string;
  size: number;
}

export interface LoadedDocument {
  document: Record<string, unknown>;
  template: Template;
}

/**
 * Published template documents in the blob store, content-addressed. A published document never
 * changes, so reads are cached in memory by hash (bounded, least recently used out first).
 */
export class TemplateDocuments {
  private readonly cache = new Map<string, LoadedDocument>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly capacity = 200,
  ) {}

  /** The canonical bytes, their hash and key. */
  static encode(document: Record<string, unknown>): { bytes: Buffer; hash: string; key: string } {
    const bytes = Buffer.from(canonicalJson(document), 'utf8');
    const hash = sha256Hex(bytes);
    return { bytes, hash, key: templateDocumentKey(hash) };
  }

  async put(document: Record<string, unknown>): Promise<StoredDocument> {
    const { bytes, hash, key } = TemplateDocuments.encode(document);
    // Same key, same bytes: storing again is harmless and skipping it saves the upload.
    const existing = await this.blobs.head(key);
    if (!existing || existing.size !== bytes.length) {
      await this.blobs.put(key, bytes, { contentType: 'application/json', contentLength: bytes.length });
    }
    return { key, hash, size: bytes.length };
  }

  async load(key: string, hash: string): Promise<LoadedDocument> {
    const cached = this.cache.get(hash);
    if (cached) {
      this.cache.delete(hash);
      this.cache.set(hash, cached);
      return cached;
    }
    const raw = await text(await this.blobs.get(key));
    if (sha256Hex(Buffer.from(raw, 'utf8')) !== hash)
      throw new Error(`template document ${key} does not match its hash ${hash}`);
    const document = JSON.parse(raw) as Record<string, unknown>;
    const loaded = { document, template: parseTemplate(document) };
    this.cache.set(hash, loaded);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return loaded;
  }
}
