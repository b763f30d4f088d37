import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidBlobKeyError } from './blob-key';
import { signBlobUrl } from './blob-url-signer';
import { startDiskStoreWithGateway } from './disk-store-gateway.fixture';

type Gateway = Awaited<ReturnType<typeof startDiskStoreWithGateway>>;

describe('blob download route and disk specifics', () => {
  let gw: Gateway;
  let url: string;
  const key = 'tenants/t1/files/hello.txt';

  beforeAll(async () => {
    gw = await startDiskStoreWithGateway();
    await gw.store.put(key, Buffer.from('hello world'), { contentType: 'text/plain' });
    url = await gw.store.signedUrl(key, { expiresInSeconds: 300 });
  });

  afterAll(async () => {
    await gw?.close();
  });

  const errorCode = async (response: Response) =>
    ((await response.json()) as { error: { code: string } }).error.code;

  it('serves the whole file as a download that is never sniffed', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello world');
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'text/plain',
      'content-length': '11',
      'content-disposition': `attachment; filename="hello.txt"; filename*=UTF-8''hello.txt`,
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
      'cache-control': 'private, no-cache',
    });
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it.each([
    ['bytes=0-0', 'h', 'bytes 0-0/11'],
    ['bytes=6-', 'world', 'bytes 6-10/11'],
    ['bytes=-5', 'world', 'bytes 6-10/11'],
    ['bytes=0-99', 'hello world', 'bytes 0-10/11'],
  ])('answers Range %s with 206 and the bytes', async (range, body, contentRange) => {
    const response = await fetch(url, { headers: { range } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(contentRange);
    expect(response.headers.get('content-length')).toBe(String(body.length));
    expect(await response.text()).toBe(body);
  });

  it('answers an unsatisfiable range with 416 and the size', async () => {
    const response = await fetch(url, { headers: { range: 'bytes=50-60' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */11');
    expect(await errorCode(response)).toBe('range_not_satisfiable');
  });

  it('answers several ranges with the whole file', async () => {
    const response = await fetch(url, { headers: { range: 'bytes=0-1,4-5' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello world');
  });

  it('answers HEAD with the headers only', async () => {
    const response = await fetch(url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('11');
    expect(await response.text()).toBe('');
  });

  it('refuses changed, missing or forged signatures with 403', async () => {
    const renamed = new URL(url);
    renamed.searchParams.set('dn', 'evil.html');
    const otherKey = new URL(url.replace('hello.txt', 'other.txt'));
    const unsigned = new URL(url);
    unsigned.searchParams.delete('sig');
    const longer = new URL(url);
    longer.searchParams.set('exp', String(Number(longer.searchParams.get('exp')) + 3600));
    const forged = signBlobUrl(gw.publicUrl, 'not-the-secret', {
      key,
      expiresAt: Math.floor(Date.now() / 1000) + 60,
    });
    for (const bad of [renamed, otherKey, unsigned, longer, forged]) {
      const response = await fetch(bad);
      expect(response.status, String(bad)).toBe(403);
      expect(await errorCode(response)).toBe('invalid_signature');
    }
  });

  it('refuses an expired link with its own code', async () => {
    const expired = signBlobUrl(gw.publicUrl, gw.secret, {
      key,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    const response = await fetch(expired);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('link_expired');
  });

  it('answers 404 when the blob was deleted after signing', async () => {
    const gone = 'tenants/t1/files/gone.txt';
    await gw.store.put(gone, Buffer.from('x'), { contentType: 'text/plain' });
    const link = await gw.store.signedUrl(gone, { expiresInSeconds: 60 });
    await gw.store.delete(gone);
    const response = await fetch(link);
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe('not_found');
  });

  it('refuses on disk a key that would need a file to also be a folder', async () => {
    await gw.store.put('clash/a', Buffer.from('file'), { contentType: 'text/plain' });
    await expect(
      gw.store.put('clash/a/b', Buffer.from('x'), { contentType: 'text/plain' }),
    ).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await gw.store.put('clash2/a/b', Buffer.from('x'), { contentType: 'text/plain' });
    await expect(
      gw.store.put('clash2/a', Buffer.from('x'), { contentType: 'text/plain' }),
    ).rejects.toBeInstanceOf(InvalidBlobKeyError);
    expect(await readdir(path.join(gw.root, 'tmp'))).toEqual([]);
  });

  it('removes emptied folders on delete and leaves no temporary files', async () => {
    await gw.store.put('deep/x/y/z.bin', Buffer.from('z'), { contentType: 'application/octet-stream' });
    await gw.store.delete('deep/x/y/z.bin');
    expect(await readdir(path.join(gw.root, 'objects'))).not.toContain('deep');
    expect(await readdir(path.join(gw.root, 'meta'))).not.toContain('deep');
    expect(await readdir(path.join(gw.root, 'tmp'))).toEqual([]);
  });
});
