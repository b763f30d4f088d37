import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from '../template/template.schema';
import { parseTemplate } from '../template/template.validate';

export const DEMO_TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

export interface DemoTemplate {
  id: string;
  /** The document as authored (what a content service stores). */
  document: unknown;
  /** The parsed document (defaults filled in). */
  template: Template;
}

/** The demo templates shipped with the engine (seeded by `npm start`). */
export function demoTemplates(): DemoTemplate[] {
  return readdirSync(DEMO_TEMPLATE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const document = JSON.parse(readFileSync(join(DEMO_TEMPLATE_DIR, file), 'utf8')) as unknown;
      const template = parseTemplate(document);
      return { id: template.id, document, template };
    });
}
