import { z } from 'zod';

/** Body of every non-2xx answer of the public API (`/v1`). */
export const errorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z
        .string()
        .regex(/^[a-z][a-z0-9_]*$/, 'snake_case code')
        .max(64)
        .describe('Stable machine-readable code (`validation_failed`, `not_found`, `insufficient_quota`)'),
      message: z.string().min(1).max(2000).describe("Human-readable explanation in the request's language"),
      field: z.string().min(1).max(200).optional().describe('Input field the error is about (dotted path)'),
      details: z.unknown().optional().describe('Extra structured information (validation issues, limits)'),
    }),
  })
  .describe('Error answer of the FlatRender API');
export type ErrorBody = z.infer<typeof errorBodySchema>;
