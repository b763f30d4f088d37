import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { templateJsonSchema, templateJsonSchemaText } from '../src/template/template.json-schema';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'template.schema.json');

describe('published JSON Schema', () => {
  it('is current (run `npm run generate:engine-schema` after changing the zod schema)', () => {
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(templateJsonSchemaText()));
  });

  it('describes the document', () => {
    const schema = templateJsonSchema() as {
      $schema: string;
      required: string[];
      properties: Record<string, { description?: string }>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(
      expect.arrayContaining(['id', 'engine', 'mode', 'fps', 'aspects', 'scenes']),
    );
    expect(schema.required).not.toContain('digits');
    expect(schema.properties.engine?.description).toMatch(/generation/);
  });
});

describe('demo templates against the published schema', () => {
  it('validates every demo document with a standard JSON Schema validator', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const { demoTemplates } = await import('../src/node/index');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
    for (const { id, document } of demoTemplates()) {
      const ok = validate(document);
      expect([id, ok ? [] : validate.errors]).toEqual([id, []]);
    }
    // And it rejects what the zod schema rejects at the shape level.
    expect(validate({ id: 'x', engine: 1 })).toBe(false);
  });
});

describe('docs/templates.md', () => {
  it('has a current block reference (run `npm run generate:engine-schema`)', async () => {
    const { withBlockReference } = await import('../src/blocks/block-reference.docs');
    const docs = readFileSync(join(dirname(file), '..', '..', '..', 'docs', 'templates.md'), 'utf8');
    expect(docs).toBe(withBlockReference(docs, 1));
    expect(docs).toContain('### `device-mockup`: Device mockup');
  });

  it('shows an example template that validates', async () => {
    const { validateTemplate } = await import('../src/index');
    const docs = readFileSync(join(dirname(file), '..', '..', '..', 'docs', 'templates.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    expect(validateTemplate(JSON.parse(example!)).errors).toEqual([]);
  });
});
