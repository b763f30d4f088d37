import type { BlobStore } from '@flatrender/platform';
import type { z } from 'zod';
import { visibilityOf } from '../content-access';
import type { CatalogueRow, PreviewRow, TemplateRow, VersionRow } from '../template.repository';
import type {
  previewSchema,
  templateSummarySchema,
  versionDetailSchema,
  versionSummarySchema,
} from './content.schemas';

/* How templates, versions and previews look in API answers. */

type PreviewView = z.infer<typeof previewSchema>;

export interface PresenterOptions {
  blobs: BlobStore;
  publicUrl: string;
  previewUrlTtlSeconds: number;
}

export class TemplatePresenter {
  constructor(private readonly options: PresenterOptions) {}

  private signed(key: string | null, contentType: string | null): Promise<string | null> {
    if (!key) return Promise.resolve(null);
    return this.options.blobs.signedUrl(key, {
      expiresInSeconds: this.options.previewUrlTtlSeconds,
      ...(contentType ? { contentType } : {}),
    });
  }

  async previews(rows: readonly PreviewRow[]): Promise<PreviewView[]> {
    return Promise.all(
      rows.map(async (p) => {
        const ready = p.still_status === 'ready';
        return {
          aspect: p.aspect as PreviewView['aspect'],
          status: p.still_status,
          width: p.width,
          height: p.height,
          svg_url: ready ? await this.signed(p.svg_key, 'image/svg+xml') : null,
          thumbnail_url: ready ? await this.signed(p.thumb_key, p.thumb_mime) : null,
          thumbnail_width: p.thumb_width,
          thumbnail_height: p.thumb_height,
          clip: {
            status: p.clip_status,
            url: p.clip_status === 'ready' ? await this.signed(p.clip_key, p.clip_mime) : null,
            duration_seconds: p.clip_duration_seconds,
          },
        };
      }),
    );
  }

  async summary(
    row: CatalogueRow,
    previews: readonly PreviewRow[],
  ): Promise<z.infer<typeof templateSummarySchema>> {
    const v = row.version;
    return {
      id: row.id,
      slug: row.slug,
      visibility: visibilityOf(row.tenant_id),
      status: row.status,
      version: v?.version ?? null,
      title: v ? { fa: v.title_fa, en: v.title_en } : null,
      description:
        v?.description_fa && v.description_en ? { fa: v.description_fa, en: v.description_en } : null,
      category: v?.category ?? null,
      tags: v?.tags ?? [],
      aspects: (v?.aspects ?? []) as z.infer<typeof templateSummarySchema>['aspects'],
      mode: v?.mode ?? null,
      duration_seconds: v?.duration_seconds ?? null,
      field_count: v?.fields.length ?? 0,
      published_at: v ? v.published_at.toISOString() : null,
      previews: await this.previews(
        previews.filter((p) => p.template_id === row.id && p.version === v?.version),
      ),
    };
  }

  versionSummary(v: VersionRow): z.infer<typeof versionSummarySchema> {
    return {
      version: v.version,
      content_hash: v.content_hash,
      published_at: v.published_at.toISOString(),
      withdrawn_at: v.withdrawn_at ? v.withdrawn_at.toISOString() : null,
    };
  }

  documentUrl(templateId: string, version: number): string {
    return `${this.options.publicUrl}/v1/templates/${templateId}/versions/${version}/document`;
  }

  async version(
    v: VersionRow,
    previews: readonly PreviewRow[],
  ): Promise<z.infer<typeof versionDetailSchema>> {
    return {
      template_id: v.template_id,
      slug: v.slug,
      visibility: visibilityOf(v.tenant_id),
      version: v.version,
      withdrawn_at: v.withdrawn_at ? v.withdrawn_at.toISOString() : null,
      engine: v.engine,
      mode: v.mode,
      fps: v.fps,
      locales: v.locales as ('fa' | 'en')[],
      title: { fa: v.title_fa, en: v.title_en },
      description:
        v.description_fa && v.description_en ? { fa: v.description_fa, en: v.description_en } : null,
      category: v.category,
      tags: v.tags,
      aspects: v.aspects as z.infer<typeof versionDetailSchema>['aspects'],
      duration_seconds: v.duration_seconds,
      fields: v.fields,
      scenes: v.scenes,
      fonts: v.fonts,
      content_hash: v.content_hash,
      size_bytes: v.size_bytes,
      document_url: this.documentUrl(v.template_id, v.version),
      published_at: v.published_at.toISOString(),
      previews: await this.previews(
        previews.filter((p) => p.template_id === v.template_id && p.version === v.version),
      ),
    };
  }

  draftInfo(row: TemplateRow, highest: VersionRow | undefined, sourceHash: string) {
    return {
      updated_at: row.draft_updated_at.toISOString(),
      has_unpublished_changes:
        !highest || highest.withdrawn_at !== null || highest.source_hash !== sourceHash,
    };
  }
}
