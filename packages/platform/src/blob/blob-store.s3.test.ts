import { describe } from 'vitest';
import { startTestS3 } from '../testing/test-s3';
import { blobStoreContract } from './blob-store.contract';
import { S3BlobStore } from './s3.driver';

describe('S3 blob store (s3rver)', () => {
  blobStoreContract(async () => {
    const s3 = await startTestS3();
    const store = new S3BlobStore({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true,
      partSizeBytes: 5 * 1024 * 1024,
    });
    return {
      store,
      close: async () => {
        store.client.destroy();
        await s3.stop();
      },
    };
  });
});
