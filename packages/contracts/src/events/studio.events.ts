import { z } from 'zod';
import { defineMessage } from '../catalog';
import {
  aspectRatioSchema,
  fieldValuesSchema,
  localeSchema,
  sceneSchema,
  templateRefSchema,
  timestampSchema,
  uuidSchema,
} from '../common.schemas';

export const STUDIO_EVENTS = {
  'studio.project.saved.v1': defineMessage({
    key: 'studio.project.saved.v1',
    kind: 'event',
    producers: ['studio'],
    consumers: ['file'],
    description:
      "A project (a user's customisation of a template) was created or changed; file marks the uploads it uses as referenced (never cleaned up as orphans). Render reads a project from studio when a render of it is asked for.",
    data: z.strictObject({
      project_id: uuidSchema.describe('Project id'),
      revision: z
        .int()
        .min(1)
        .describe('Grows by one per save; consumers ignore a revision older than the one they hold'),
      name: z.string().min(1).max(200).describe('Name given by the user'),
      template: templateRefSchema.describe('Template version the project customises'),
      aspect: aspectRatioSchema.describe('Aspect ratio chosen in the studio'),
      locale: localeSchema
        .optional()
        .describe('Language the project is made in (chooses text defaults and digits)'),
      values: fieldValuesSchema.describe(
        'Field values that differ from the template defaults, by field path (`brand`, `intro.title`)',
      ),
      file_ids: z.array(uuidSchema).describe('Uploaded files the values reference (images, logos)'),
      scenes: z
        .array(sceneSchema)
        .min(1)
        .nullable()
        .describe(
          "The project's scene list with durations when it differs from the template's (order, added scenes, durations); null = the template's own",
        ),
      saved_at: timestampSchema.describe('When this revision was saved'),
    }),
  }),
  'studio.project.deleted.v1': defineMessage({
    key: 'studio.project.deleted.v1',
    kind: 'event',
    producers: ['studio'],
    consumers: [],
    description:
      'A project was deleted (finished outputs stay); render refuses new renders of it since studio no longer has it. No service consumes it today; it is there for integrations.',
    data: z.strictObject({
      project_id: uuidSchema.describe('Project id'),
      last_revision: z.int().min(1).describe('Revision the project had when deleted'),
      deleted_at: timestampSchema.describe('When it was deleted'),
    }),
  }),
} as const;
