import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatStreams, hashStream, LimitExceededError, peekHead, spoolToFile } from './stream-tools';

const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));
const text = async (stream: Readable) => Buffer.concat(await stream.toArray()).toString();

describe('stream tools', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fr-stream-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('peeks the first bytes and replays the whole content', async () => {
    const { head, stream } = await peekHead(chunks('ab', 'cd', 'ef', 'gh'), 3);
    expect(head.toString()).toBe('abc');
    expect(await text(stream)).toBe('abcdefgh');
  });

  it('peeks a content shorter than asked', async () => {
    const { head, stream } = await peekHead(chunks('xy'), 10);
    expect(head.toString()).toBe('xy');
    expect(await text(stream)).toBe('xy');
  });

  it('spools with hash and size, and stops past the limit', async () => {
    const ok = await spoolToFile(chunks('hello ', 'world'), path.join(dir, 'a'), 11);
    expect(ok).toEqual({
      size: 11,
      sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
    });
    expect(await readFile(path.join(dir, 'a'), 'utf8')).toBe('hello world');
    await expect(spoolToFile(chunks('hello ', 'world'), path.join(dir, 'b'), 10)).rejects.toBeInstanceOf(
      LimitExceededError,
    );
  });

  it('concatenates lazily opened streams in order', async () => {
    const opened: number[] = [];
    const stream = concatStreams(
      [1, 2, 3].map((n) => async () => {
        opened.push(n);
        return chunks(`<${n}>`);
      }),
    );
    expect(opened).toEqual([]);
    expect(await text(stream)).toBe('<1><2><3>');
    expect((await hashStream(chunks('a'))).size).toBe(1);
  });
});
