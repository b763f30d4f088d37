// Regenerates the catalog documents from the contracts: `npm run generate:contracts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASYNCAPI_PATH, renderAsyncApiYaml } from '../src/docs/asyncapi.generator';
import { EVENTS_MD_PATH, renderEventsMarkdown } from '../src/docs/events-md.generator';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

for (const [path, text] of [
  [EVENTS_MD_PATH, renderEventsMarkdown()],
  [ASYNCAPI_PATH, renderAsyncApiYaml()],
] as const) {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${path} (${Buffer.byteLength(text)} bytes)`);
}
