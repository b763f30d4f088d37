import type { Selectable } from 'kysely';
import type { FontFaceRef, StudioTx, TemplateVersionTable } from './studio.db';

export type TemplateVersionRow = Selectable<TemplateVersionTable>;

export interface NewTemplateVersion {
  template_id: string;
  version: number;
  tenant_id: string | null;
  slug: string;
  title: { fa: string; en: string };
  engine: number;
  mode: 'fixed' | 'flexible';
  aspects: string[];
  document_key: string;
  content_hash: string;
  fonts: FontFaceRef[];
  published_at: string;
}

/** Template versions studio has learnt of (content.template.published.v1). Versions never change. */
export class TemplateVersionRepository {
  /** Records a published version; true when it was new (a redelivered event changes nothing). */
  async record(tx: StudioTx, v: NewTemplateVersion): Promise<boolean> {
    const inserted = await tx
      .insertInto('template_version')
      .values({
        ...v,
        title: JSON.stringify(v.title),
        aspects: JSON.stringify(v.aspects),
        fonts: JSON.stringify(v.fonts),
      })
      .onConflict((oc) => oc.columns(['template_id', 'version']).doNothing())
      .returning('version')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Marks versions withdrawn; projects keep their pin, new projects cannot choose them. */
  async withdraw(tx: StudioTx, templateId: string, versions: readonly number[], at: string): Promise<number> {
    if (versions.length === 0) return 0;
    const result = await tx
      .updateTable('template_version')
      .set({ withdrawn_at: at })
      .where('template_id', '=', templateId)
      .where('version', 'in', [...versions])
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** A version visible in the transaction's scope (platform templates and the tenant's own). */
  find(tx: StudioTx, templateId: string, version: number): Promise<TemplateVersionRow | undefined> {
    return tx
      .selectFrom('template_version')
      .selectAll()
      .where('template_id', '=', templateId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** The newest version not withdrawn, visible in the transaction's scope. */
  latest(tx: StudioTx, templateId: string): Promise<TemplateVersionRow | undefined> {
    return tx
      .selectFrom('template_version')
      .selectAll()
      .where('template_id', '=', templateId)
      .where('withdrawn_at', 'is', null)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}
