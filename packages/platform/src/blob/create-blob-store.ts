import path from 'node:path';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { ConfigError, type PlatformConfig } from '../config';
import type { BlobStore } from './blob-store';
import { DiskBlobStore } from './disk.driver';
import { S3BlobStore } from './s3.driver';

export type BlobStoreConfig = Pick<
  PlatformConfig,
  | 'dataDir'
  | 'publicUrl'
  | 's3Endpoint'
  | 's3Bucket'
  | 's3AccessKeyId'
  | 's3SecretAccessKey'
  | 's3Region'
  | 's3ForcePathStyle'
>;

/**
 * `S3_ENDPOINT` set: the S3-compatible store, checked now (bucket reachable with these credentials)
 * so a wrong setting stops start-up with one line naming the variable. Unset: files under
 * `$FLATRENDER_DATA_DIR/blobs`, downloaded through the gateway's signed `/v1/blobs/` route, whose
 * URLs are signed with `secret` (FLATRENDER_SECRET, or the one embedded mode generated).
 */
export async function createBlobStore(
  config: BlobStoreConfig,
  secret: string | undefined,
): Promise<BlobStore> {
  if (!config.s3Endpoint) {
    if (!secret)
      throw new ConfigError('FLATRENDER_SECRET', 'is required to sign download URLs of disk storage');
    return new DiskBlobStore({
      root: path.resolve(config.dataDir, 'blobs'),
      publicUrl: config.publicUrl,
      secret,
    });
  }
  if (!config.s3Bucket) throw new ConfigError('S3_BUCKET', 'is required when S3_ENDPOINT is set');
  const store = new S3BlobStore({
    endpoint: config.s3Endpoint,
    bucket: config.s3Bucket,
    region: config.s3Region,
    forcePathStyle: config.s3ForcePathStyle,
    ...(config.s3AccessKeyId ? { accessKeyId: config.s3AccessKeyId } : {}),
    ...(config.s3SecretAccessKey ? { secretAccessKey: config.s3SecretAccessKey } : {}),
  });
  try {
    await store.checkBucket();
  } catch (error) {
    store.client.destroy();
    throw bucketProblem(error, config.s3Bucket);
  }
  return store;
}

function bucketProblem(error: unknown, bucket: string): ConfigError {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    if (status === 404)
      return new ConfigError('S3_BUCKET', `names a bucket that does not exist ("${bucket}")`);
    if (status === 403 || status === 401) {
      return new ConfigError(
        'S3_ACCESS_KEY_ID',
        `was refused access to bucket "${bucket}" (check it and S3_SECRET_ACCESS_KEY)`,
      );
    }
    return new ConfigError('S3_ENDPOINT', `answered ${status ?? 'an error'}: ${error.name}`);
  }
  const reason =
    error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
  return new ConfigError('S3_ENDPOINT', `is unreachable (${reason})`);
}
