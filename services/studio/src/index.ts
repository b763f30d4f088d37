import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoredFontsCache } from '@flatrender/engine/node';
import { defineService, type ScopedDatabase } from '@flatrender/platform';
import { templateEventHandlers } from './handlers/template-events.handler';
import { ProjectRepository } from './project.repository';
import { ProjectService } from './project.service';
import { registerInternalRoutes } from './routes/internal.routes';
import { registerProjectRoutes } from './routes/projects.routes';
import { registerSnapshotRoutes } from './routes/snapshots.routes';
import { SnapshotRepository } from './snapshot.repository';
import { readStudioConfig } from './studio.config';
import type { StudioDb } from './studio.db';
import { TemplateCatalog } from './template-catalog';
import { TemplateVersionRepository } from './template-version.repository';

/**
 * Studio: projects, a user's customisation of a pinned template version (values, scene edits,
 * durations, aspect), with autosave guarded by revisions, pre-render checks and snapshot requests.
 */
export const studioService = defineService({
  name: 'studio',
  schema: 'studio',
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  setup: (ctx) => {
    const config = readStudioConfig();
    if (!ctx.db) throw new Error('studio: needs a database');
    const db = ctx.db as unknown as ScopedDatabase<StudioDb>;
    const versions = new TemplateVersionRepository();
    const catalog = new TemplateCatalog({
      db,
      blobs: ctx.blobs,
      internal: ctx.internal,
      logger: ctx.logger,
      versions,
      cacheSize: config.templateCacheSize,
    });
    const fonts = new StoredFontsCache({
      dir: config.fontDir ?? path.join(ctx.config.dataDir, 'studio', 'fonts'),
      read: (key) => ctx.blobs.get(key),
      unavailable: (font, error) => ctx.logger.warn({ err: error, font }, 'font unavailable'),
    });
    const projects = new ProjectService({
      ctx,
      db,
      projects: new ProjectRepository(),
      snapshots: new SnapshotRepository(),
      catalog,
      fonts,
      logger: ctx.logger,
    });
    return {
      routes(app) {
        registerProjectRoutes(app, projects);
        registerSnapshotRoutes(app, projects);
        registerInternalRoutes(app, ctx, projects);
      },
      events: templateEventHandlers(versions),
    };
  },
});
