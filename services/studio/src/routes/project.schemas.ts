import {
  aspectRatioSchema,
  fieldPathSchema,
  fieldValueSchema,
  imageFormatSchema,
  localeSchema,
  localizedTextSchema,
} from '@flatrender/contracts';
import { z } from 'zod';

/* The REST shapes of the studio service (they feed the OpenAPI document). */

export const projectParams = z.strictObject({ id: z.uuid().describe('Project id') });

const isoTime = z.string().describe('ISO 8601 time');
const sceneId = z.string().min(1).max(48).describe('Scene id in the project');

/** Scene ids become the first part of field paths (`<scene>.<field>`), hence the name rule. */
const newSceneId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,47}$/, 'must start with a letter and use only letters, digits, "_" or "-"')
  .describe('Id of the new scene (default: "<block>-<n>")');

export const sceneEditSchema = z
  .discriminatedUnion('op', [
    z.strictObject({
      op: z.literal('add'),
      block: z.string().min(1).max(48).describe('A block of the template’s allowedBlocks'),
      at: z.int().min(0).optional().describe('Position (default: the end)'),
      id: newSceneId.optional(),
    }),
    z.strictObject({ op: z.literal('remove'), scene: sceneId }),
    z.strictObject({ op: z.literal('move'), scene: sceneId, to: z.int().min(0).describe('New position') }),
    z.strictObject({
      op: z.literal('duration'),
      scene: sceneId,
      seconds: z.number().positive().max(600).describe('Within the scene’s bounds'),
    }),
  ])
  .describe('A change to the scene list (add, remove, move: flexible templates only) or a scene length');

const sceneEdits = z.array(sceneEditSchema).max(50);

export const createProjectBody = z.strictObject({
  template_id: z.uuid().describe('Template to customise'),
  version: z.int().min(1).optional().describe('Version to pin (default: the newest published)'),
  name: z.string().trim().min(1).max(200).optional().describe('Default: the template title'),
  aspect: aspectRatioSchema.optional().describe('Default: the template’s first aspect'),
  locale: localeSchema
    .optional()
    .describe('Language of the project (default: yours, if the template has it)'),
  fields: z.record(fieldPathSchema, fieldValueSchema).optional().describe('Initial field values'),
  scene_edits: sceneEdits.optional(),
});

export const saveProjectBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    aspect: aspectRatioSchema.optional(),
    locale: localeSchema.optional(),
    fields: z
      .record(fieldPathSchema, fieldValueSchema.nullable())
      .optional()
      .describe('Changed field values by path; null puts a field back to its default'),
    scene_edits: sceneEdits
      .optional()
      .describe('Applied before `fields`, so a new scene can be filled at once'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'nothing to change: send name, aspect, locale, fields or scene_edits',
  });

export const duplicateBody = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional().describe('Default: "<name> (copy)"') })
  .nullish();

export const upgradeBody = z
  .strictObject({ version: z.int().min(1).optional().describe('Default: the newest published version') })
  .nullish();

export const ifMatchHeaders = z.looseObject({
  'if-match': z.string().max(40).optional().describe('The ETag (revision) the change was made on'),
});

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
  q: z.string().max(200).optional().describe('Search in project names (Persian letter forms folded)'),
});

export const projectSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    template: z.object({
      template_id: z.uuid(),
      version: z.int().describe('Pinned version: republishing the template never changes this project'),
      slug: z.string(),
      title: localizedTextSchema,
      latest_version: z.int().nullable().describe('Newest published version (upgrade when newer)'),
    }),
    aspect: aspectRatioSchema,
    locale: localeSchema,
    values: z.object({
      fields: z
        .record(z.string(), z.unknown())
        .describe('Values that differ from the defaults, by field path'),
      durations: z.record(z.string(), z.number()).describe('Scene lengths that differ from the defaults'),
      scenes: z
        .array(z.object({ id: z.string(), block: z.string().optional() }))
        .nullable()
        .describe(
          'Scene order of a flexible template (entries with `block` were added); null = the template’s',
        ),
    }),
    revision: z.int().describe('Grows by one per save; the ETag'),
    created_by: z.uuid(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .meta({ title: 'Project' });

export const projectPage = z.object({
  items: z.array(projectSchema),
  next_cursor: z.string().nullable(),
});

const problem = z.object({
  code: z.string(),
  path: z.string().describe('Field path (`intro.title`, `slides[1].image`) or body path (`scene_edits[0]`)'),
  message: z.string(),
  field: z.string().optional().describe('The field to show the problem on'),
});

export const upgradeResponse = z.object({
  project: projectSchema,
  dropped: z.array(problem.extend({ value: z.unknown() })).describe('Values the new version refused'),
});

const checkIssue = problem.extend({
  aspect: aspectRatioSchema.optional().describe('The aspect the problem occurs at, when only some'),
});

export const checksQuery = z.strictObject({
  aspect: aspectRatioSchema.optional().describe('Check one aspect (default: every aspect of the template)'),
});

export const checksResponse = z
  .object({
    project_id: z.uuid(),
    revision: z.int(),
    ok: z.boolean().describe('No errors: a render would come out as designed'),
    errors: z.array(checkIssue),
    warnings: z.array(checkIssue),
  })
  .meta({ title: 'ProjectChecks' });

export const snapshotBody = z.strictObject({
  time: z.number().min(0).max(600).describe('Second of the timeline to picture'),
  aspect: aspectRatioSchema.optional().describe('Default: the project’s aspect'),
  format: imageFormatSchema.optional().describe('Default: png'),
});

export const snapshotSchema = z
  .object({
    snapshot_id: z.uuid(),
    project_id: z.uuid(),
    project_revision: z.int(),
    status: z.literal('requested').describe('Poll `links.self` (the render service) for the image'),
    aspect: aspectRatioSchema,
    time_seconds: z.number(),
    format: imageFormatSchema,
    width: z.int(),
    height: z.int(),
    requested_at: isoTime,
    links: z.object({ self: z.string() }),
  })
  .meta({ title: 'SnapshotRequest' });

export const snapshotListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
