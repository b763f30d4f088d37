import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { coverageFontProvider, type FontProvider } from '@flatrender/engine';
import { nodeFontProvider, registerBundledFonts, registerFontFile } from '@flatrender/engine/node';
import type { BlobStore, Logger } from '@flatrender/platform';
import { rangesCover } from './domain/font-inspection';
import type { FontRow } from './font.repository';

/**
 * Installed faces as the engine needs them in this process: a FontProvider with each face's glyph
 * coverage (from the database, no file needed) for checks, and the files themselves registered with
 * Skia (fetched once into a local cache by content hash) so text is measured and drawn with them.
 *
 * Skia's registry is process-wide and keyed by the engine alias "Family weight": the first file
 * registered under an alias stays. Families are unique between the platform and tenants (refused at
 * upload), so only two tenants using one family name could meet here; that is logged.
 */
export class FontFiles {
  private readonly registered = new Map<string, string>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly cacheDir: string,
    private readonly logger: Logger,
  ) {
    registerBundledFonts();
  }

  provider(rows: readonly FontRow[]): FontProvider {
    return coverageFontProvider(
      rows
        .filter((r) => r.style === 'normal')
        .map((r) => ({
          family: r.family,
          weight: r.weight,
          covers: (cp: number) => rangesCover(r.codepoint_ranges, cp),
        })),
    );
  }

  async register(rows: readonly FontRow[]): Promise<void> {
    const engineFonts = nodeFontProvider();
    for (const row of rows) {
      if (row.style !== 'normal') continue;
      const alias = `${row.family} ${row.weight}`;
      const seen = this.registered.get(alias);
      if (seen === row.content_hash) continue;
      if (seen !== undefined || engineFonts.has(row.family, row.weight)) {
        if (seen !== undefined && seen !== row.content_hash)
          this.logger.warn(
            { alias, registered: seen, wanted: row.content_hash },
            'font alias already registered with another file',
          );
        this.registered.set(alias, seen ?? row.content_hash);
        continue;
      }
      const path = await this.localFile(row);
      registerFontFile({ family: row.family, weight: row.weight, path });
      this.registered.set(alias, row.content_hash);
    }
  }

  private async localFile(row: FontRow): Promise<string> {
    const path = join(this.cacheDir, `${row.content_hash}.${row.format}`);
    if (existsSync(path)) return path;
    await mkdir(this.cacheDir, { recursive: true });
    const bytes = await buffer(await this.blobs.get(row.blob_key));
    const partial = `${path}.${process.pid}.part`;
    await writeFile(partial, bytes);
    await rename(partial, path);
    return path;
  }
}
