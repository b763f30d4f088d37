/*
 * Writes packages/engine/schema/template.schema.json from the zod template schema, and the block
 * reference section of docs/templates.md from the block definitions.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBlockReference } from '../src/blocks/block-reference.docs';
import { ENGINE_GENERATION } from '../src/render/generation';
import { templateJsonSchemaText } from '../src/template/template.json-schema';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = join(root, 'schema', 'template.schema.json');
writeFileSync(schemaFile, templateJsonSchemaText());
// Formatted like every other file in the repository, so `biome check .` stays clean.
const biome = spawnSync('npx', ['biome', 'format', '--write', schemaFile], { stdio: 'inherit' });
if (biome.status !== 0) process.exit(biome.status ?? 1);
console.log(`wrote ${schemaFile}`);

const docsFile = join(root, '..', '..', 'docs', 'templates.md');
writeFileSync(docsFile, withBlockReference(readFileSync(docsFile, 'utf8'), ENGINE_GENERATION));
console.log(`updated the block reference in ${docsFile}`);
