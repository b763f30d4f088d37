import { defineConfig, env, readConfig } from '@flatrender/platform';
import { z } from 'zod';

/** The content service's own settings (docs/services/content.md). */
export const contentConfigShape = defineConfig('content', {
  previews: {
    env: 'CONTENT_PREVIEWS',
    doc: 'Draw the SVG poster and thumbnail of each published version in this process (turn off on replicas that should only serve).',
    schema: env.bool(true),
    defaultDoc: 'true',
  },
  previewPollMs: {
    env: 'CONTENT_PREVIEW_POLL_MS',
    doc: 'How often the preview worker looks for pending previews when nothing woke it.',
    schema: env.int(2000, 50),
    defaultDoc: '2000',
  },
  thumbnailFormat: {
    env: 'CONTENT_THUMBNAIL_FORMAT',
    doc: 'Raster thumbnail format: `jpg` (smaller) or `png`.',
    schema: z.enum(['jpg', 'png'], { message: 'must be jpg or png' }).default('jpg'),
    defaultDoc: 'jpg',
  },
  thumbnailSize: {
    env: 'CONTENT_THUMBNAIL_SIZE',
    doc: 'Longer side of thumbnails in pixels.',
    schema: env.int(480, 64),
    defaultDoc: '480',
  },
  previewUrlTtlSeconds: {
    env: 'CONTENT_PREVIEW_URL_TTL_SECONDS',
    doc: 'Lifetime of the signed preview URLs in API answers.',
    schema: env.int(3600, 60),
    defaultDoc: '3600',
  },
  fontUrlTtlSeconds: {
    env: 'CONTENT_FONT_URL_TTL_SECONDS',
    doc: 'Lifetime of signed links to tenant font files (platform fonts need none); rounded up to whole days so links stay cacheable.',
    schema: env.int(86_400, 3600),
    defaultDoc: '86400',
  },
  maxFontBytes: {
    env: 'CONTENT_MAX_FONT_BYTES',
    doc: 'Largest font file accepted by upload.',
    schema: env.int(20 * 1024 * 1024, 1024),
    defaultDoc: '20971520',
  },
});

export type ContentConfig = ReturnType<typeof readContentConfig>;

export function readContentConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return readConfig(contentConfigShape, source);
}
