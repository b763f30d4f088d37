-- The render orchestrator: jobs and their work items are the truth; RabbitMQ only carries work.

-- What identity says a tenant may do (its plan in force) and whether it is suspended. Rows appear on
-- the first identity event about the tenant; a tenant without a row is on the default free plan.
create table tenant_plan (
  tenant_id uuid primary key,
  plan_code text,
  limits jsonb,
  -- Consumers keep the limits with the latest effective_at whatever the delivery order.
  effective_at timestamptz,
  suspended_at timestamptz,
  suspended_until timestamptz,
  updated_at timestamptz not null default now()
);
alter table tenant_plan enable row level security;
alter table tenant_plan force row level security;
create policy tenant_isolation on tenant_plan
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- Template versions as content.template.published.v1 announced them. tenant_id null = the platform
-- catalogue (every tenant); otherwise only the owner may render it. Written by consumers only.
create table template_version (
  template_id uuid not null,
  version integer not null check (version >= 1),
  tenant_id uuid,
  slug text not null,
  engine integer not null,
  fps integer not null,
  aspects jsonb not null,
  document_key text not null,
  content_hash text not null,
  fonts jsonb not null default '[]',
  assets jsonb not null default '[]',
  published_at timestamptz not null,
  withdrawn_at timestamptz,
  primary key (template_id, version)
);
alter table template_version enable row level security;
alter table template_version force row level security;
create policy tenant_isolation on template_version
  using (tenant_id is null or tenant_visible(tenant_id))
  with check (current_setting('app.scope', true) = 'system');

-- Installed font faces (content.font.installed.v1): a font field of a project may pick any face
-- visible to its tenant, and a job needing a face nobody installed is refused before it is queued.
create table font_face (
  font_id uuid primary key,
  tenant_id uuid,
  family text not null,
  weight integer not null,
  style text not null,
  content_hash text not null,
  blob_key text not null,
  installed_at timestamptz not null
);
create index font_face_family_idx on font_face (lower(family), weight, style);
alter table font_face enable row level security;
alter table font_face force row level security;
create policy tenant_isolation on font_face
  using (tenant_id is null or tenant_visible(tenant_id))
  with check (current_setting('app.scope', true) = 'system');

-- Every (re)dispatch of a work item takes the next value: a result carrying an older token is late.
create sequence fencing_token_seq;
-- Stable, gap-tolerant ordering of job lists (timestamps repeat within a transaction).
create sequence job_seq;

create table render_job (
  id uuid primary key,
  tenant_id uuid not null,
  user_id uuid not null,
  seq bigint not null default nextval('job_seq'),
  kind text not null check (kind in ('video', 'image', 'mockup', 'voiceover')),
  source text not null check (source in ('studio', 'api')),
  status text not null check (status in ('queued', 'rendering', 'completed', 'failed', 'cancelled')),
  stage text check (stage in ('rendering', 'encoding', 'assembling', 'verifying')),
  project_id uuid,
  project_revision integer,
  template_id uuid,
  template_version integer,
  aspect text,
  locale text,
  format text not null,
  width integer,
  height integer,
  fps integer,
  quality text not null,
  frame_count integer,
  duration_seconds double precision,
  chunk_count integer not null,
  queue text not null,
  priority integer not null check (priority between 0 and 10),
  watermark boolean not null default false,
  -- Everything needed to rebuild the work items and to assemble the output (template source, values,
  -- scenes, fonts, assets, audio tracks, mockup or voice-over parameters).
  spec jsonb not null,
  cache_key text,
  from_cache boolean not null default false,
  -- The quote: what the job reserves of the monthly allowance until it ends.
  period text not null,
  quote_seconds double precision not null,
  quote_cost bigint not null,
  billed_seconds double precision,
  refunded_seconds double precision,
  refunded_cost bigint,
  webhook_url text,
  metadata jsonb,
  batch_id uuid,
  batch_row integer,
  retry_of uuid,
  -- Accepted but not dispatched yet: waits for a free slot of the plan's concurrent-job limit.
  held boolean not null default false,
  output jsonb,
  snapshot_id uuid,
  frames_done integer not null default 0,
  progress double precision not null default 0,
  progress_emitted_at timestamptz,
  max_attempt integer not null default 1,
  error_code text,
  error_message text,
  retryable boolean,
  failed_chunk_index integer,
  failed_node_id uuid,
  cancel_reason text,
  -- The assembler's claim (several orchestrator replicas never join one job twice).
  assembling_by text,
  assembling_until timestamptz,
  created_at timestamptz not null default now(),
  queued_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index render_job_tenant_seq_idx on render_job (tenant_id, seq desc);
create index render_job_active_idx on render_job (tenant_id, status) where status in ('queued', 'rendering');
create index render_job_cache_idx on render_job (tenant_id, cache_key) where status = 'completed';
create index render_job_batch_idx on render_job (batch_id) where batch_id is not null;
alter table render_job enable row level security;
alter table render_job force row level security;
create policy tenant_isolation on render_job
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- Work items: frame chunks of a video, a still, a mockup or a voice-over. The id is the chunk id, the
-- snapshot id (stills of snapshots), or the job id (the one item of image, mockup and voice-over jobs).
create table render_item (
  id uuid primary key,
  tenant_id uuid not null,
  job_id uuid,
  snapshot_id uuid,
  kind text not null check (kind in ('chunk', 'still', 'mockup', 'voiceover')),
  queue text not null,
  priority integer not null,
  idx integer not null default 0,
  frame_start integer,
  frame_end integer,
  status text not null check (status in ('waiting', 'pending', 'leased', 'done', 'failed', 'cancelled')),
  attempt integer not null default 1,
  fencing_token bigint not null,
  node_id uuid,
  lease_expires_at timestamptz,
  output_key text not null,
  size_bytes bigint,
  content_hash text,
  probe jsonb,
  frames_done integer not null default 0,
  -- Nodes an attempt of this item failed on (the 3-node rule).
  failed_nodes uuid[] not null default '{}',
  -- A refused claim (quarantined node) re-dispatches the item after this instant, not at once.
  redispatch_after timestamptz,
  dispatched_at timestamptz,
  claimed_at timestamptz,
  completed_at timestamptz,
  render_ms integer,
  last_error_code text,
  last_error text
);
create index render_item_job_idx on render_item (job_id, idx);
create index render_item_lease_idx on render_item (lease_expires_at) where status = 'leased';
create index render_item_node_idx on render_item (node_id) where status = 'leased';
create index render_item_redispatch_idx on render_item (redispatch_after) where redispatch_after is not null;
alter table render_item enable row level security;
alter table render_item force row level security;
create policy tenant_isolation on render_item
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- One row per lease of a work item (each dispatch), kept for audit and to find a late result's blob.
create table render_attempt (
  item_id uuid not null,
  fencing_token bigint not null,
  tenant_id uuid not null,
  attempt integer not null,
  node_id uuid,
  output_key text not null,
  status text not null check (
    status in ('dispatched', 'claimed', 'completed', 'rejected', 'failed', 'expired', 'cancelled', 'superseded')
  ),
  error_code text,
  error_message text,
  dispatched_at timestamptz not null default now(),
  claimed_at timestamptz,
  ended_at timestamptz,
  -- A result that arrived after its lease was taken away (discarded, its blob deleted).
  late_result_at timestamptz,
  primary key (item_id, fencing_token)
);
alter table render_attempt enable row level security;
alter table render_attempt force row level security;
create policy tenant_isolation on render_attempt
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- Render nodes are platform-wide (no tenant).
create table render_node (
  id uuid primary key,
  hostname text not null default 'unknown',
  version text,
  queues jsonb not null default '[]',
  formats jsonb not null default '[]',
  engine_generations jsonb not null default '[]',
  slots integer not null default 1,
  cpu_cores integer,
  memory_bytes bigint,
  status text not null check (status in ('online', 'offline', 'crashed')),
  draining boolean not null default false,
  load double precision,
  memory_free_bytes bigint,
  disk_free_bytes bigint,
  slots_busy integer not null default 0,
  cache jsonb,
  heartbeat_interval_seconds double precision,
  started_at timestamptz,
  last_heartbeat_at timestamptz,
  last_seen_at timestamptz not null default now(),
  failures integer not null default 0,
  last_failure_at timestamptz,
  quarantined_at timestamptz,
  quarantine_reason text,
  items_completed bigint not null default 0,
  frames_rendered bigint not null default 0,
  created_at timestamptz not null default now()
);

create table node_cache_entry (
  node_id uuid not null references render_node (id) on delete cascade,
  kind text not null,
  content_hash text not null,
  size_bytes bigint not null,
  primary key (node_id, content_hash)
);

-- Stills: studio's and the API's snapshot requests, and the free snapshot of every video job.
create table snapshot (
  id uuid primary key,
  tenant_id uuid not null,
  user_id uuid not null,
  source text not null check (source in ('studio', 'api', 'job')),
  job_id uuid,
  project_id uuid,
  project_revision integer,
  template_id uuid not null,
  template_version integer not null,
  aspect text not null,
  time_seconds double precision not null,
  format text not null,
  width integer not null,
  height integer not null,
  watermark boolean not null default false,
  -- What the still renders (the same plan as an image job's), so a re-dispatch needs no other service;
  -- null until a request that came as an event (studio) has been planned.
  spec jsonb,
  status text not null check (status in ('requested', 'queued', 'rendering', 'ready', 'failed')),
  output jsonb,
  render_ms integer,
  error_code text,
  error_message text,
  requested_at timestamptz not null default now(),
  ready_at timestamptz
);
create index snapshot_job_idx on snapshot (job_id) where job_id is not null;
create index snapshot_requested_idx on snapshot (requested_at) where status = 'requested';
alter table snapshot enable row level security;
alter table snapshot force row level security;
create policy tenant_isolation on snapshot
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- Metered usage, one row per finished job or snapshot and metric (tenant.usage.recorded.v1).
create table usage_record (
  id uuid primary key,
  tenant_id uuid not null,
  period text not null,
  metric text not null,
  quantity double precision not null,
  source_kind text not null,
  source_id uuid not null,
  frames integer,
  width integer,
  height integer,
  size_bytes bigint,
  recorded_at timestamptz not null default now(),
  unique (source_id, metric)
);
create index usage_record_period_idx on usage_record (tenant_id, period, metric);
alter table usage_record enable row level security;
alter table usage_record force row level security;
create policy tenant_isolation on usage_record
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));
