-- Preview clips: content records a wanted gallery clip per template version and aspect, and render
-- renders it as an ordinary job (chunks, leases, verification, the reaper all apply) marked as the
-- platform's own work: never billed, never counted against a plan, never shown in a tenant's lists.
alter table render_job
  add column purpose text not null default 'render' check (purpose in ('render', 'preview_clip'));

-- When content accepted the finished clip (PUT .../previews/:aspect/clip). Null on a completed preview
-- job means the report is still owed: content was unreachable, and the sweep tries again.
alter table render_job add column clip_reported_at timestamptz;

-- At most one live or finished preview job per version and aspect, whichever replica's sweep gets
-- there first; failed and cancelled ones stay as the record of attempts and do not block a retry.
create unique index render_job_preview_clip_idx on render_job (template_id, template_version, aspect)
  where purpose = 'preview_clip' and status in ('queued', 'rendering', 'completed');

create index render_job_preview_unreported_idx on render_job (finished_at)
  where purpose = 'preview_clip' and status = 'completed' and clip_reported_at is null;
