import { pipeline, type Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertValidBlobKey, assertValidBlobPrefix } from './blob-key';
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
import { attachmentDisposition, defaultDownloadName } from './content-disposition';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** S3-compatible endpoint (MinIO, Garage, Ceph...); omitted: AWS. */
  endpoint?: string;
  /**
   * Endpoint written into signed URLs when clients reach the store at another address than this
   * process does (e.g. `http://minio:9000` inside, `https://files.example.com` outside).
   */
  publicEndpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`; most self-hosted stores need it. */
  forcePathStyle?: boolean;
  /** Multipart part size for streamed uploads (default 8 MiB, minimum 5 MiB). */
  partSizeBytes?: number;
}

const MIB = 1024 * 1024;

/** Blobs in one bucket of an S3-compatible store; uploads stream through multipart upload. */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  readonly client: S3Client;
  readonly #presigner: S3Client;
  readonly #bucket: string;
  readonly #partSize: number;

  constructor(options: S3BlobStoreOptions) {
    this.#bucket = options.bucket;
    this.#partSize = Math.max(5 * MIB, options.partSizeBytes ?? 8 * MIB);
    const client = (endpoint: string | undefined) =>
      new S3Client({
        region: options.region,
        ...(endpoint ? { endpoint } : {}),
        forcePathStyle: options.forcePathStyle ?? true,
        ...(options.accessKeyId && options.secretAccessKey
          ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
          : {}),
        // Since 3.729 the SDK adds CRC32 checksums to every upload and checks them on downloads by
        // default (aws-sdk-js-v3#6810); several S3-compatible stores reject the headers (Cloudflare R2,
        // Backblaze B2). Only where the API requires one. s3rver works either way.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        requestHandler: { connectionTimeout: 5_000 },
      });
    this.client = client(options.endpoint);
    this.#presigner = options.publicEndpoint ? client(options.publicEndpoint) : this.client;
  }

  /** Resolves when the bucket exists and the credentials may use it. */
  async checkBucket(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.#bucket }));
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions): Promise<PutResult> {
    assertValidBlobKey(key);
    let size = 0;
    let source: Readable | Buffer = body;
    if (Buffer.isBuffer(body)) {
      size = body.length;
      if (options.contentLength !== undefined && size !== options.contentLength) {
        throw new BlobSizeMismatchError(key, options.contentLength, size);
      }
    } else {
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          callback(null, chunk);
        },
      });
      // An error of the source destroys the meter, which fails the upload (and aborts its parts).
      source = pipeline(body, meter, () => undefined);
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.#bucket, Key: key, Body: source, ContentType: options.contentType },
      partSize: this.#partSize,
      queueSize: 4,
      leavePartsOnError: false,
    });
    const result = await upload.done();
    if (options.contentLength !== undefined && size !== options.contentLength) {
      await this.delete(key);
      throw new BlobSizeMismatchError(key, options.contentLength, size);
    }
    return { size, etag: unquote(result.ETag) };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertValidBlobKey(key);
    try {
      const result = await this.client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}),
        }),
      );
      return result.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key);
      throw error;
    }
  }

  async head(key: string): Promise<BlobInfo | null> {
    assertValidBlobKey(key);
    try {
      const result = await this.client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return {
        size: result.ContentLength ?? 0,
        contentType: result.ContentType ?? 'application/octet-stream',
        etag: unquote(result.ETag),
        lastModified: result.LastModified ?? new Date(0),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  async *list(prefix: string): AsyncIterable<BlobListEntry> {
    assertValidBlobPrefix(prefix);
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.#bucket, ...(prefix ? { Prefix: prefix } : {}) },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
    }
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    assertValidBlobKey(key);
    const command = new GetObjectCommand({
      Bucket: this.#bucket,
      Key: key,
      ResponseContentDisposition: attachmentDisposition(options.downloadName ?? defaultDownloadName(key)),
      ...(options.contentType ? { ResponseContentType: options.contentType } : {}),
    });
    return getSignedUrl(this.#presigner, command, { expiresIn: options.expiresInSeconds });
  }
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replaceAll('"', '');
}

function isNotFound(error: unknown): boolean {
  if (error instanceof S3ServiceException) {
    return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404;
  }
  return false;
}
