import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledFontFiles } from './font-files.provider';
import { type StoredFontFace, StoredFontsCache } from './stored-fonts.cache';

describe('StoredFontsCache', () => {
  let dir: string;
  const source = bundledFontFiles().find((f) => f.weight === 700)?.path as string;
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex');
  const face = (family: string, content_hash = hash): StoredFontFace => ({
    family,
    weight: 400,
    style: 'normal',
    blob_key: `fonts/${family}`,
    content_hash,
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'stored-fonts-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fetches a stored face once, keeps it under its hash and registers it', async () => {
    const reads: string[] = [];
    const cache = new StoredFontsCache({
      dir,
      read: async (key) => {
        reads.push(key);
        return createReadStream(source);
      },
      unavailable: (_face, error) => {
        throw error;
      },
    });
    const first = await cache.provide([face('Stored Sans')]);
    const second = await cache.provide([face('Stored Sans')]);
    expect(first.has('Stored Sans', 400)).toBe(true);
    expect(second.has('Vazirmatn', 400)).toBe(true);
    expect(reads).toEqual(['fonts/Stored Sans']);
    expect(await readdir(dir)).toEqual([hash]);
  });

  it('refuses bytes that do not match the face hash, leaves nothing behind and reports the face', async () => {
    const missing: string[] = [];
    const cache = new StoredFontsCache({
      dir,
      read: async () => createReadStream(source),
      unavailable: (f, error) => missing.push(`${f.family}: ${(error as Error).message.split(',')[0]}`),
    });
    const provider = await cache.provide([face('Forged Sans', 'ab'.repeat(32))]);
    expect(provider.has('Forged Sans', 400)).toBe(false);
    expect(missing).toEqual([`Forged Sans: font fonts/Forged Sans has SHA-256 ${hash}`]);
    expect(await readdir(dir)).toEqual([hash]);
  });
});
