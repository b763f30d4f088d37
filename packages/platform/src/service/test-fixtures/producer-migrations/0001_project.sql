create table project (id uuid primary key, tenant_id uuid not null);
alter table project enable row level security;
alter table project force row level security;
create policy tenant_isolation on project using (tenant_visible(tenant_id)) with check (tenant_visible(tenant_id));
