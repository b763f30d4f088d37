-- What the file service knows of each tenant: the storage limits of its plan (from identity events;
-- no row = the configured free-plan defaults) and whether it is suspended.
create table tenant_policy (
  tenant_id uuid primary key,
  plan_code text not null,
  storage_bytes bigint not null check (storage_bytes >= 0),
  max_upload_bytes bigint not null check (max_upload_bytes >= 0),
  retention_days integer not null check (retention_days >= 1),
  plan_effective_at timestamptz,
  suspended_at timestamptz,
  suspended_until timestamptz,
  -- file.quota_exceeded.v1 was sent; cleared when usage falls or the plan changes, so it is sent once per episode.
  quota_exceeded_announced boolean not null default false
);

create table cleanup (
  id uuid primary key,
  tenant_id uuid not null,
  reason_code text not null check (reason_code in ('retention_expired', 'plan_expired', 'quota_exceeded')),
  scheduled_for timestamptz not null,
  created_at timestamptz not null,
  executed_at timestamptz
);
create index cleanup_due_idx on cleanup (scheduled_for) where executed_at is null;

create table file (
  id uuid primary key,
  tenant_id uuid not null,
  purpose text not null check (purpose in ('project_asset', 'template_asset', 'font', 'avatar', 'render_output')),
  kind text not null check (kind in ('image', 'svg', 'video', 'audio', 'font')),
  mime text not null,
  original_name text not null,
  declared_mime text not null,
  -- The stored file (sanitised / re-encoded), and everything the tenant is charged for (with variants).
  size_bytes bigint not null check (size_bytes >= 0),
  total_bytes bigint not null check (total_bytes >= size_bytes),
  content_hash text not null check (content_hash ~ '^[a-f0-9]{64}$'),
  -- SHA-256 and size of the bytes as they were uploaded.
  original_hash text not null check (original_hash ~ '^[a-f0-9]{64}$'),
  original_size_bytes bigint not null check (original_size_bytes >= 0),
  blob_key text not null,
  width integer,
  height integer,
  duration_seconds double precision,
  -- Codecs, frame counts, what the SVG sanitiser removed.
  details jsonb not null default '{}',
  -- [{ name, blob_key, mime, width, height, size_bytes }]
  variants jsonb not null default '[]',
  source text not null check (source in ('multipart', 'tus', 'render')),
  uploaded_by uuid not null,
  status text not null default 'ready' check (status in ('ready', 'deleting')),
  -- First time a saved project listed it (studio.project.saved.v1); never referenced uploads are orphans.
  referenced_at timestamptz,
  cleanup_id uuid references cleanup (id) on delete set null,
  created_at timestamptz not null,
  deleted_at timestamptz
);
create index file_list_idx on file (tenant_id, created_at desc, id desc) where status = 'ready';
create index file_render_output_idx on file (created_at) where purpose = 'render_output' and status = 'ready';
create index file_orphan_idx on file (created_at)
  where purpose = 'project_asset' and referenced_at is null and status = 'ready';
create index file_deleting_idx on file (deleted_at) where status = 'deleting';
create index file_cleanup_idx on file (cleanup_id) where cleanup_id is not null;

-- A resumable (tus) upload in progress; its bytes live in the blob store as parts until it completes.
create table upload (
  id uuid primary key,
  tenant_id uuid not null,
  user_id uuid not null,
  purpose text not null,
  original_name text not null,
  declared_mime text not null,
  size_bytes bigint not null check (size_bytes >= 0),
  offset_bytes bigint not null default 0 check (offset_bytes >= 0 and offset_bytes <= size_bytes),
  metadata jsonb not null default '{}',
  created_at timestamptz not null,
  finishing_at timestamptz,
  completed_at timestamptz,
  file_id uuid
);
create index upload_created_idx on upload (created_at) where completed_at is null;

create table upload_part (
  upload_id uuid not null references upload (id) on delete cascade,
  tenant_id uuid not null,
  offset_bytes bigint not null,
  size_bytes bigint not null check (size_bytes > 0),
  blob_key text not null,
  primary key (upload_id, offset_bytes)
);

alter table tenant_policy enable row level security;
alter table tenant_policy force row level security;
create policy tenant_isolation on tenant_policy using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

alter table cleanup enable row level security;
alter table cleanup force row level security;
create policy tenant_isolation on cleanup using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

alter table file enable row level security;
alter table file force row level security;
create policy tenant_isolation on file using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

alter table upload enable row level security;
alter table upload force row level security;
create policy tenant_isolation on upload using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

alter table upload_part enable row level security;
alter table upload_part force row level security;
create policy tenant_isolation on upload_part using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));
