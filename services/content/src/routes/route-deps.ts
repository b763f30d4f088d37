import type { ScopedDatabase, ServiceContext } from '@flatrender/platform';
import type { ContentConfig } from '../content.config';
import type { ContentTables } from '../content.tables';
import type { FontService } from '../font.service';
import type { FontFiles } from '../font-files';
import type { TemplateService } from '../template.service';
import type { TemplateDocuments } from '../template-documents';
import type { TemplatePresenter } from './template.presenter';

/** What the content routes are built from (assembled once in src/index.ts). */
export interface ContentRouteDeps {
  ctx: ServiceContext;
  config: ContentConfig;
  db: ScopedDatabase<ContentTables>;
  service: TemplateService;
  fontService: FontService;
  presenter: TemplatePresenter;
  documents: TemplateDocuments;
  fonts: FontFiles;
  templateSchemaJson: Record<string, unknown>;
}
