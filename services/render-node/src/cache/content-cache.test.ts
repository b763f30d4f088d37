import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DiskBlobStore } from '@flatrender/platform';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CacheChange,
  CacheHashMismatchError,
  type CacheObjectRef,
  CacheObjectTooLargeError,
  ContentCache,
} from './content-cache';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('ContentCache', () => {
  let root: string;
  let blobs: DiskBlobStore;
  let clock: number;
  let changes: CacheChange[];

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'node-cache-test-'));
    blobs = new DiskBlobStore({
      root: path.join(root, 'blobs'),
      publicUrl: 'http://127.0.0.1',
      secret: 'x'.repeat(32),
    });
    clock = 1_700_000_000_000;
    changes = [];
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const open = (capacityBytes: number) =>
    ContentCache.open({
      dir: path.join(root, 'cache'),
      capacityBytes,
      source: blobs,
      now: () => clock,
      onChange: (c) => changes.push(c),
    });

  async function stored(size: number, kind: CacheObjectRef['kind'] = 'asset'): Promise<CacheObjectRef> {
    const body = randomBytes(size);
    const hash = sha(body);
    const blobKey = `objects/${hash}`;
    await blobs.put(blobKey, body, { contentType: 'application/octet-stream' });
    return { kind, contentHash: hash, blobKey };
  }

  it('fetches an object once, verifies it, and serves it from disk afterwards', async () => {
    const cache = await open(10_000);
    const ref = await stored(1000, 'font');
    const [a, b] = await Promise.all([cache.acquire([ref]), cache.acquire([ref])]);
    expect(a.pathOf(ref.contentHash)).toBe(b.pathOf(ref.contentHash));
    expect(sha(await readFile(a.pathOf(ref.contentHash)))).toBe(ref.contentHash);
    expect(changes).toEqual([
      { added: [{ kind: 'font', content_hash: ref.contentHash, size_bytes: 1000 }], evicted: [] },
    ]);
    expect(cache.stats()).toEqual({ entries: 1, size_bytes: 1000, capacity_bytes: 10_000 });
    a.release();
    b.release();
    await blobs.delete(ref.blobKey);
    const again = await cache.acquire([ref]);
    expect(existsSync(again.pathOf(ref.contentHash))).toBe(true);
  });

  it('refuses a blob whose bytes do not match the hash, and keeps nothing of it', async () => {
    const cache = await open(10_000);
    const ref = await stored(500);
    const wrong = { ...ref, contentHash: sha(Buffer.from('something else')) };
    await expect(cache.acquire([wrong])).rejects.toBeInstanceOf(CacheHashMismatchError);
    expect(cache.has(wrong.contentHash)).toBe(false);
    expect(cache.stats().size_bytes).toBe(0);
    expect(changes).toEqual([]);
  });

  it('evicts the least recently used objects beyond the cap', async () => {
    const cache = await open(2500);
    const [a, b, c] = [await stored(1000), await stored(1000), await stored(1000)];
    (await cache.acquire([a])).release();
    clock += 1000;
    (await cache.acquire([b])).release();
    clock += 1000;
    // Using a again makes b the least recently used.
    (await cache.acquire([a])).release();
    clock += 1000;
    (await cache.acquire([c])).release();
    expect(cache.has(a.contentHash)).toBe(true);
    expect(cache.has(b.contentHash)).toBe(false);
    expect(cache.has(c.contentHash)).toBe(true);
    expect(cache.stats().size_bytes).toBe(2000);
    expect(changes.at(-1)).toEqual({
      added: [{ kind: 'asset', content_hash: c.contentHash, size_bytes: 1000 }],
      evicted: [{ kind: 'asset', content_hash: b.contentHash }],
    });
  });

  it('never evicts an object held by running work, and catches up once it is released', async () => {
    const cache = await open(1500);
    const [a, b] = [await stored(1000), await stored(1000)];
    const holdA = await cache.acquire([a]);
    clock += 1000;
    const holdB = await cache.acquire([b]);
    expect(cache.has(a.contentHash) && cache.has(b.contentHash)).toBe(true);
    expect(existsSync(holdA.pathOf(a.contentHash))).toBe(true);
    holdA.release();
    expect(cache.has(a.contentHash)).toBe(false);
    expect(cache.stats().size_bytes).toBe(1000);
    holdB.release();
  });

  it('refuses an object larger than the whole cache', async () => {
    const cache = await open(100);
    const ref = await stored(101);
    await expect(cache.acquire([ref])).rejects.toBeInstanceOf(CacheObjectTooLargeError);
    expect(cache.stats().entries).toBe(0);
  });

  it('indexes what an earlier run left, and applies a smaller cap at once', async () => {
    const first = await open(10_000);
    const [a, b] = [await stored(1000), await stored(1000)];
    (await first.acquire([a])).release();
    clock += 1000;
    (await first.acquire([b])).release();
    const reopened = await open(1000);
    expect(reopened.stats()).toEqual({ entries: 1, size_bytes: 1000, capacity_bytes: 1000 });
    expect(reopened.has(b.contentHash)).toBe(true);
  });
});
