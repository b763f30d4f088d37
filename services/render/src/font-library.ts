import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FontProvider } from '@flatrender/engine';
import { registerBundledFonts, registerFontFile } from '@flatrender/engine/node';
import type { BlobStore, Logger } from '@flatrender/platform';
import type { FontRef } from './domain/job-spec';

/**
 * The fonts the pre-render checks measure text with: the engine's bundled faces plus the faces a job
 * names, fetched from the blob store once (by content hash, verified) and registered in this process
 * as render nodes register them, so a check fits text exactly as the render will.
 */
export class FontLibrary {
  private readonly fetched = new Map<string, Promise<void>>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** A provider with every face of `faces` it could get; one that cannot be fetched stays missing. */
  async provide(faces: readonly FontRef[]): Promise<FontProvider> {
    const provider = registerBundledFonts();
    await Promise.all(
      faces
        .filter((f) => f.style === 'normal' && !provider.has(f.family, f.weight))
        .map((f) =>
          this.fetch(f).catch((error) => this.logger.warn({ err: error, font: f }, 'font unavailable')),
        ),
    );
    return provider;
  }

  private fetch(face: FontRef): Promise<void> {
    let done = this.fetched.get(face.content_hash);
    if (!done) {
      done = this.download(face);
      done.catch(() => this.fetched.delete(face.content_hash));
      this.fetched.set(face.content_hash, done);
    }
    return done;
  }

  private async download(face: FontRef): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, face.content_hash);
    const present = await stat(file).then(
      (s) => s.size > 0,
      () => false,
    );
    if (!present) {
      // Written aside, checked, renamed: a crash or a wrong blob never leaves a bad font under its hash.
      const partial = `${file}.${process.pid}.part`;
      try {
        await pipeline(await this.blobs.get(face.blob_key), createWriteStream(partial));
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
