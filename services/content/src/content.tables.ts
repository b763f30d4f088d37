import type { ColumnType, Generated } from 'kysely';
import type { FontCoverage, FontStyle, ServedFontFormat } from './domain/font-inspection';
import type { FieldSummary, SceneSummary } from './domain/template-metadata';

/** The tables of the `content` schema (migrations/0001_content.sql), as Kysely sees them. */
export interface ContentTables {
  template: TemplateTable;
  template_version: TemplateVersionTable;
  template_preview: TemplatePreviewTable;
  font_face: FontFaceTable;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type TemplateStatus = 'draft' | 'published' | 'unpublished';

export interface TemplateTable {
  id: Generated<string>;
  tenant_id: string;
  slug: string;
  status: ColumnType<TemplateStatus, TemplateStatus | undefined, TemplateStatus>;
  draft: Json<Record<string, unknown>>;
  draft_updated_at: Timestamp;
  current_version: number | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FontRefRow {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  content_hash: string;
  blob_key: string;
}

export interface AssetRefRow {
  content_hash: string;
  blob_key: string;
  mime: string;
}

export interface TemplateVersionTable {
  template_id: string;
  version: number;
  tenant_id: string;
  slug: string;
  engine: number;
  mode: 'fixed' | 'flexible';
  fps: number;
  locales: string[];
  title_fa: string;
  title_en: string;
  description_fa: string | null;
  description_en: string | null;
  category: string | null;
  tags: string[];
  aspects: string[];
  duration_seconds: number;
  fields: Json<FieldSummary[]>;
  scenes: Json<SceneSummary[]>;
  fonts: Json<FontRefRow[]>;
  assets: Json<AssetRefRow[]>;
  search_text: string;
  document_key: string;
  content_hash: string;
  size_bytes: number;
  source_hash: string;
  published_by: string;
  published_at: Timestamp;
  withdrawn_at: Date | null;
}

export type StillStatus = 'pending' | 'ready' | 'failed';

export interface TemplatePreviewTable {
  template_id: string;
  version: number;
  aspect: string;
  tenant_id: string;
  still_status: ColumnType<StillStatus, StillStatus | undefined, StillStatus>;
  still_attempts: ColumnType<number, number | undefined, number>;
  still_claimed_until: Date | null;
  still_error: string | null;
  width: number | null;
  height: number | null;
  svg_key: string | null;
  svg_hash: string | null;
  svg_size: number | null;
  thumb_key: string | null;
  thumb_hash: string | null;
  thumb_size: number | null;
  thumb_mime: string | null;
  thumb_width: number | null;
  thumb_height: number | null;
  clip_status: ColumnType<StillStatus, StillStatus | undefined, StillStatus>;
  clip_key: string | null;
  clip_hash: string | null;
  clip_size: number | null;
  clip_mime: string | null;
  clip_width: number | null;
  clip_height: number | null;
  clip_duration_seconds: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FontFaceTable {
  id: Generated<string>;
  tenant_id: string;
  family: string;
  weight: number;
  style: FontStyle;
  format: ServedFontFormat;
  content_hash: string;
  blob_key: string;
  size_bytes: number;
  scripts: string[];
  coverage: Json<FontCoverage>;
  codepoint_ranges: Json<[number, number][]>;
  postscript_name: string | null;
  full_name: string | null;
  font_version: string | null;
  installed_by: string;
  installed_at: Timestamp;
}
