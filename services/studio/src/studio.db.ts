import type { AspectRatio, ImageFormat } from '@flatrender/contracts';
import type { Tx } from '@flatrender/platform';
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb columns are written as JSON text (so arrays are not taken for PostgreSQL arrays) and read parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface FontFaceRef {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  content_hash: string;
  blob_key: string;
}

export interface TemplateVersionTable {
  template_id: string;
  version: number;
  tenant_id: string | null;
  slug: string;
  title: Json<{ fa: string; en: string }>;
  engine: number;
  mode: 'fixed' | 'flexible';
  aspects: Json<string[]>;
  document_key: string;
  content_hash: string;
  fonts: Json<FontFaceRef[]>;
  published_at: Timestamp;
  withdrawn_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SceneEntryRow {
  id: string;
  block?: string;
}

export interface ProjectTable {
  id: string;
  tenant_id: string;
  created_by: string;
  name: string;
  name_search: string;
  template_id: string;
  template_version: number;
  aspect: AspectRatio;
  locale: 'fa' | 'en';
  fields: Json<Record<string, unknown>>;
  durations: Json<Record<string, number>>;
  scenes: ColumnType<SceneEntryRow[] | null, string | null, string | null>;
  revision: number;
  touched: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SnapshotTable {
  id: string;
  tenant_id: string;
  project_id: string;
  project_revision: number;
  aspect: AspectRatio;
  time_seconds: number;
  format: ImageFormat;
  width: number;
  height: number;
  requested_by: string;
  requested_at: Generated<Date>;
}

export interface StudioDb {
  template_version: TemplateVersionTable;
  project: ProjectTable;
  snapshot: SnapshotTable;
}

export type StudioTx = Tx<StudioDb>;
