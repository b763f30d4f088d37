import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });
}

export interface CacheKeyInput {
  /** SHA-256 of the template version's document. */
  templateHash: string;
  /** Engine generation the template renders with. */
  engine: number;
  locale: string;
  aspect: string;
  /** Field values as nodes get them (uploads by content hash) and the scene list with durations. */
  values: unknown;
  scenes: unknown;
  /** Content hashes of every font and asset the output depends on. */
  contentHashes: readonly string[];
  output: { format: string; width: number; height: number; fps: number; quality: string };
  watermark: boolean;
  /** Still jobs: the instant pictured. */
  time?: number;
}

/**
 * The render cache key: two requests with the same key produce the same bytes, so the second is
 * served from the first's output. Uploads enter by content hash, never by file id, so re-uploading
 * the same image still hits, and replacing it misses.
 */
export function renderCacheKey(input: CacheKeyInput): string {
  const material = canonicalJson({ ...input, contentHashes: [...new Set(input.contentHashes)].sort(), v: 1 });
  return createHash('sha256').update(material).digest('hex');
}
