import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FontProvider } from '@flatrender/engine';
import { registerBundledFonts, registerFontFile } from '@flatrender/engine/node';
import type { BlobStore, Logger } from '@flatrender/platform';
import type { FontFaceRef } from './studio.db';

/**
 * The fonts pre-render checks measure and cover text with: the engine's bundled faces plus the
 * faces templates name, fetched from the blob store once (by content hash) and registered in this
 * process the way render nodes register them, so a check fits text exactly as a render will.
 */
export class FontLibrary {
  private readonly fetched = new Map<string, Promise<void>>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /**
   * A provider that has every face in `faces` it could get. A face that cannot be fetched stays
   * missing, and the checks report it as such (never a fallback font).
   */
  async provide(faces: readonly FontFaceRef[]): Promise<FontProvider> {
    // Idempotent; done on first use so start-up does not pay for reading every bundled face.
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

  private fetch(face: FontFaceRef): Promise<void> {
    let done = this.fetched.get(face.content_hash);
    if (!done) {
      done = this.download(face);
      done.catch(() => this.fetched.delete(face.content_hash));
      this.fetched.set(face.content_hash, done);
    }
    return done;
  }

  private async download(face: FontFaceRef): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, face.content_hash);
    const present = await stat(file).then(
      (s) => s.size > 0,
      () => false,
    );
    if (!present) {
      // Written aside and renamed, so a crash never leaves a truncated font under the final name.
      const partial = `${file}.${process.pid}.part`;
      try {
        await pipeline(await this.blobs.get(face.blob_key), createWriteStream(partial));
        await rename(partial, file);
      } finally {
        await rm(partial, { force: true });
      }
    }
    registerFontFile({ family: face.family, weight: face.weight, path: file });
  }
}
