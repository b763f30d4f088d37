import {
  aspectRatioSchema,
  assetRefSchema,
  blobKeySchema,
  errorBodySchema,
  fontRefSchema,
  localizedTextSchema,
  sha256Schema,
  slugSchema,
} from '@flatrender/contracts';
import { z } from 'zod';
import { CATALOGUE_SORTS } from '../template.repository';

/* The REST shapes of the content service (they feed the OpenAPI document). */

export const idParams = z.strictObject({ id: z.uuid().describe('Template id') });
export const versionParams = z.strictObject({
  id: z.uuid().describe('Template id'),
  version: z.coerce.number().int().min(1).describe('Published version'),
});
export const fontParams = z.strictObject({ id: z.uuid().describe('Font face id') });

const localizedOrNull = localizedTextSchema.nullable();
const isoTime = z.string().describe('ISO 8601 time');

export const problemSchema = z.object({
  path: z
    .string()
    .describe('JSON path into the document (`$.scenes[0].props.title`) or a field path (`intro.title`)'),
  code: z.string().describe('Engine error code (`unknown_field`, `missing_glyphs`, `text_unfit`...)'),
  message: z.string(),
});

export const previewSchema = z.object({
  aspect: aspectRatioSchema,
  status: z.enum(['pending', 'ready', 'failed']).describe('State of the SVG poster and thumbnail'),
  width: z.int().nullable().describe('Width of the composition (the SVG viewBox)'),
  height: z.int().nullable(),
  svg_url: z.string().nullable().describe('Signed URL of the SVG poster'),
  thumbnail_url: z.string().nullable().describe('Signed URL of the raster thumbnail'),
  thumbnail_width: z.int().nullable(),
  thumbnail_height: z.int().nullable(),
  clip: z.object({
    status: z
      .enum(['pending', 'ready', 'failed'])
      .describe('The low-resolution clip comes from the render farm'),
    url: z.string().nullable(),
    duration_seconds: z.number().nullable(),
  }),
});

export const fieldSchema = z.object({
  path: z.string().describe('`brand` (template-wide) or `intro.title` (scene-scoped)'),
  scope: z.enum(['template', 'scene']),
  scene_id: z.string().nullable(),
  type: z.string(),
  label: localizedOrNull,
  help: localizedOrNull,
  optional: z.boolean(),
  definition: z.record(z.string(), z.unknown()).describe('The full field definition from the document'),
});

export const sceneSummarySchema = z.object({
  id: z.string(),
  title: localizedOrNull,
  block: z.string().describe('Scene block id, or `layers`'),
  duration: z.object({ default: z.number(), min: z.number(), max: z.number() }),
});

export const templateSummarySchema = z.object({
  id: z.uuid(),
  slug: slugSchema,
  visibility: z.enum(['public', 'tenant']).describe('`public`: the platform catalogue; `tenant`: your own'),
  status: z.enum(['draft', 'published', 'unpublished']),
  version: z.int().nullable().describe('Current published version; null when none is live'),
  title: localizedOrNull,
  description: localizedOrNull,
  category: z.string().nullable(),
  tags: z.array(z.string()),
  aspects: z.array(aspectRatioSchema),
  mode: z.enum(['fixed', 'flexible']).nullable(),
  duration_seconds: z.number().nullable().describe('Length with every default, transitions included'),
  field_count: z.int(),
  published_at: isoTime.nullable(),
  previews: z.array(previewSchema),
});

export const catalogueQuery = z.strictObject({
  q: z.string().max(200).optional().describe('Words to find in titles, descriptions and tags (fa or en)'),
  category: z.string().max(40).optional(),
  tag: z.string().max(40).optional(),
  aspect: aspectRatioSchema.optional(),
  mode: z.enum(['fixed', 'flexible']).optional(),
  visibility: z
    .enum(['public', 'tenant'])
    .optional()
    .describe('Only the platform catalogue, or only your own'),
  status: z
    .enum(['published', 'any'])
    .default('published')
    .describe('`any` adds your drafts and withdrawn templates (platform ones stay published only)'),
  sort: z.enum(CATALOGUE_SORTS).default('newest'),
  locale: z
    .enum(['fa', 'en'])
    .optional()
    .describe('Language of the title sort; default your locale, else fa'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const catalogueResponse = z.object({
  items: z.array(templateSummarySchema),
  page: z.int(),
  limit: z.int(),
  total: z.int(),
});

export const versionSummarySchema = z.object({
  version: z.int(),
  content_hash: sha256Schema,
  published_at: isoTime,
  withdrawn_at: isoTime.nullable(),
});

export const versionDetailSchema = z.object({
  template_id: z.uuid(),
  slug: slugSchema,
  visibility: z.enum(['public', 'tenant']),
  version: z.int(),
  withdrawn_at: isoTime.nullable(),
  engine: z.int(),
  mode: z.enum(['fixed', 'flexible']),
  fps: z.int(),
  locales: z.array(z.enum(['fa', 'en'])),
  title: localizedTextSchema,
  description: localizedOrNull,
  category: z.string().nullable(),
  tags: z.array(z.string()),
  aspects: z.array(aspectRatioSchema),
  duration_seconds: z.number(),
  fields: z.array(fieldSchema),
  scenes: z.array(sceneSummarySchema),
  fonts: z.array(fontRefSchema),
  content_hash: sha256Schema,
  size_bytes: z.int(),
  document_url: z.string().describe('The document itself (`GET .../document`)'),
  published_at: isoTime,
  previews: z.array(previewSchema),
});

export const templateDetailSchema = z.object({
  id: z.uuid(),
  slug: slugSchema,
  visibility: z.enum(['public', 'tenant']),
  status: z.enum(['draft', 'published', 'unpublished']),
  current: versionDetailSchema.nullable().describe('The current published version'),
  versions: z.array(versionSummarySchema),
  draft: z
    .object({
      updated_at: isoTime,
      has_unpublished_changes: z.boolean(),
    })
    .nullable()
    .describe('Your working copy (your own templates only)'),
  created_at: isoTime,
});

export const documentBody = z.strictObject({
  document: z.record(z.string(), z.unknown()).describe('A template document (see GET /v1/templates/schema)'),
});

export const draftResponse = z.object({
  id: z.uuid(),
  slug: slugSchema,
  status: z.enum(['draft', 'published', 'unpublished']),
  draft_updated_at: isoTime,
  document: z.record(z.string(), z.unknown()),
  validation: z
    .object({ ok: z.boolean(), errors: z.array(problemSchema), warnings: z.array(problemSchema) })
    .describe('What publishing would say about this draft now'),
});

export const publishResponse = z.object({
  template_id: z.uuid(),
  version: z.int(),
  content_hash: sha256Schema,
  document_key: blobKeySchema,
  published_at: isoTime,
  warnings: z.array(problemSchema),
});

export const unpublishBody = z.strictObject({
  versions: z
    .array(z.int().min(1))
    .min(1)
    .max(1000)
    .optional()
    .describe('Versions to withdraw; default every live one'),
});
export const adminUnpublishBody = unpublishBody.extend({
  reason: z.enum(['admin', 'policy']).default('admin'),
});

export const unpublishResponse = z.object({
  template_id: z.uuid(),
  withdrawn: z.array(z.int()),
  current_version: z.int().nullable(),
});

export const validateBody = z.union([
  z.strictObject({
    document: z.record(z.string(), z.unknown()).describe('A template document to check as publishing would'),
  }),
  z.strictObject({
    template_id: z.uuid(),
    version: z.int().min(1),
    values: z
      .object({
        fields: z.record(z.string(), z.unknown()).optional(),
        durations: z.record(z.string(), z.number()).optional(),
        scenes: z.array(z.object({ id: z.string(), block: z.string().optional() })).optional(),
      })
      .describe(
        'Project values: field values by path, scene durations, the scene list of a flexible template',
      ),
    locale: z.enum(['fa', 'en']).optional(),
    aspect: aspectRatioSchema.optional().describe('Check one aspect; default every aspect of the version'),
  }),
]);

export const validateResponse = z.object({
  ok: z.boolean(),
  errors: z.array(problemSchema),
  warnings: z.array(problemSchema),
});

export const fontSchema = z.object({
  id: z.uuid(),
  family: z.string(),
  weight: z.int(),
  style: z.enum(['normal', 'italic']),
  format: z.enum(['ttf', 'otf', 'woff2']),
  visibility: z.enum(['platform', 'tenant']),
  css_family: z
    .string()
    .nullable()
    .describe('Family alias the engine draws with ("Vazirmatn 800"); null for italics'),
  scripts: z.array(z.enum(['arabic', 'latin', 'digits'])),
  coverage: z.object({
    arabic: z.boolean(),
    persian: z.boolean().describe('Every Persian letter, پ چ ژ گ ک ی included'),
    persian_digits: z.boolean(),
    latin: z.boolean(),
    missing_persian: z.array(z.string()),
  }),
  content_hash: sha256Schema,
  size_bytes: z.int(),
  url: z.string().describe('The file, for @font-face'),
  installed_at: isoTime,
});

export const fontListResponse = z.object({ items: z.array(fontSchema) });

export const internalVersionSchema = z.object({
  template_id: z.uuid(),
  tenant_id: z.uuid().describe('Owner; the nil uuid for the platform catalogue'),
  slug: slugSchema,
  version: z.int(),
  title: localizedTextSchema,
  visibility: z.enum(['public', 'tenant']),
  engine: z.int(),
  mode: z.enum(['fixed', 'flexible']),
  fps: z.int(),
  aspects: z.array(aspectRatioSchema),
  document_key: blobKeySchema,
  content_hash: sha256Schema,
  size_bytes: z.int(),
  fonts: z.array(fontRefSchema),
  assets: z.array(assetRefSchema),
  published_at: isoTime,
  withdrawn_at: isoTime.nullable(),
  document: z.record(z.string(), z.unknown()),
});

export const clipBody = z.strictObject({
  blob_key: blobKeySchema,
  content_hash: sha256Schema,
  size_bytes: z.int().min(1),
  mime: z.enum(['video/mp4', 'video/webm', 'image/gif']),
  width: z.int().min(1),
  height: z.int().min(1),
  duration_seconds: z.number().positive(),
});

export const pendingClipsResponse = z.object({
  items: z.array(
    z.object({
      template_id: z.uuid(),
      version: z.int(),
      aspect: aspectRatioSchema,
      tenant_id: z.uuid(),
      document_key: blobKeySchema,
      content_hash: sha256Schema,
      requested_at: isoTime,
    }),
  ),
});

export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  422: errorBodySchema,
} as const;
