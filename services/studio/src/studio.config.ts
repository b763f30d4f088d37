import { defineConfig, env, readConfig } from '@flatrender/platform';
import { z } from 'zod';

/** The studio service's own settings (docs/services/studio.md). */
export const studioConfigShape = defineConfig('studio', {
  templateCacheSize: {
    env: 'STUDIO_TEMPLATE_CACHE_SIZE',
    doc: 'Template documents kept parsed in memory, by content hash (published versions never change).',
    schema: env.int(64, 1),
    defaultDoc: '64',
  },
  fontDir: {
    env: 'STUDIO_FONT_DIR',
    doc: 'Where font files of templates are kept for pre-render checks (glyph coverage, text fitting).',
    schema: z.string().min(1).optional(),
    defaultDoc: '$FLATRENDER_DATA_DIR/studio/fonts',
  },
});

export type StudioConfig = ReturnType<typeof readStudioConfig>;

export function readStudioConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return readConfig(studioConfigShape, source);
}
