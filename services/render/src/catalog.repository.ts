import type { FontRef } from './domain/job-spec';
import type { AssetRef, FontFaceRow, RenderTx, TemplateVersionRow } from './render.db';

export interface NewTemplateVersion {
  template_id: string;
  version: number;
  tenant_id: string | null;
  slug: string;
  engine: number;
  fps: number;
  aspects: string[];
  document_key: string;
  content_hash: string;
  fonts: FontRef[];
  assets: AssetRef[];
  published_at: string;
}

/** Template versions and font faces as content announced them (written by consumers only). */
export class CatalogRepository {
  async recordVersion(tx: RenderTx, v: NewTemplateVersion): Promise<void> {
    await tx
      .insertInto('template_version')
      .values({
        ...v,
        aspects: JSON.stringify(v.aspects),
        fonts: JSON.stringify(v.fonts),
        assets: JSON.stringify(v.assets),
      })
      .onConflict((oc) => oc.columns(['template_id', 'version']).doNothing())
      .execute();
  }

  /** Marks versions withdrawn; a withdrawal never comes back (a new version is published instead). */
  async withdraw(tx: RenderTx, templateId: string, versions: number[], at: string): Promise<void> {
    await tx
      .updateTable('template_version')
      .set({ withdrawn_at: at })
      .where('template_id', '=', templateId)
      .where('version', 'in', versions)
      .where('withdrawn_at', 'is', null)
      .execute();
  }

  /** A version the transaction's tenant may render (platform or its own), withdrawn or not. */
  findVersion(tx: RenderTx, templateId: string, version: number): Promise<TemplateVersionRow | undefined> {
    return tx
      .selectFrom('template_version')
      .selectAll()
      .where('template_id', '=', templateId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** The newest live version the transaction's tenant may render. */
  latestVersion(tx: RenderTx, templateId: string): Promise<TemplateVersionRow | undefined> {
    return tx
      .selectFrom('template_version')
      .selectAll()
      .where('template_id', '=', templateId)
      .where('withdrawn_at', 'is', null)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async recordFont(
    tx: RenderTx,
    font: { font_id: string; tenant_id: string | null; installed_at: string } & FontRef,
  ): Promise<void> {
    await tx
      .insertInto('font_face')
      .values({
        font_id: font.font_id,
        tenant_id: font.tenant_id,
        family: font.family,
        weight: font.weight,
        style: font.style,
        content_hash: font.content_hash,
        blob_key: font.blob_key,
        installed_at: font.installed_at,
      })
      .onConflict((oc) => oc.column('font_id').doNothing())
      .execute();
  }

  /** Faces of `family` visible to the transaction's tenant (its own first). */
  findFonts(tx: RenderTx, family: string): Promise<FontFaceRow[]> {
    return tx
      .selectFrom('font_face')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['family']), '=', family.toLowerCase()))
      .orderBy('tenant_id', 'desc')
      .execute();
  }
}
