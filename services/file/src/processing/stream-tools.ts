import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Reads at least `bytes` from `source` (less when it ends first) and returns them with a stream that
 * yields the same content from the start, so a type can be sniffed before the rest is consumed.
 */
export async function peekHead(source: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        return;
      }
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  }
  const stream = Readable.from(replay(), { objectMode: false });
  // Giving up on the replay (a refused upload) must release the source too.
  stream.once('close', () => {
    if (!ended) void iterator.return?.();
  });
  return { head: head.subarray(0, Math.min(head.length, bytes)), stream };
}

/** Raised while spooling when the content grows past `limit` bytes; nothing past it is written. */
export class LimitExceededError extends Error {
  constructor(
    readonly limit: number,
    readonly seen: number,
  ) {
    super(`content exceeds ${limit} bytes`);
  }
}

export interface Spooled {
  size: number;
  sha256: string;
}

/**
 * Streams `source` into the file at `path`, hashing (SHA-256) and counting; fails with
 * `LimitExceededError` as soon as more than `limit` bytes arrive, so an oversized upload is never read
 * to its end nor held in memory.
 */
export async function spoolToFile(source: Readable, path: string, limit: number): Promise<Spooled> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) {
        callback(new LimitExceededError(limit, size));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
  return { size, sha256: hash.digest('hex') };
}

/** SHA-256 (hex) and size of everything `source` yields. */
export async function hashStream(source: Readable): Promise<Spooled> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    hash.update(buffer);
  }
  return { size, sha256: hash.digest('hex') };
}

/** Yields the streams `open` returns, one after the other, as one stream (opened lazily, in order). */
export function concatStreams(opens: readonly (() => Promise<Readable>)[]): Readable {
  async function* all(): AsyncGenerator<Buffer> {
    for (const open of opens) {
      const part = await open();
      for await (const chunk of part) yield chunk as Buffer;
    }
  }
  return Readable.from(all(), { objectMode: false });
}
