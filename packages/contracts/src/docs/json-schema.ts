// JSON Schema of the catalog's zod schemas, and its flattening into documentation rows. Both
// generated documents (events.md, asyncapi.yaml) read the schemas only through here.
import { z } from 'zod';

export type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  [key: string]: unknown;
};

// Formats that say all a reader needs; zod's equivalent regexes would only bury the documents.
const SELF_EXPLAINING_FORMATS = new Set(['uuid', 'date-time', 'email']);

/**
 * Draft-07 JSON Schema of a zod schema (AsyncAPI 3.0 schemas are a superset of draft-07). Safe-integer
 * bounds and the regexes behind well-known formats are left out; refinements are not representable
 * and stay documented in field descriptions.
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'throw' }) as JsonSchema;
  delete json.$schema;
  if (json.definitions !== undefined) {
    throw new Error('catalog schemas must not be recursive: generated documents inline every schema');
  }
  return simplify(json);
}

function simplify(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof node.format === 'string' && SELF_EXPLAINING_FORMATS.has(node.format))
      continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    out[key] = simplifyValue(key, value);
  }
  return out;
}

function simplifyValue(key: string, value: unknown): unknown {
  if (key === 'properties' && value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, simplify(v as JsonSchema)]));
  }
  if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
    return value.map((v) => simplify(v as JsonSchema));
  }
  if ((key === 'items' || key === 'additionalProperties' || key === 'propertyNames') && isSchema(value)) {
    return simplify(value);
  }
  return value;
}

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

/** A table of fields; a union at the root (`status = ready | rejected`) gives one table per variant. */
export interface FieldTable {
  /** `status = "ready"` for a root union variant, absent otherwise. */
  variant?: string;
  rows: FieldRow[];
}

export function fieldTables(schema: JsonSchema): FieldTable[] {
  const variants = unionVariants(schema);
  if (variants?.every((v) => v.properties)) {
    return variants.map((v) => ({ variant: variantLabel(v), rows: objectRows(v, '') }));
  }
  return [{ rows: objectRows(schema, '') }];
}

function objectRows(schema: JsonSchema, prefix: string): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    rows.push(...fieldRows(prop, `${prefix}${name}`, required.has(name)));
  }
  return rows;
}

function fieldRows(schema: JsonSchema, path: string, required: boolean): FieldRow[] {
  const rows: FieldRow[] = [
    { path, type: typeText(schema), required, description: schema.description ?? '' },
  ];
  const inner = withoutNull(schema);
  if (inner.properties) rows.push(...objectRows(inner, `${path}.`));
  else if (inner.items && withoutNull(inner.items).properties)
    rows.push(...objectRows(withoutNull(inner.items), `${path}[].`));
  else {
    const variants = unionVariants(inner);
    if (variants?.every((v) => v.properties)) {
      for (const v of variants) rows.push(...objectRows(v, `${path}{${variantLabel(v)}}.`));
    }
  }
  return rows;
}

/** The non-null alternatives of a union, or undefined when the schema is not a union. */
function unionVariants(schema: JsonSchema): JsonSchema[] | undefined {
  const options = schema.oneOf ?? schema.anyOf;
  if (!options) return undefined;
  const nonNull = options.filter((o) => o.type !== 'null');
  return nonNull.length > 1 ? nonNull : undefined;
}

function withoutNull(schema: JsonSchema): JsonSchema {
  const options = schema.oneOf ?? schema.anyOf;
  if (!options) return schema;
  const nonNull = options.filter((o) => o.type !== 'null');
  return nonNull.length === 1 ? (nonNull[0] as JsonSchema) : schema;
}

/** `kind = "blob"`: the property of a union variant that holds a constant. */
function variantLabel(variant: JsonSchema): string {
  const entry = Object.entries(variant.properties ?? {}).find(([, p]) => p.const !== undefined);
  return entry ? `${entry[0]} = ${JSON.stringify(entry[1].const)}` : 'variant';
}

/** A short type for a table cell; a schema with a `title` is named (see `NAMED_SCHEMAS`) unless `expand`. */
export function typeText(schema: JsonSchema, expand = false): string {
  if (typeof schema.title === 'string' && !expand) return schema.title;
  const options = schema.oneOf ?? schema.anyOf;
  const variants = unionVariants(schema);
  if (options && variants?.every((v) => v.properties)) {
    const labels = `object, one of: ${variants.map(variantLabel).join(', ')}`;
    return variants.length === options.length ? labels : `${labels} | null`;
  }
  if (options) return options.map((o) => typeText(o)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  switch (type) {
    case 'string':
      return withConstraints(
        schema.format ? `string (${schema.format})` : 'string',
        stringConstraints(schema),
      );
    case 'integer':
    case 'number':
      return withConstraints(type, numberConstraints(schema));
    case 'array':
      return withConstraints(`array of ${schema.items ? typeText(schema.items) : 'any'}`, [
        schema.minItems !== undefined ? `min ${schema.minItems}` : '',
        schema.maxItems !== undefined ? `max ${schema.maxItems}` : '',
      ]);
    case 'object':
      if (schema.properties) return 'object';
      if (isSchema(schema.additionalProperties)) {
        const names = schema.propertyNames;
        const keys = names?.title
          ? String(names.title)
          : names?.pattern
            ? `key /${names.pattern}/`
            : 'string';
        return `map of ${keys} to ${typeText(schema.additionalProperties)}`;
      }
      return 'object';
    default:
      return type;
  }
}

function stringConstraints(schema: JsonSchema): string[] {
  return [
    schema.pattern ? `/${schema.pattern}/` : '',
    schema.minLength !== undefined && schema.minLength > 0 ? `min ${schema.minLength}` : '',
    schema.maxLength !== undefined ? `max ${schema.maxLength}` : '',
  ];
}

function numberConstraints(schema: JsonSchema): string[] {
  return [
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : '',
    schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : '',
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : '',
    schema.exclusiveMaximum !== undefined ? `< ${schema.exclusiveMaximum}` : '',
  ];
}

function withConstraints(base: string, constraints: string[]): string {
  const list = constraints.filter(Boolean);
  return list.length ? `${base}, ${list.join(', ')}` : base;
}
