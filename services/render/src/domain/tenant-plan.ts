import type { PlanLimits } from '@flatrender/contracts';

/**
 * Limits of a tenant render has heard nothing about from identity yet: identity's free plan (every
 * tenant starts on it, and identity.plan.activated.v1 soon replaces this with the real limits).
 */
export const DEFAULT_FREE_PLAN: { code: string; limits: PlanLimits } = {
  code: 'free',
  limits: {
    render_queue: 'preview',
    priority: 1,
    max_concurrent_jobs: 1,
    monthly_render_seconds: 300,
    max_video_seconds: 60,
    max_short_side_px: 720,
    max_fps: 30,
    formats: ['mp4', 'gif', 'png', 'jpg'],
    watermark: true,
    storage_bytes: 1024 ** 3,
    max_upload_bytes: 50 * 1024 ** 2,
    retention_days: 7,
    api_access: false,
    team_seats: 1,
  },
};

export interface TenantStanding {
  planCode: string;
  limits: PlanLimits;
  suspended: boolean;
}

export function standingOf(
  row:
    | {
        plan_code: string | null;
        limits: PlanLimits | null;
        suspended_at: Date | null;
        suspended_until: Date | null;
      }
    | undefined,
  now: Date,
): TenantStanding {
  const suspended =
    !!row?.suspended_at && (row.suspended_until === null || row.suspended_until.getTime() > now.getTime());
  if (!row?.plan_code || !row.limits)
    return { planCode: DEFAULT_FREE_PLAN.code, limits: DEFAULT_FREE_PLAN.limits, suspended };
  return { planCode: row.plan_code, limits: row.limits, suspended };
}
