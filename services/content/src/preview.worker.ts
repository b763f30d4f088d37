import { SYSTEM_USER_ID } from '@flatrender/contracts';
import type { Aspect } from '@flatrender/engine';
import { renderStill } from '@flatrender/engine/node';
import type { Logger, ScopedDatabase, ServiceContext } from '@flatrender/platform';
import type { ContentConfig } from './content.config';
import type { ContentTables } from './content.tables';
import { sha256Hex } from './domain/canonical-json';
import { previewKey } from './domain/content-keys';
import { assertSafeSvg } from './domain/svg-poster';
import { posterTime, previewLocale } from './domain/template-metadata';
import { fontsByHash } from './font.repository';
import type { FontFiles } from './font-files';
import {
  claimPendingStill,
  completeStill,
  failStill,
  findVersion,
  type PreviewRow,
} from './template.repository';
import type { TemplateDocuments } from './template-documents';

const LEASE_SECONDS = 120;
const MAX_ATTEMPTS = 3;

/**
 * Draws the gallery stills of published versions in this process: an SVG poster (self-contained,
 * text as paths) and a raster thumbnail per aspect. Work comes from `template_preview` rows the
 * publish transaction wrote, so a crash between publishing and drawing only delays the previews; a
 * claim with a lease keeps two workers (or two processes) off the same row.
 */
export class PreviewWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly db: ScopedDatabase<ContentTables>,
    private readonly documents: TemplateDocuments,
    private readonly fonts: FontFiles,
    private readonly config: ContentConfig,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Looks for work now (after a publish) instead of at the next poll. */
  kick(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.logger.error({ err: error }, 'preview worker failed to claim work');
      }
      if (worked || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.previewPollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Draws one pending preview; false when there was none. */
  async runOnce(): Promise<boolean> {
    const claim = await this.db.asSystem((tx) => claimPendingStill(tx, LEASE_SECONDS));
    if (!claim) return false;
    try {
      await this.draw(claim);
    } catch (error) {
      const final = claim.still_attempts >= MAX_ATTEMPTS;
      this.logger.warn(
        { err: error, template_id: claim.template_id, version: claim.version, aspect: claim.aspect, final },
        'preview failed',
      );
      await this.db.asSystem((tx) =>
        failStill(tx, claim, (error as Error).message ?? String(error), {
          final,
          retryInSeconds: 5 * claim.still_attempts,
        }),
      );
    }
    return true;
  }

  private async draw(claim: PreviewRow): Promise<void> {
    const { version, fontRows } = await this.db.asSystem(async (tx) => {
      const version = await findVersion(tx, claim.template_id, claim.version);
      if (!version) throw new Error(`version ${claim.template_id}/${claim.version} is gone`);
      return {
        version,
        fontRows: await fontsByHash(
          tx,
          version.fonts.map((f) => f.content_hash),
        ),
      };
    });
    await this.fonts.register(fontRows);
    const { template } = await this.documents.load(version.document_key, version.content_hash);
    const aspect = claim.aspect as Aspect;
    const locale = previewLocale(template);
    const time = posterTime(template, aspect, locale);

    const svg = await renderStill({ template, aspect, locale, time, format: 'svg' });
    assertSafeSvg(svg.data.toString('utf8'));
    const [width, height] = template.aspects[aspect] as [number, number];
    const scale = Math.min(1, this.config.thumbnailSize / Math.max(width, height));
    const thumb = await renderStill({
      template,
      aspect,
      locale,
      time,
      format: this.config.thumbnailFormat,
      quality: 'standard',
      scale,
    });
    const svgStored = await this.store(svg.data, 'svg', svg.mimeType);
    const thumbStored = await this.store(thumb.data, this.config.thumbnailFormat, thumb.mimeType);

    await this.db.asSystem(async (tx) => {
      await completeStill(tx, claim, {
        width: svg.width,
        height: svg.height,
        svg_key: svgStored.key,
        svg_hash: svgStored.hash,
        svg_size: svgStored.size,
        thumb_key: thumbStored.key,
        thumb_hash: thumbStored.hash,
        thumb_size: thumbStored.size,
        thumb_mime: thumb.mimeType,
        thumb_width: thumb.width,
        thumb_height: thumb.height,
      });
      await this.ctx.emit(
        tx,
        'content.svg_preview.generated.v1',
        {
          template_id: claim.template_id,
          version: claim.version,
          aspect,
          blob_key: svgStored.key,
          content_hash: svgStored.hash,
          size_bytes: svgStored.size,
          width: svg.width,
          height: svg.height,
          generated_at: new Date().toISOString(),
        },
        { tenantId: claim.tenant_id, userId: SYSTEM_USER_ID },
      );
    });
  }

  private async store(bytes: Buffer, extension: 'svg' | 'png' | 'jpg', contentType: string) {
    const hash = sha256Hex(bytes);
    const key = previewKey(hash, extension);
    if (!(await this.ctx.blobs.head(key)))
      await this.ctx.blobs.put(key, bytes, { contentType, contentLength: bytes.length });
    return { key, hash, size: bytes.length };
  }
}
