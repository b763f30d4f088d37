/*
 * The shapes of the gateway's answers the web app reads (see each service's docs/services/*.md and
 * the OpenAPI at /docs/openapi.json). Only what the pages use is typed.
 */
import type { Locale } from '@/i18n/locale';

export type Aspect = '16:9' | '9:16' | '1:1' | '4:5';
export type LocalizedText = { fa: string; en: string };
export type LocalizedOrNull = { fa: string | null; en: string | null } | null;

export interface User {
  id: string;
  email: string;
  display_name: string;
  locale: Locale;
  email_verified: boolean;
  platform_admin: boolean;
  created_at: string;
}

export interface Tenant {
  id: string;
  name: string;
  slug: string;
  kind: 'personal' | 'organization';
  role: 'owner' | 'admin' | 'editor' | 'viewer';
  suspended: boolean;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  user: User;
  tenant: Tenant;
}

export interface Me {
  user: User;
  tenant: Tenant;
  scopes: string[];
  tenants: Array<Tenant & { current: boolean }>;
}

export interface Preview {
  aspect: Aspect;
  status: 'pending' | 'ready' | 'failed';
  width: number | null;
  height: number | null;
  svg_url: string | null;
  thumbnail_url: string | null;
  thumbnail_width: number | null;
  thumbnail_height: number | null;
  clip: { status: 'pending' | 'ready' | 'failed'; url: string | null; duration_seconds: number | null };
}

export interface TemplateSummary {
  id: string;
  slug: string;
  visibility: 'public' | 'tenant';
  status: 'draft' | 'published' | 'unpublished';
  version: number | null;
  title: LocalizedOrNull;
  description: LocalizedOrNull;
  category: string | null;
  tags: string[];
  aspects: Aspect[];
  mode: 'fixed' | 'flexible' | null;
  duration_seconds: number | null;
  field_count: number;
  published_at: string | null;
  previews: Preview[];
}

export interface Catalogue {
  items: TemplateSummary[];
  page: number;
  limit: number;
  total: number;
}

export interface TemplateField {
  path: string;
  scope: 'template' | 'scene';
  scene_id: string | null;
  type: string;
  label: LocalizedOrNull;
  help: LocalizedOrNull;
  optional: boolean;
  definition: Record<string, unknown>;
}

export interface TemplateVersion {
  template_id: string;
  slug: string;
  visibility: 'public' | 'tenant';
  version: number;
  withdrawn_at: string | null;
  engine: number;
  mode: 'fixed' | 'flexible';
  fps: number;
  locales: Locale[];
  title: LocalizedText;
  description: LocalizedOrNull;
  category: string | null;
  tags: string[];
  aspects: Aspect[];
  duration_seconds: number;
  fields: TemplateField[];
  scenes: Array<{
    id: string;
    title: LocalizedOrNull;
    block: string;
    duration: { default: number; min: number; max: number };
  }>;
  fonts: Array<{ family: string; weight: number }>;
  content_hash: string;
  size_bytes: number;
  document_url: string;
  published_at: string;
  previews: Preview[];
}

export interface TemplateDetail {
  id: string;
  slug: string;
  visibility: 'public' | 'tenant';
  status: 'draft' | 'published' | 'unpublished';
  current: TemplateVersion | null;
  versions: Array<{
    version: number;
    content_hash: string;
    published_at: string;
    withdrawn_at: string | null;
  }>;
  created_at: string;
}

export interface FontFaceView {
  id: string;
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  format: string;
  visibility: 'platform' | 'tenant';
  css_family: string | null;
  scripts: string[];
  coverage: Record<string, unknown>;
  content_hash: string;
  size_bytes: number;
  url: string;
  installed_at: string;
}

export interface SceneEntry {
  id: string;
  block?: string;
}

export interface ProjectValues {
  fields: Record<string, unknown>;
  durations: Record<string, number>;
  scenes: SceneEntry[] | null;
}

export interface Project {
  id: string;
  name: string;
  template: {
    template_id: string;
    version: number;
    slug: string;
    title: LocalizedText;
    latest_version: number | null;
  };
  aspect: Aspect;
  locale: Locale;
  values: ProjectValues;
  revision: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ProjectPage {
  items: Project[];
  next_cursor: string | null;
}

export type SceneEdit =
  | { op: 'add'; block: string; at?: number; id?: string }
  | { op: 'remove'; scene: string }
  | { op: 'move'; scene: string; to: number }
  | { op: 'duration'; scene: string; seconds: number };

export interface CheckIssue {
  code: string;
  path: string;
  message: string;
  field?: string;
  aspect?: Aspect;
}

export interface ProjectChecks {
  project_id: string;
  revision: number;
  ok: boolean;
  errors: CheckIssue[];
  warnings: CheckIssue[];
}

export interface SnapshotRequest {
  snapshot_id: string;
  project_id: string;
  project_revision: number;
  status: 'requested';
  time_seconds: number;
  width: number;
  height: number;
  links: { self: string };
}

export interface FileView {
  id: string;
  purpose: string;
  kind: string;
  mime: string;
  original_name: string;
  size_bytes: number;
  total_bytes: number;
  content_hash: string;
  width: number | null;
  height: number | null;
  duration_seconds: number | null;
  variants: Array<{ name: string; mime: string; width: number; height: number; size_bytes: number }>;
  created_at: string;
}
