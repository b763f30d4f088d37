create table note (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, text text not null);
alter table note enable row level security;
alter table note force row level security;
create policy tenant_isolation on note using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));
