import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidBlobKeyError } from './blob-key';
import { BlobNotFoundError, BlobSizeMismatchError, type BlobStore, collectBlobList } from './blob-store';

export interface BlobStoreFixture {
  /** Signed URLs of this store must be fetchable over HTTP while the fixture lives. */
  store: BlobStore;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

/** A deterministic stream of `chunks` x 64 KiB, produced lazily, and the SHA-256 it must hash to. */
function generated(chunks: number): { stream: () => Readable; size: number; sha256: string } {
  const chunkAt = (i: number) => {
    const seed = createHash('sha256').update(String(i)).digest();
    return Buffer.alloc(CHUNK, seed);
  };
  const hash = createHash('sha256');
  for (let i = 0; i < chunks; i++) hash.update(chunkAt(i));
  return {
    stream: () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < chunks; i++) yield chunkAt(i);
        })(),
      ),
    size: chunks * CHUNK,
    sha256: hash.digest('hex'),
  };
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const BAD_KEYS = [
  '../x',
  '/abs',
  'a//b',
  'a/../b',
  'a/./b',
  'a\\b',
  'a/',
  '',
  'x\u0000y',
  'tab\there',
  'k'.repeat(1025),
];

/** The one behaviour every blob driver must have; run against local disk and a real S3 server. */
export function blobStoreContract(open: () => Promise<BlobStoreFixture>): void {
  let fixture: BlobStoreFixture;
  let store: BlobStore;
  // Every test works under its own prefix: the store (bucket) is shared by the file's tests.
  const area = () => `t${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    fixture = await open();
    store = fixture.store;
  });

  afterAll(async () => {
    await fixture?.close();
  });

  describe('put, get, head, list, delete', () => {
    it('round-trips a multi-megabyte stream', async () => {
      const key = `${area()}/renders/job-1/output.mp4`;
      const body = generated(192); // 12 MiB: more than one multipart part on S3
      const put = await store.put(key, body.stream(), { contentType: 'video/mp4' });
      expect(put.size).toBe(body.size);
      expect(put.etag).not.toBe('');

      const info = await store.head(key);
      expect(info).toMatchObject({ size: body.size, contentType: 'video/mp4', etag: put.etag });
      expect(Math.abs(info!.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
      expect(await sha256Of(await store.get(key))).toBe(body.sha256);

      await store.delete(key);
      expect(await store.head(key)).toBeNull();
      await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('reads an inclusive byte range', async () => {
      const key = `${area()}/hello.txt`;
      await store.put(key, Buffer.from('hello world'), { contentType: 'text/plain' });
      expect(await text(await store.get(key, { start: 6, end: 10 }))).toBe('world');
      expect(await text(await store.get(key, { start: 0, end: 4 }))).toBe('hello');
      expect(await text(await store.get(key, { start: 6 }))).toBe('world');
    });

    it('replaces a blob on overwrite, content type and etag included', async () => {
      const key = `${area()}/doc`;
      const first = await store.put(key, Buffer.from('one'), { contentType: 'text/plain' });
      const second = await store.put(key, Readable.from([Buffer.from('sec'), Buffer.from('ond')]), {
        contentType: 'application/json',
        contentLength: 6,
      });
      expect(second.etag).not.toBe(first.etag);
      expect(await text(await store.get(key))).toBe('second');
      expect(await store.head(key)).toMatchObject({
        size: 6,
        contentType: 'application/json',
        etag: second.etag,
      });
    });

    it('answers a missing key: head null, get BlobNotFoundError, delete fine', async () => {
      const key = `${area()}/never-written`;
      expect(await store.head(key)).toBeNull();
      await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.delete(key)).resolves.toBeUndefined();
    });

    it('stores nothing when the body does not have the announced length', async () => {
      const key = `${area()}/short`;
      await expect(
        store.put(key, Readable.from([Buffer.from('12345')]), {
          contentType: 'text/plain',
          contentLength: 10,
        }),
      ).rejects.toBeInstanceOf(BlobSizeMismatchError);
      await expect(
        store.put(key, Buffer.from('12345'), { contentType: 'text/plain', contentLength: 4 }),
      ).rejects.toBeInstanceOf(BlobSizeMismatchError);
      expect(await store.head(key)).toBeNull();
    });

    it('fails a put whose stream fails, storing nothing', async () => {
      const key = `${area()}/broken-upload`;
      const failing = new Readable({
        read() {
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put(key, failing, { contentType: 'text/plain' })).rejects.toThrow(
        'client went away',
      );
      expect(await store.head(key)).toBeNull();
    });

    it('lists by plain string prefix', async () => {
      const root = area();
      const keys = [`${root}/p/a/1`, `${root}/p/a/2`, `${root}/p/b/1`, `${root}/pa/1`, `${root}/q/1`];
      for (const key of keys) await store.put(key, Buffer.from(key), { contentType: 'text/plain' });
      const list = async (prefix: string) =>
        (await collectBlobList(store.list(prefix))).map((e) => e.key).sort();
      expect(await list(`${root}/p/`)).toEqual([`${root}/p/a/1`, `${root}/p/a/2`, `${root}/p/b/1`]);
      expect(await list(`${root}/p/a`)).toEqual([`${root}/p/a/1`, `${root}/p/a/2`]);
      expect(await list(`${root}/p`)).toEqual([
        `${root}/p/a/1`,
        `${root}/p/a/2`,
        `${root}/p/b/1`,
        `${root}/pa/1`,
      ]);
      expect(await list(`${root}/nothing/`)).toEqual([]);
      const [entry] = await collectBlobList(store.list(`${root}/q/`));
      expect(entry).toMatchObject({ key: `${root}/q/1`, size: `${root}/q/1`.length });
      expect(entry!.lastModified).toBeInstanceOf(Date);
    });

    it('keeps keys with Persian names and spaces intact', async () => {
      const key = `${area()}/فایل‌ها/تصویر نهایی (۱).png`;
      await store.put(key, Buffer.from('png'), { contentType: 'image/png' });
      expect(await text(await store.get(key))).toBe('png');
      expect(
        (await collectBlobList(store.list(key.slice(0, key.lastIndexOf('/') + 1)))).map((e) => e.key),
      ).toEqual([key]);
    });

    it('refuses bad keys before touching anything', async () => {
      for (const key of BAD_KEYS) {
        await expect(
          store.put(key, Buffer.from('x'), { contentType: 'text/plain' }),
          key,
        ).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.head(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.signedUrl(key, { expiresInSeconds: 60 }), key).rejects.toBeInstanceOf(
          InvalidBlobKeyError,
        );
      }
      await expect(collectBlobList(store.list('../'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
    });
  });

  describe('signed URLs', () => {
    it('downloads the bytes over HTTP as an attachment with the given name and type', async () => {
      const key = `${area()}/files/report`;
      const body = generated(20);
      await store.put(key, body.stream(), { contentType: 'application/octet-stream' });
      const url = await store.signedUrl(key, {
        expiresInSeconds: 60,
        downloadName: 'گزارش نهایی.pdf',
        contentType: 'application/pdf',
      });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const disposition = response.headers.get('content-disposition') ?? '';
      expect(disposition).toMatch(/^attachment;/);
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('گزارش نهایی.pdf')}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(body.sha256);
    });

    it('names the download after the key by default', async () => {
      const key = `${area()}/exports/clip.mp4`;
      await store.put(key, Buffer.from('mp4'), { contentType: 'video/mp4' });
      const response = await fetch(await store.signedUrl(key, { expiresInSeconds: 60 }));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('video/mp4');
      expect(response.headers.get('content-disposition')).toContain('filename="clip.mp4"');
      expect(await response.text()).toBe('mp4');
    });

    it('refuses an expired URL', async () => {
      const key = `${area()}/soon-gone`;
      await store.put(key, Buffer.from('secret'), { contentType: 'text/plain' });
      const url = await store.signedUrl(key, { expiresInSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      const response = await fetch(url);
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('secret');
    });
  });
}
