import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadPlatformConfig } from '../config';
import { startTestS3, type TestS3 } from '../testing/test-s3';
import { createBlobStore } from './create-blob-store';
import { S3BlobStore } from './s3.driver';

const SECRET = 'x'.repeat(32);

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createBlobStore', () => {
  let s3: TestS3;
  let dataDir: string;

  beforeAll(async () => {
    s3 = await startTestS3();
    dataDir = await mkdtemp(path.join(tmpdir(), 'fr-data-'));
  });

  afterAll(async () => {
    await s3?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const s3Env = (overrides: Record<string, string> = {}) => ({
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    ...overrides,
  });

  it('keeps blobs on disk under the data dir when S3_ENDPOINT is unset', async () => {
    const store = await createBlobStore(loadPlatformConfig({ FLATRENDER_DATA_DIR: dataDir }), SECRET);
    expect(store.kind).toBe('disk');
    await store.put('a/b.txt', Buffer.from('on disk'), { contentType: 'text/plain' });
    expect(await readFile(path.join(dataDir, 'blobs', 'objects', 'a', 'b.txt'), 'utf8')).toBe('on disk');
    expect(await store.signedUrl('a/b.txt', { expiresInSeconds: 60 })).toMatch(
      /^http:\/\/localhost:8080\/v1\/blobs\/a\/b\.txt\?/,
    );
  });

  it('needs a secret to sign disk download URLs', async () => {
    await expect(
      createBlobStore(loadPlatformConfig({ FLATRENDER_DATA_DIR: dataDir }), undefined),
    ).rejects.toThrow(
      new ConfigError('FLATRENDER_SECRET', 'is required to sign download URLs of disk storage'),
    );
  });

  it('uses the S3 store when S3_ENDPOINT is set and the bucket answers', async () => {
    const store = await createBlobStore(loadPlatformConfig(s3Env()), SECRET);
    expect(store).toBeInstanceOf(S3BlobStore);
    await store.put('k', Buffer.from('in s3'), { contentType: 'text/plain' });
    expect((await store.head('k'))?.size).toBe(5);
    (store as S3BlobStore).client.destroy();
  });

  it.each([
    [
      'an unreachable endpoint',
      async () => ({ S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}` }),
      /^configuration: S3_ENDPOINT is unreachable \(ECONNREFUSED\)$/,
    ],
    [
      'a missing bucket',
      async () => ({ S3_BUCKET: 'no-such-bucket' }),
      /^configuration: S3_BUCKET names a bucket that does not exist \("no-such-bucket"\)$/,
    ],
    [
      'unknown credentials',
      async () => ({ S3_ACCESS_KEY_ID: 'WRONG' }),
      /^configuration: S3_ACCESS_KEY_ID was refused access/,
    ],
  ])('stops start-up with one line naming the variable for %s', async (_case, overrides, message) => {
    const failure = createBlobStore(loadPlatformConfig(s3Env(await overrides())), SECRET);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(message);
  });
});
