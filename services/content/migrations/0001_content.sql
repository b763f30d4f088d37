-- Templates, their immutable published versions, their previews, and font faces.
--
-- Platform rows (the public catalogue, platform fonts) belong to the nil tenant
-- '00000000-0000-0000-0000-000000000000' (PLATFORM_TENANT_ID, as in event envelopes), so every table
-- keeps `tenant_id uuid not null` and one isolation rule. Two policies per table:
--   * platform_read: every tenant may READ platform rows (templates only once published);
--   * tenant_isolation: a tenant reads and writes its own rows; platform rows are written only in
--     the system scope (admin routes, seed), never from a tenant scope, whatever its tenant id.
-- Permissive policies are OR-ed for SELECT only; INSERT, UPDATE and DELETE see tenant_isolation alone.

create function platform_tenant() returns uuid
  language sql immutable parallel safe
  as $$ select '00000000-0000-0000-0000-000000000000'::uuid $$;

create function tenant_writable(row_tenant uuid) returns boolean
  language sql stable parallel safe
  as $$
    select tenant_visible(row_tenant)
       and (row_tenant <> platform_tenant() or current_setting('app.scope', true) = 'system')
  $$;

create table template (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  status text not null default 'draft' check (status in ('draft', 'published', 'unpublished')),
  -- The working copy, freely edited; publishing copies it into an immutable version.
  draft jsonb not null,
  draft_updated_at timestamptz not null default now(),
  -- Newest published version that is not withdrawn; null while nothing is published.
  current_version integer,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, slug),
  check ((status = 'published') = (current_version is not null))
);
alter table template enable row level security;
alter table template force row level security;
create policy platform_read on template for select
  using (tenant_id = platform_tenant() and current_version is not null);
create policy tenant_isolation on template
  using (tenant_writable(tenant_id)) with check (tenant_writable(tenant_id));

create table template_version (
  template_id uuid not null references template (id),
  version integer not null check (version >= 1),
  tenant_id uuid not null,
  slug text not null,
  engine integer not null,
  mode text not null check (mode in ('fixed', 'flexible')),
  fps integer not null,
  locales text[] not null,
  title_fa text not null,
  title_en text not null,
  description_fa text,
  description_en text,
  category text,
  tags text[] not null default '{}',
  aspects text[] not null,
  duration_seconds double precision not null,
  -- Field definitions by path, for the studio (FieldSummary[]).
  fields jsonb not null,
  scenes jsonb not null,
  -- FontRef[] and AssetRef[] as in content.template.published.v1.
  fonts jsonb not null,
  assets jsonb not null,
  -- Normalised fa + en text for catalogue search (see domain/search-text.ts).
  search_text text not null,
  document_key text not null,
  content_hash text not null check (content_hash ~ '^[a-f0-9]{64}$'),
  size_bytes integer not null,
  -- SHA-256 of the draft it was published from (canonical JSON, `version` left out): publishing an
  -- unchanged draft again is refused.
  source_hash text not null,
  published_by uuid not null,
  published_at timestamptz not null default now(),
  -- Withdrawn from the catalogue; still served to projects that pinned it.
  withdrawn_at timestamptz,
  primary key (template_id, version)
);
create index template_version_tenant_idx on template_version (tenant_id);
alter table template_version enable row level security;
alter table template_version force row level security;
create policy platform_read on template_version for select using (tenant_id = platform_tenant());
create policy tenant_isolation on template_version
  using (tenant_writable(tenant_id)) with check (tenant_writable(tenant_id));

-- A published version never changes (a project pinned to it must render the same forever): only
-- `withdrawn_at` may be set, and a version is never deleted. Enforced here, not only in code.
create function template_version_immutable() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op = 'DELETE' then
      raise exception 'template version %/% cannot be deleted', old.template_id, old.version
        using errcode = 'integrity_constraint_violation';
    end if;
    if (to_jsonb(new) - 'withdrawn_at') is distinct from (to_jsonb(old) - 'withdrawn_at') then
      raise exception 'template version %/% is immutable', old.template_id, old.version
        using errcode = 'integrity_constraint_violation';
    end if;
    return new;
  end
  $$;
create trigger template_version_immutable before update or delete on template_version
  for each row execute function template_version_immutable();

create table template_preview (
  template_id uuid not null,
  version integer not null,
  aspect text not null check (aspect in ('16:9', '9:16', '1:1', '4:5')),
  tenant_id uuid not null,
  -- The SVG poster and the raster thumbnail, drawn in-process by the engine.
  still_status text not null default 'pending' check (still_status in ('pending', 'ready', 'failed')),
  still_attempts integer not null default 0,
  still_claimed_until timestamptz,
  still_error text,
  width integer,
  height integer,
  svg_key text,
  svg_hash text,
  svg_size integer,
  thumb_key text,
  thumb_hash text,
  thumb_size integer,
  thumb_mime text,
  thumb_width integer,
  thumb_height integer,
  -- The short low-resolution clip, rendered by the render farm and reported back (docs/services/content.md).
  clip_status text not null default 'pending' check (clip_status in ('pending', 'ready', 'failed')),
  clip_key text,
  clip_hash text,
  clip_size integer,
  clip_mime text,
  clip_width integer,
  clip_height integer,
  clip_duration_seconds double precision,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (template_id, version, aspect),
  foreign key (template_id, version) references template_version (template_id, version)
);
create index template_preview_pending_idx on template_preview (created_at) where still_status = 'pending';
create index template_preview_clip_pending_idx on template_preview (created_at) where clip_status = 'pending';
alter table template_preview enable row level security;
alter table template_preview force row level security;
create policy platform_read on template_preview for select using (tenant_id = platform_tenant());
create policy tenant_isolation on template_preview
  using (tenant_writable(tenant_id)) with check (tenant_writable(tenant_id));

create table font_face (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  family text not null,
  weight integer not null check (weight between 100 and 900 and weight % 100 = 0),
  style text not null check (style in ('normal', 'italic')),
  format text not null check (format in ('ttf', 'otf', 'woff2')),
  content_hash text not null check (content_hash ~ '^[a-f0-9]{64}$'),
  blob_key text not null,
  size_bytes integer not null,
  scripts text[] not null,
  -- { arabic, persian, persian_digits, latin, missing_persian[] } (domain/font-inspection.ts).
  coverage jsonb not null,
  -- Code points with a glyph, as sorted inclusive [first, last] ranges: glyph checks without the file.
  codepoint_ranges jsonb not null,
  postscript_name text,
  full_name text,
  font_version text,
  installed_by uuid not null,
  installed_at timestamptz not null default now(),
  unique (tenant_id, family, weight, style)
);
-- Family names are matched case-insensitively by browsers; no family is both a platform one and a tenant one.
create index font_face_family_idx on font_face (lower(family));
alter table font_face enable row level security;
alter table font_face force row level security;
create policy platform_read on font_face for select using (tenant_id = platform_tenant());
create policy tenant_isolation on font_face
  using (tenant_writable(tenant_id)) with check (tenant_writable(tenant_id));
