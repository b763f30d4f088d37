create table seen_project (project_id uuid not null);
