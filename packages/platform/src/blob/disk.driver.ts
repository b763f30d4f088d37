import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidBlobKey, assertValidBlobPrefix, InvalidBlobKeyError } from './blob-key';
import {
  type BlobInfo,
  type BlobListEntry,
  BlobNotFoundError,
  BlobSizeMismatchError,
  type BlobStore,
  type ByteRange,
  type PutOptions,
  type PutResult,
  type SignedUrlOptions,
} from './blob-store';
import { signBlobUrl } from './blob-url-signer';

export interface DiskBlobStoreOptions {
  /** Directory holding everything (`objects/`, `meta/`, `tmp/` under it). */
  root: string;
  /** Base URL of the gateway serving `blob-download.route` (PUBLIC_URL). */
  publicUrl: string;
  /** Key of the signed download URLs; the route must be given the same. */
  secret: string;
}

interface BlobMeta {
  contentType: string;
  etag: string;
  size: number;
}

const NOT_THERE = new Set(['ENOENT', 'ENOTDIR']);
const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';

/**
 * Blobs as files: `objects/<key>` holds the bytes, `meta/<key>.json` the content type and etag.
 * Writes go to `tmp/` and are renamed into place, so a reader sees the old blob or the new one, never
 * half of one. Keys map to folders, so a file system cannot hold both `a` and `a/b` (S3 can): such a
 * put is refused with `InvalidBlobKeyError`.
 */
export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk';
  readonly #objects: string;
  readonly #meta: string;
  readonly #tmp: string;

  constructor(private readonly options: DiskBlobStoreOptions) {
    const root = path.resolve(options.root);
    this.#objects = path.join(root, 'objects');
    this.#meta = path.join(root, 'meta');
    this.#tmp = path.join(root, 'tmp');
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions): Promise<PutResult> {
    assertValidBlobKey(key);
    await mkdir(this.#tmp, { recursive: true });
    const tmpData = path.join(this.#tmp, randomUUID());
    const tmpMeta = `${tmpData}.json`;
    try {
      const hash = createHash('md5');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      await pipeline(
        Buffer.isBuffer(body) ? Readable.from([body]) : body,
        meter,
        createWriteStream(tmpData, { flags: 'wx' }),
      );
      // Durable before it becomes visible: a crash after the rename must not leave an empty file.
      const file = await open(tmpData, 'r+');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
      if (options.contentLength !== undefined && size !== options.contentLength) {
        throw new BlobSizeMismatchError(key, options.contentLength, size);
      }
      const meta: BlobMeta = { contentType: options.contentType, etag: hash.digest('hex'), size };
      await writeFile(tmpMeta, JSON.stringify(meta));
      await this.#moveInto(key, tmpData, this.#dataPath(key));
      await this.#moveInto(key, tmpMeta, this.#metaPath(key));
      return { size, etag: meta.etag };
    } finally {
      await rm(tmpData, { force: true });
      await rm(tmpMeta, { force: true });
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertValidBlobKey(key);
    const file = await open(this.#dataPath(key), 'r').catch((error: unknown) => {
      throw NOT_THERE.has(code(error)) ? new BlobNotFoundError(key) : error;
    });
    if (!(await file.stat()).isFile()) {
      await file.close();
      throw new BlobNotFoundError(key);
    }
    return file.createReadStream({
      ...(range ? { start: range.start } : {}),
      ...(range?.end !== undefined ? { end: range.end } : {}),
    });
  }

  async head(key: string): Promise<BlobInfo | null> {
    assertValidBlobKey(key);
    const stats = await stat(this.#dataPath(key)).catch((error: unknown) => {
      if (NOT_THERE.has(code(error))) return null;
      throw error;
    });
    if (!stats?.isFile()) return null;
    const meta = await this.#readMeta(key);
    return {
      size: stats.size,
      // A crash between the two renames leaves new bytes with old (or no) metadata; the size tells.
      contentType: meta?.size === stats.size ? meta.contentType : 'application/octet-stream',
      etag:
        meta?.size === stats.size
          ? meta.etag
          : `${stats.size.toString(16)}-${Math.trunc(stats.mtimeMs).toString(16)}`,
      lastModified: stats.mtime,
    };
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    await this.#remove(this.#objects, this.#dataPath(key));
    await this.#remove(this.#meta, this.#metaPath(key));
  }

  async *list(prefix: string): AsyncIterable<BlobListEntry> {
    assertValidBlobPrefix(prefix);
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    yield* this.#walk(folder, prefix);
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    assertValidBlobKey(key);
    return signBlobUrl(this.options.publicUrl, this.options.secret, {
      key,
      expiresAt: Math.floor(Date.now() / 1000) + options.expiresInSeconds,
      ...(options.downloadName !== undefined ? { downloadName: options.downloadName } : {}),
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
    });
  }

  #dataPath(key: string): string {
    return path.join(this.#objects, ...key.split('/'));
  }

  #metaPath(key: string): string {
    return `${path.join(this.#meta, ...key.split('/'))}.json`;
  }

  async #readMeta(key: string): Promise<BlobMeta | null> {
    try {
      return JSON.parse(await readFile(this.#metaPath(key), 'utf8')) as BlobMeta;
    } catch {
      return null;
    }
  }

  async #moveInto(key: string, from: string, to: string): Promise<void> {
    // A concurrent delete may remove an emptied parent folder between mkdir and rename: try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(path.dirname(to), { recursive: true });
        await rename(from, to);
        return;
      } catch (error) {
        const c = code(error);
        if (c === 'ENOENT' && attempt < 3) continue;
        if (c === 'EEXIST' || c === 'ENOTDIR' || c === 'EISDIR' || c === 'ENOTEMPTY') {
          throw new InvalidBlobKeyError(
            key,
            'clashes with an existing key that is a folder of it, or whose folder it is',
          );
        }
        throw error;
      }
    }
  }

  /** Removes a file and then its emptied parent folders, up to (not including) `root`. */
  async #remove(root: string, file: string): Promise<void> {
    try {
      const stats = await stat(file);
      if (!stats.isFile()) return;
      await rm(file, { force: true });
    } catch (error) {
      if (NOT_THERE.has(code(error))) return;
      throw error;
    }
    for (let dir = path.dirname(file); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  }

  async *#walk(folder: string, prefix: string): AsyncIterable<BlobListEntry> {
    const dir = folder ? path.join(this.#objects, ...folder.split('/')) : this.#objects;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (NOT_THERE.has(code(error))) return;
      throw error;
    }
    for (const entry of entries) {
      const key = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.#walk(key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const stats = await stat(path.join(dir, entry.name)).catch(() => null);
        if (stats) yield { key, size: stats.size, lastModified: stats.mtime };
      }
    }
  }
}
