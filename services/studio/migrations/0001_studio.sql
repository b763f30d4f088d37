-- Template versions studio knows from content.template.published.v1: enough to pin projects to a
-- version and to load its document. Written only by the event consumer (system scope) and by the
-- start-up fallback; versions are immutable, so a row never changes except for withdrawal.
create table template_version (
  template_id uuid not null,
  version integer not null check (version >= 1),
  -- null: a platform template every tenant may use; otherwise the one tenant that owns it.
  tenant_id uuid,
  slug text not null,
  title jsonb not null,
  engine integer not null,
  mode text not null check (mode in ('fixed', 'flexible')),
  aspects jsonb not null,
  document_key text not null,
  content_hash text not null,
  fonts jsonb not null default '[]',
  published_at timestamptz not null,
  withdrawn_at timestamptz,
  primary key (template_id, version)
);
alter table template_version enable row level security;
alter table template_version force row level security;
-- Every tenant reads platform templates; only the owner reads its private ones; tenants never write.
create policy tenant_isolation on template_version
  using (tenant_id is null or tenant_visible(tenant_id))
  with check (current_setting('app.scope', true) = 'system');

-- Orders project lists by last change without ties (timestamps can repeat within a transaction).
create sequence project_touch_seq;

create table project (
  id uuid primary key,
  tenant_id uuid not null,
  created_by uuid not null,
  name text not null check (length(name) between 1 and 200),
  -- The name folded for search (Arabic/Persian letter variants, ZWNJ, case).
  name_search text not null,
  template_id uuid not null,
  template_version integer not null,
  aspect text not null,
  locale text not null check (locale in ('fa', 'en')),
  -- Engine FieldValues, split: values differing from the defaults, durations, the scene list.
  fields jsonb not null default '{}',
  durations jsonb not null default '{}',
  scenes jsonb,
  revision integer not null default 1 check (revision >= 1),
  touched bigint not null default nextval('project_touch_seq'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (template_id, template_version) references template_version (template_id, version)
);
create index project_tenant_touched_idx on project (tenant_id, touched desc);
alter table project enable row level security;
alter table project force row level security;
create policy tenant_isolation on project
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- Snapshots requested from the studio; render owns their outcome (GET /v1/snapshots/:id).
create table snapshot (
  id uuid primary key,
  tenant_id uuid not null,
  project_id uuid not null references project (id) on delete cascade,
  project_revision integer not null,
  aspect text not null,
  time_seconds double precision not null check (time_seconds >= 0),
  format text not null,
  width integer not null,
  height integer not null,
  requested_by uuid not null,
  requested_at timestamptz not null default now()
);
create index snapshot_project_idx on snapshot (project_id);
alter table snapshot enable row level security;
alter table snapshot force row level security;
create policy tenant_isolation on snapshot
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));
