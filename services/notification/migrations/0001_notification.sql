-- Notification: contacts learnt from identity events, the in-app inbox, preferences, deliveries per
-- channel (the idempotency record of every send), web push subscriptions, Telegram links and tenant
-- webhooks with their delivery log. Users are global (a user belongs to several tenants): tables keyed
-- by user have no tenant_id and are only ever queried with the caller's own user id. Everything a tenant
-- owns carries tenant_id under a forced row-level security policy.

-- A user as identity announced it (identity.user.registered.v1, email_verified.v1), or as identity's
-- internal route described it when an event named a user notification had not heard of.
create table recipient (
  user_id uuid primary key,
  email text not null check (email = lower(email)),
  display_name text not null,
  locale text not null check (locale in ('fa', 'en')),
  email_verified boolean not null default false,
  personal_tenant_id uuid,
  -- E.164; usable for SMS only once verified by a code sent to it.
  phone text,
  phone_verified_at timestamptz,
  telegram_chat_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A number being verified: the code is kept as its SHA-256 only.
create table phone_verification (
  user_id uuid primary key references recipient (user_id) on delete cascade,
  phone text not null,
  code_hash text not null,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  sent_at timestamptz not null default now()
);

-- One-time codes that link a Telegram chat to a user (`/start <code>` to the bot); SHA-256 only.
create table telegram_link_code (
  code_hash text primary key,
  user_id uuid not null references recipient (user_id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index telegram_link_code_user_idx on telegram_link_code (user_id);

-- Explicit choices per user, kind and channel; a missing row means the kind's default.
create table preference (
  user_id uuid not null,
  kind text not null,
  channel text not null check (channel in ('in_app', 'email', 'sms', 'telegram', 'push')),
  enabled boolean not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind, channel)
);

create table push_subscription (
  id uuid primary key,
  user_id uuid not null,
  endpoint text not null unique,
  p256dh text not null,
  auth text not null,
  user_agent text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index push_subscription_user_idx on push_subscription (user_id);

-- Service-wide values generated once (the VAPID key pair when none is configured).
create table setting (
  key text primary key,
  value jsonb not null,
  created_at timestamptz not null default now()
);

-- A tenant as identity announced it: who receives its tenant-wide notices, in which language, and the
-- paid period in force (for the reminder before it ends).
create table tenant_contact (
  tenant_id uuid primary key,
  name text not null,
  kind text not null check (kind in ('personal', 'organization')),
  owner_user_id uuid not null,
  locale text not null check (locale in ('fa', 'en')),
  subscription_id uuid,
  plan_name jsonb,
  plan_expires_at timestamptz,
  plan_effective_at timestamptz,
  -- The `plan_expires_at` the reminder was sent for; a renewal moves the end and re-arms it.
  expiry_noticed_for timestamptz,
  updated_at timestamptz not null default now()
);
alter table tenant_contact enable row level security;
alter table tenant_contact force row level security;
create policy tenant_isolation on tenant_contact
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- Who asked for a render job (the envelope user of render.job.queued.v1): its outcome is told to them.
create table render_job (
  job_id uuid primary key,
  tenant_id uuid not null,
  requested_by uuid not null,
  created_at timestamptz not null default now()
);
alter table render_job enable row level security;
alter table render_job force row level security;
create policy tenant_isolation on render_job
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- Orders inbox lists without ties (several notifications can share a timestamp).
create sequence notification_seq;

create table notification (
  id uuid primary key,
  tenant_id uuid not null,
  recipient_user_id uuid not null,
  kind text not null,
  locale text not null check (locale in ('fa', 'en')),
  title text not null,
  body text not null,
  link text,
  channels jsonb not null,
  cause_event_id uuid,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  seq bigint not null default nextval('notification_seq')
);
create index notification_inbox_idx on notification (tenant_id, recipient_user_id, seq desc);
create index notification_unread_idx on notification (tenant_id, recipient_user_id) where read_at is null;
alter table notification enable row level security;
alter table notification force row level security;
create policy tenant_isolation on notification
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- A notice whose recipient notification does not know yet: the scheduler asks identity, then writes it.
create table notice_backlog (
  id uuid primary key,
  tenant_id uuid not null,
  intent jsonb not null,
  attempts integer not null default 0,
  next_try_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create index notice_backlog_due_idx on notice_backlog (next_try_at);
alter table notice_backlog enable row level security;
alter table notice_backlog force row level security;
create policy tenant_isolation on notice_backlog
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- One row per channel delivery (the dispatch's idempotency key): a redelivered work item finds it sent
-- or failed and sends nothing. `sending` holds a lease so a crashed worker's claim can be taken over.
create table delivery (
  idempotency_key text primary key,
  tenant_id uuid not null,
  notification_id uuid,
  channel text not null check (channel in ('email', 'sms', 'telegram', 'push')),
  kind text not null,
  state text not null check (state in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  lease_until timestamptz,
  provider_message_id text,
  error_code text,
  error_message text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index delivery_notification_idx on delivery (notification_id);
alter table delivery enable row level security;
alter table delivery force row level security;
create policy tenant_isolation on delivery
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- Webhook endpoints of a tenant. `job_callbacks` is the tenant's one implicit endpoint whose secret
-- signs deliveries to the `webhook_url` a render job names (its URL varies per job).
create table webhook_endpoint (
  id uuid primary key,
  tenant_id uuid not null,
  kind text not null check (kind in ('endpoint', 'job_callbacks')),
  url text,
  description text,
  event_types jsonb not null default '[]',
  -- AES-256-GCM under a key derived from the platform secret; the plain secret is shown once.
  secret_enc text not null,
  previous_secret_enc text,
  previous_secret_expires_at timestamptz,
  enabled boolean not null default true,
  disabled_at timestamptz,
  disabled_reason text,
  consecutive_failures integer not null default 0,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint generated always as identity,
  check ((kind = 'endpoint') = (url is not null))
);
create unique index webhook_endpoint_job_callbacks_idx on webhook_endpoint (tenant_id) where kind = 'job_callbacks';
create index webhook_endpoint_tenant_idx on webhook_endpoint (tenant_id, seq);
alter table webhook_endpoint enable row level security;
alter table webhook_endpoint force row level security;
create policy tenant_isolation on webhook_endpoint
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- One event to one endpoint. `body` is the exact JSON sent (and signed) on every attempt.
-- `next_attempt_at` is when the scheduler (re)dispatches it: the retry time, or the lease of an attempt
-- in flight.
create table webhook_delivery (
  id uuid primary key,
  tenant_id uuid not null,
  webhook_id uuid not null references webhook_endpoint (id) on delete cascade,
  url text not null,
  event_id uuid not null,
  event_type text not null,
  body text not null,
  state text not null check (state in ('pending', 'succeeded', 'failed', 'cancelled')),
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  last_status_code integer,
  last_error_code text,
  replay_of uuid references webhook_delivery (id) on delete set null,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  seq bigint generated always as identity
);
create unique index webhook_delivery_once_idx on webhook_delivery (webhook_id, event_id) where replay_of is null;
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where state = 'pending';
create index webhook_delivery_log_idx on webhook_delivery (webhook_id, seq desc);
alter table webhook_delivery enable row level security;
alter table webhook_delivery force row level security;
create policy tenant_isolation on webhook_delivery
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));

-- The delivery log: every attempt with its answer and how long it took.
create table webhook_attempt (
  delivery_id uuid not null references webhook_delivery (id) on delete cascade,
  attempt integer not null check (attempt >= 1),
  tenant_id uuid not null,
  status_code integer,
  error_code text,
  error_message text,
  duration_ms integer not null,
  attempted_at timestamptz not null default now(),
  primary key (delivery_id, attempt)
);
alter table webhook_attempt enable row level security;
alter table webhook_attempt force row level security;
create policy tenant_isolation on webhook_attempt
  using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));
