import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHttpServer } from '../http/http-server';
import { createLogger } from '../log';
import { blobDownloadRoute } from './blob-download.route';
import { DiskBlobStore } from './disk.driver';

/** A disk store in a temp dir whose signed URLs point at a real gateway serving the download route. */
export async function startDiskStoreWithGateway() {
  const root = await mkdtemp(path.join(tmpdir(), 'fr-blobs-'));
  const secret = randomBytes(32).toString('hex');
  const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
  // The gateway reads the same directory; the URL it is reached at is only known after listen.
  await app.register(blobDownloadRoute, {
    store: new DiskBlobStore({ root, secret, publicUrl: 'http://unused' }),
    secret,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const publicUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const store = new DiskBlobStore({ root, secret, publicUrl });
  return {
    root,
    secret,
    publicUrl,
    store,
    close: async () => {
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
