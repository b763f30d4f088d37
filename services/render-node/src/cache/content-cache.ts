import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CACHE_ENTRY_KINDS } from '@flatrender/contracts';
import type { BlobStore } from '@flatrender/platform';

export type CacheKind = (typeof CACHE_ENTRY_KINDS)[number];
const KINDS: readonly CacheKind[] = ['template', 'font', 'asset'];
const SHA256 = /^[a-f0-9]{64}$/;

/** An object the cache can hold: what it is, its SHA-256 (its name), and where the blob store keeps it. */
export interface CacheObjectRef {
  kind: CacheKind;
  contentHash: string;
  blobKey: string;
}

export interface CacheEntry {
  kind: CacheKind;
  contentHash: string;
  size: number;
  path: string;
  /** Milliseconds since the epoch; the file's mtime, so the order survives restarts. */
  lastUsed: number;
}

export interface CacheStats {
  entries: number;
  size_bytes: number;
  capacity_bytes: number;
}

export interface CacheChange {
  added: { kind: CacheKind; content_hash: string; size_bytes: number }[];
  evicted: { kind: CacheKind; content_hash: string }[];
}

/** Objects held for a piece of work: none of them is evicted until `release()`. */
export interface CacheHold {
  pathOf(contentHash: string): string;
  release(): void;
}

export class CacheHashMismatchError extends Error {
  readonly code = 'cache_hash_mismatch';
  constructor(
    readonly ref: CacheObjectRef,
    readonly actual: string,
  ) {
    super(`blob ${ref.blobKey} has SHA-256 ${actual}, expected ${ref.contentHash}; refused`);
  }
}

export class CacheObjectTooLargeError extends Error {
  readonly code = 'cache_object_too_large';
  constructor(
    readonly ref: CacheObjectRef,
    readonly size: number,
    readonly capacity: number,
  ) {
    super(`blob ${ref.blobKey} has ${size} bytes, more than the whole cache (${capacity} bytes)`);
  }
}

export interface ContentCacheOptions {
  dir: string;
  capacityBytes: number;
  source: Pick<BlobStore, 'get'>;
  /** Called after every change (a fetch and the evictions it caused). */
  onChange?: (change: CacheChange) => void;
  now?: () => number;
}

/**
 * A content-addressed store of templates, fonts and assets on local disk. Objects are named by their
 * SHA-256 and written only after the downloaded bytes were hashed and matched, so a file in the cache
 * is always what its name says. Beyond the size cap the least recently used objects not held by
 * running work are evicted.
 */
export class ContentCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  private readonly pins = new Map<string, number>();
  private readonly removing = new Map<string, Promise<void>>();
  private bytes = 0;

  private constructor(private readonly options: ContentCacheOptions) {}

  /** Opens (and creates) the cache directory, indexing what an earlier run left there. */
  static async open(options: ContentCacheOptions): Promise<ContentCache> {
    const cache = new ContentCache(options);
    await rm(cache.tmpDir, { recursive: true, force: true });
    await mkdir(cache.tmpDir, { recursive: true });
    for (const kind of KINDS) {
      const dir = path.join(options.dir, kind);
      await mkdir(dir, { recursive: true });
      for (const name of await readdir(dir)) {
        const file = path.join(dir, name);
        if (!SHA256.test(name)) {
          await rm(file, { recursive: true, force: true });
          continue;
        }
        const info = await stat(file);
        cache.index({ kind, contentHash: name, size: info.size, path: file, lastUsed: info.mtimeMs });
      }
    }
    // A smaller cap than last time applies at once.
    cache.evict(new Set());
    return cache;
  }

  get capacity(): number {
    return this.options.capacityBytes;
  }

  stats(): CacheStats {
    return { entries: this.entries.size, size_bytes: this.bytes, capacity_bytes: this.capacity };
  }

  list(): CacheEntry[] {
    return [...this.entries.values()];
  }

  has(contentHash: string): boolean {
    return this.entries.has(contentHash);
  }

  /**
   * Makes every object local (fetching and verifying the missing ones, once each even when asked
   * concurrently) and holds them until the hold is released. Fails without holding anything when one
   * object cannot be fetched or does not match its hash.
   */
  async acquire(refs: readonly CacheObjectRef[]): Promise<CacheHold> {
    const hashes = [...new Set(refs.map((r) => r.contentHash))];
    for (const hash of hashes) this.pins.set(hash, (this.pins.get(hash) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const hash of hashes) {
        const left = (this.pins.get(hash) ?? 1) - 1;
        if (left > 0) this.pins.set(hash, left);
        else this.pins.delete(hash);
      }
      this.evict(new Set());
    };
    try {
      const unique = new Map(refs.map((r) => [r.contentHash, r]));
      const found = await Promise.all([...unique.values()].map((ref) => this.ensure(ref)));
      const paths = new Map(found.map((e) => [e.contentHash, e.path]));
      return {
        pathOf(contentHash) {
          const p = paths.get(contentHash);
          if (!p) throw new Error(`object ${contentHash} is not part of this hold`);
          return p;
        },
        release,
      };
    } catch (error) {
      release();
      throw error;
    }
  }

  private get tmpDir(): string {
    return path.join(this.options.dir, '.tmp');
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async ensure(ref: CacheObjectRef): Promise<CacheEntry> {
    if (!SHA256.test(ref.contentHash)) throw new Error(`"${ref.contentHash}" is not a SHA-256`);
    const existing = this.entries.get(ref.contentHash);
    if (existing) {
      await this.touch(existing);
      return existing;
    }
    let pending = this.inflight.get(ref.contentHash);
    if (!pending) {
      pending = this.download(ref).finally(() => this.inflight.delete(ref.contentHash));
      this.inflight.set(ref.contentHash, pending);
    }
    return pending;
  }

  private async touch(entry: CacheEntry): Promise<void> {
    entry.lastUsed = this.now();
    const seconds = entry.lastUsed / 1000;
    await utimes(entry.path, seconds, seconds).catch(() => undefined);
  }

  private async download(ref: CacheObjectRef): Promise<CacheEntry> {
    const tmp = path.join(this.tmpDir, `${ref.contentHash}.${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      const body = await this.options.source.get(ref.blobKey);
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(body, measure, createWriteStream(tmp));
      const actual = hash.digest('hex');
      if (actual !== ref.contentHash) throw new CacheHashMismatchError(ref, actual);
      if (size > this.capacity) throw new CacheObjectTooLargeError(ref, size, this.capacity);
      const file = path.join(this.options.dir, ref.kind, ref.contentHash);
      // An eviction of the same object may still be unlinking the old copy.
      await this.removing.get(ref.contentHash);
      await rename(tmp, file);
      const entry: CacheEntry = {
        kind: ref.kind,
        contentHash: ref.contentHash,
        size,
        path: file,
        lastUsed: this.now(),
      };
      await this.touch(entry);
      this.index(entry);
      const evicted = this.evict(new Set([ref.contentHash]), false);
      this.options.onChange?.({
        added: [{ kind: entry.kind, content_hash: entry.contentHash, size_bytes: size }],
        evicted,
      });
      return entry;
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  private index(entry: CacheEntry): void {
    const previous = this.entries.get(entry.contentHash);
    if (previous) this.bytes -= previous.size;
    this.entries.set(entry.contentHash, entry);
    this.bytes += entry.size;
  }

  /**
   * Removes least recently used objects until the cache fits its cap. Held objects (and `keep`) stay,
   * even if that leaves the cache over its cap until they are released.
   */
  private evict(keep: ReadonlySet<string>, announce = true): CacheChange['evicted'] {
    const evicted: CacheChange['evicted'] = [];
    if (this.bytes <= this.capacity) return evicted;
    const candidates = [...this.entries.values()]
      .filter((e) => !keep.has(e.contentHash) && !this.pins.has(e.contentHash))
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of candidates) {
      if (this.bytes <= this.capacity) break;
      this.entries.delete(entry.contentHash);
      this.bytes -= entry.size;
      // Unlinking is safe for readers that already opened the file; new readers hold a pin first.
      const removal = rm(entry.path, { force: true })
        .catch(() => undefined)
        .finally(() => this.removing.delete(entry.contentHash));
      this.removing.set(entry.contentHash, removal);
      evicted.push({ kind: entry.kind, content_hash: entry.contentHash });
    }
    if (announce && evicted.length > 0) this.options.onChange?.({ added: [], evicted });
    return evicted;
  }
}
