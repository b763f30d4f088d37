import type { FastifyInstance } from 'fastify';
import rangeParser from 'range-parser';
import { forbidden, HttpError, notFound } from '../http/http-error';
import { BlobNotFoundError, type BlobStore, type ByteRange } from './blob-store';
import { BLOB_DOWNLOAD_PATH, verifyBlobUrl } from './blob-url-signer';
import { attachmentDisposition, defaultDownloadName } from './content-disposition';

export interface BlobDownloadRouteOptions {
  /** Where the bytes are (the disk store in embedded mode). */
  store: BlobStore;
  /** The secret the store signs URLs with. */
  secret: string;
}

/**
 * `GET /v1/blobs/<key>?exp=&sig=[&dn=][&ct=]`: serves a blob to whoever holds a signed URL made by
 * `DiskBlobStore.signedUrl`, as a download (never rendered inline: `attachment`, `nosniff`), with
 * single byte ranges for players and resumable downloads. 403 for a bad or expired link, 404 when the
 * blob is gone. Register at the root (no prefix): the signer builds URLs to this exact path.
 */
export async function blobDownloadRoute(
  app: FastifyInstance,
  options: BlobDownloadRouteOptions,
): Promise<void> {
  // HEAD is routed here explicitly: Fastify's automatic HEAD would replace Content-Length with the
  // length of the (empty) body.
  app.route({
    method: ['GET', 'HEAD'],
    url: `${BLOB_DOWNLOAD_PATH}*`,
    handler: async (request, reply) => {
      const key = (request.params as { '*': string })['*'];
      const verdict = verifyBlobUrl(options.secret, key, request.query as Record<string, unknown>);
      if (!verdict.ok) {
        throw verdict.reason === 'expired'
          ? forbidden('This download link has expired.', 'link_expired')
          : forbidden('This download link is not valid.', 'invalid_signature');
      }
      const info = await options.store.head(key);
      if (!info) throw notFound('The file');

      let range: Required<ByteRange> | undefined;
      const asked = request.headers.range;
      if (asked && info.size > 0) {
        const ranges = rangeParser(info.size, asked, { combine: true });
        if (ranges === -1) {
          throw new HttpError(
            416,
            'range_not_satisfiable',
            `The file has ${info.size} bytes.`,
            undefined,
            undefined,
            {
              'content-range': `bytes */${info.size}`,
            },
          );
        }
        // Several ranges would need a multipart body; the whole file answers them correctly too.
        if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) range = ranges[0];
      }

      reply
        .header('content-type', verdict.claims.contentType ?? info.contentType)
        .header(
          'content-disposition',
          attachmentDisposition(verdict.claims.downloadName ?? defaultDownloadName(key)),
        )
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-cache')
        .header('accept-ranges', 'bytes')
        .header('etag', `"${info.etag}"`)
        .header('last-modified', info.lastModified.toUTCString())
        .header('content-length', String(range ? range.end - range.start + 1 : info.size));
      if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
      if (request.method === 'HEAD') return reply.send();
      try {
        return reply.send(await options.store.get(key, range));
      } catch (error) {
        if (error instanceof BlobNotFoundError) throw notFound('The file');
        throw error;
      }
    },
  });
}
