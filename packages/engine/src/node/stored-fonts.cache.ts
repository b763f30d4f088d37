import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FontProvider } from '../fonts/font-spec';
import { registerBundledFonts, registerFontFile } from './font-files.provider';

/** A font face kept in a store (the platform's blob store) under a key, named by its SHA-256. */
export interface StoredFontFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  blob_key: string;
  content_hash: string;
}

/**
 * The fonts a service measures and covers text with outside a render node (the pre-render checks):
 * the bundled faces plus stored faces, fetched once into `dir` by content hash, verified, and
 * registered in this process as render nodes register them, so a check fits text exactly as the
 * render will.
 */
export class StoredFontsCache {
  private readonly fetched = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      dir: string;
      /** Streams a stored face's bytes. */
      read: (blobKey: string) => Promise<NodeJS.ReadableStream>;
      /** A face that could not be fetched; it stays missing and checks report it (never a fallback). */
      unavailable: (face: StoredFontFace, error: unknown) => void;
    },
  ) {}

  /** A provider with the bundled faces and every face of `faces` that could be fetched. */
  async provide(faces: readonly StoredFontFace[]): Promise<FontProvider> {
    const provider = registerBundledFonts();
    await Promise.all(
      faces
        .filter((f) => f.style === 'normal' && !provider.has(f.family, f.weight))
        .map((f) => this.fetch(f).catch((error) => this.options.unavailable(f, error))),
    );
    return provider;
  }

  private fetch(face: StoredFontFace): Promise<void> {
    let done = this.fetched.get(face.content_hash);
    if (!done) {
      done = this.download(face);
      done.catch(() => this.fetched.delete(face.content_hash));
      this.fetched.set(face.content_hash, done);
    }
    return done;
  }

  private async download(face: StoredFontFace): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    const file = path.join(this.options.dir, face.content_hash);
    const present = await stat(file).then(
      (s) => s.size > 0,
      () => false,
    );
    if (!present) {
      // Written aside, checked, renamed: a crash or a wrong blob never leaves a bad font under its hash.
      const partial = `${file}.${process.pid}.part`;
      try {
        await pipeline(await this.options.read(face.blob_key), createWriteStream(partial));
        const digest = createHash('sha256');
        await pipeline(createReadStream(partial), digest);
        const actual = digest.digest('hex');
        if (actual !== face.content_hash)
          throw new Error(`font ${face.blob_key} has SHA-256 ${actual}, expected ${face.content_hash}`);
        await rename(partial, file);
      } finally {
        await rm(partial, { force: true });
      }
    }
    registerFontFile({ family: face.family, weight: face.weight, path: file });
  }
}
