/* Writes packages/engine/schema/template.schema.json from the zod template schema. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { templateJsonSchemaText } from '../src/template/template.json-schema';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'template.schema.json');
writeFileSync(file, templateJsonSchemaText());
// Formatted like every other file in the repository, so `biome check .` stays clean.
const biome = spawnSync('npx', ['biome', 'format', '--write', file], { stdio: 'inherit' });
if (biome.status !== 0) process.exit(biome.status ?? 1);
console.log(`wrote ${file}`);
