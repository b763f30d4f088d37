import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { templateJsonSchema } from '@flatrender/engine';
import { defineService, type ScopedDatabase, ServiceStartError } from '@flatrender/platform';
import { readContentConfig } from './content.config';
import type { ContentTables } from './content.tables';
import { FontService } from './font.service';
import { FontFiles } from './font-files';
import { PreviewWorker } from './preview.worker';
import { registerFontRoutes } from './routes/fonts.routes';
import { registerInternalRoutes } from './routes/internal.routes';
import type { ContentRouteDeps } from './routes/route-deps';
import { TemplatePresenter } from './routes/template.presenter';
import { registerTemplateRoutes } from './routes/templates.routes';
import { seedContent } from './seed';
import { TemplateService } from './template.service';
import { TemplateDocuments } from './template-documents';

export { contentConfigShape } from './content.config';

export interface ContentServiceOptions {
  /** Settings read instead of (over) the process environment; tests use it. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The content service: templates (drafts, immutable published versions, the catalogue, previews)
 * and font faces. Owns the `content` schema. See docs/services/content.md.
 */
export function createContentService(options: ContentServiceOptions = {}) {
  return defineService({
    name: 'content',
    schema: 'content',
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    setup(ctx) {
      if (!ctx.db) throw new ServiceStartError('content: needs its database');
      const config = readContentConfig({ ...process.env, ...options.env });
      const db = ctx.db as ScopedDatabase<ContentTables>;
      const documents = new TemplateDocuments(ctx.blobs);
      const fonts = new FontFiles(ctx.blobs, join(ctx.config.dataDir, 'cache', 'content-fonts'), ctx.logger);
      const previews = new PreviewWorker(
        ctx,
        db,
        documents,
        fonts,
        config,
        ctx.logger.child({ part: 'previews' }),
      );
      const service = new TemplateService(ctx, db, documents, fonts, () => previews.kick());
      const fontService = new FontService(ctx, db);
      const deps: ContentRouteDeps = {
        ctx,
        config,
        db,
        service,
        fontService,
        documents,
        fonts,
        presenter: new TemplatePresenter({
          blobs: ctx.blobs,
          publicUrl: ctx.config.publicUrl,
          previewUrlTtlSeconds: config.previewUrlTtlSeconds,
        }),
        templateSchemaJson: templateJsonSchema(),
      };
      return {
        async routes(app) {
          registerTemplateRoutes(app, deps);
          await registerFontRoutes(app, deps);
          registerInternalRoutes(app, deps);
        },
        async seed() {
          const report = await seedContent({
            db,
            templates: service,
            fonts: fontService,
            logger: ctx.logger,
          });
          ctx.logger.info(report, 'content seeded');
        },
        async start() {
          if (config.previews) previews.start();
        },
        stop: () => previews.stop(),
      };
    },
  });
}

export const contentService = createContentService();
