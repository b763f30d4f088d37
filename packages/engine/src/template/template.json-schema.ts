import { z } from 'zod';
import { templateSchema } from './template.schema';

export const TEMPLATE_SCHEMA_ID = 'https://flatrender.dev/schema/template.schema.json';

/**
 * The published JSON Schema of template documents, generated from the zod schema (the source of
 * truth). It describes what an author writes, so defaulted properties are optional. References
 * between parts of a document (bindings, block props) are checked by validateTemplate only.
 */
export function templateJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(templateSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { $id: TEMPLATE_SCHEMA_ID, title: 'FlatRender template', ...schema };
}

/** The schema file's exact text (stable key order, trailing newline). */
export function templateJsonSchemaText(): string {
  return `${JSON.stringify(templateJsonSchema(), null, 2)}\n`;
}
