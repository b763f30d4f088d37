import { z } from 'zod';
import { defineMessage } from '../catalog';
import {
  aspectRatioSchema,
  assetRefSchema,
  blobKeySchema,
  byteCountSchema,
  fontRefSchema,
  localizedTextSchema,
  sha256Schema,
  slugSchema,
  timestampSchema,
  uuidSchema,
} from '../common.schemas';

export const TEMPLATE_VISIBILITIES = ['public', 'tenant'] as const;
export const FONT_FILE_FORMATS = ['ttf', 'otf', 'woff2'] as const;

export const CONTENT_EVENTS = {
  'content.template.published.v1': defineMessage({
    key: 'content.template.published.v1',
    kind: 'event',
    producers: ['content'],
    consumers: ['render-orchestrator', 'studio'],
    description:
      'A template version was published (immutable from now on); render records what it needs to dispatch jobs of it without asking content, studio to pin projects to it.',
    data: z.strictObject({
      template_id: uuidSchema.describe('Template id'),
      slug: slugSchema.describe('Stable human id (`nowruz-greeting`)'),
      version: z.int().min(1).describe('The published version; versions only grow'),
      title: localizedTextSchema.describe('Title in both languages'),
      visibility: z
        .enum(TEMPLATE_VISIBILITIES)
        .describe('`public` = gallery of every tenant; `tenant` = its owner only'),
      engine: z
        .int()
        .min(1)
        .describe('Engine generation the template was made for; renders use exactly this one'),
      mode: z
        .enum(['fixed', 'flexible'])
        .describe('Flexible templates let projects add, remove and reorder scenes'),
      fps: z.int().min(1).max(120).describe('Native frame rate'),
      aspects: z.array(aspectRatioSchema).min(1).describe('Aspect ratios the template declares'),
      document_key: blobKeySchema.describe('Blob key of the template document (JSON)'),
      content_hash: sha256Schema.describe('SHA-256 of the document; render nodes cache by it'),
      size_bytes: byteCountSchema.describe('Size of the document'),
      fonts: z.array(fontRefSchema).describe('Every font face the template can draw with'),
      assets: z.array(assetRefSchema).describe('Assets the template ships (music, images, SVGs)'),
      published_at: timestampSchema.describe('When it was published'),
    }),
  }),
  'content.template.unpublished.v1': defineMessage({
    key: 'content.template.unpublished.v1',
    kind: 'event',
    producers: ['content'],
    consumers: ['render-orchestrator', 'studio'],
    description:
      'A template was withdrawn from the gallery; render refuses new jobs of it (jobs already queued still finish), studio creates no new projects from it (existing ones keep their pin).',
    data: z.strictObject({
      template_id: uuidSchema.describe('Template id'),
      slug: slugSchema.describe('Stable human id'),
      versions: z
        .array(z.int().min(1))
        .min(1)
        .describe('Versions withdrawn (all published versions when the whole template goes)'),
      reason_code: z.enum(['author', 'admin', 'policy']).describe('Who or what withdrew it'),
      unpublished_at: timestampSchema.describe('When it was withdrawn'),
    }),
  }),
  'content.font.installed.v1': defineMessage({
    key: 'content.font.installed.v1',
    kind: 'event',
    producers: ['content'],
    consumers: ['render-orchestrator', 'render-node'],
    description:
      'A font face became available; render may now accept jobs that need it and every render node (each on its own queue) fetches it into its cache.',
    data: z.strictObject({
      font_id: uuidSchema.describe('Font face id (content)'),
      font: fontRefSchema.describe('Family, weight, style, hash and location of the file'),
      format: z.enum(FONT_FILE_FORMATS).describe('File format'),
      size_bytes: byteCountSchema.describe('File size'),
      scripts: z
        .array(z.enum(['arabic', 'latin', 'digits']))
        .min(1)
        .describe('Scripts the face covers (Persian text needs `arabic`)'),
      visibility: z
        .enum(['platform', 'tenant'])
        .describe('`platform` = every tenant; `tenant` = its owner only'),
      installed_at: timestampSchema.describe('When it was installed'),
    }),
  }),
  'content.svg_preview.generated.v1': defineMessage({
    key: 'content.svg_preview.generated.v1',
    kind: 'event',
    producers: ['content'],
    consumers: [],
    description:
      'A lightweight SVG preview of a template version was generated for the gallery (recorded for audit; content serves it).',
    data: z.strictObject({
      template_id: uuidSchema.describe('Template id'),
      version: z.int().min(1).describe('Template version previewed'),
      aspect: aspectRatioSchema.describe('Aspect ratio of the preview'),
      blob_key: blobKeySchema.describe('Blob key of the sanitised SVG'),
      content_hash: sha256Schema.describe('SHA-256 of the SVG (cache validator)'),
      size_bytes: byteCountSchema.describe('Size of the SVG'),
      width: z.int().min(1).describe('Width of the viewBox in pixels'),
      height: z.int().min(1).describe('Height of the viewBox in pixels'),
      generated_at: timestampSchema.describe('When it was generated'),
    }),
  }),
} as const;
