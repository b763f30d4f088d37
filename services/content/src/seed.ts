import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PLATFORM_TENANT_ID, SYSTEM_USER_ID } from '@flatrender/contracts';
import { bundledFontFiles, demoTemplates } from '@flatrender/engine/node';
import type { Logger, ScopedDatabase } from '@flatrender/platform';
import type { ContentTables } from './content.tables';
import type { Access } from './content-access';
import { canonicalJson, sha256Hex } from './domain/canonical-json';
import type { FontService } from './font.service';
import { findTemplateBySlug, highestVersion } from './template.repository';
import type { TemplateService } from './template.service';

const SEED: Access = { kind: 'admin', userId: SYSTEM_USER_ID };

export interface SeedDeps {
  db: ScopedDatabase<ContentTables>;
  templates: TemplateService;
  fonts: FontService;
  logger: Logger;
}

export interface SeedReport {
  fontsInstalled: number;
  templatesPublished: string[];
}

/**
 * Demo and reference content, idempotently: every Vazirmatn weight from the `vazirmatn` package as a
 * platform font, then every engine demo template published in the platform catalogue. A second run
 * changes nothing. A demo template whose document changed (a newer engine package) is published as
 * its next version, unless an administrator published that template since the seed did.
 */
export async function seedContent(deps: SeedDeps): Promise<SeedReport> {
  const report: SeedReport = { fontsInstalled: 0, templatesPublished: [] };
  for (const file of bundledFontFiles()) {
    const { created } = await deps.fonts.install(SEED, await readFile(file.path), {
      fileName: basename(file.path),
    });
    if (created) report.fontsInstalled += 1;
  }

  const failures: string[] = [];
  for (const demo of demoTemplates()) {
    const document = demo.document as Record<string, unknown>;
    const { version: _version, ...source } = document;
    const wanted = sha256Hex(canonicalJson(source));
    try {
      const existing = await deps.db.asSystem(async (tx) => {
        const row = await findTemplateBySlug(tx, PLATFORM_TENANT_ID, demo.id);
        return row ? { row, highest: await highestVersion(tx, row.id) } : undefined;
      });
      if (existing?.highest && existing.highest.source_hash === wanted) continue;
      if (existing?.highest && existing.highest.published_by !== SYSTEM_USER_ID) continue;
      const id = existing
        ? (await deps.templates.saveDraft(SEED, existing.row.id, document)).id
        : (await deps.templates.createDraft(SEED, document)).id;
      await deps.templates.publish(SEED, id);
      report.templatesPublished.push(demo.id);
    } catch (error) {
      deps.logger.error({ err: error, template: demo.id }, 'demo template not seeded');
      failures.push(`${demo.id}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0)
    throw new Error(`content seed: ${failures.length} demo templates failed:\n  ${failures.join('\n  ')}`);
  return report;
}
