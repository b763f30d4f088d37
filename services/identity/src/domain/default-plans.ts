import type { PlanLimits } from '@flatrender/contracts';

export interface PlanDefinition {
  code: string;
  name: { fa: string; en: string };
  limits: PlanLimits;
  /** Price of one period in rial minor units; 0 for the free plan. */
  price: number;
  periodDays: number;
  sort: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** The plan every tenant falls back to; it never expires. */
export const FREE_PLAN_CODE = 'free';

/** Seeded once (admins edit them afterwards; the seed never overwrites an edit). */
export const DEFAULT_PLANS: readonly PlanDefinition[] = [
  {
    code: FREE_PLAN_CODE,
    name: { fa: 'رایگان', en: 'Free' },
    price: 0,
    periodDays: 30,
    sort: 0,
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
      storage_bytes: 1 * GiB,
      max_upload_bytes: 50 * MiB,
      retention_days: 7,
      api_access: false,
      team_seats: 1,
    },
  },
  {
    code: 'pro',
    name: { fa: 'حرفه‌ای', en: 'Pro' },
    price: 2_000_000,
    periodDays: 30,
    sort: 1,
    limits: {
      render_queue: 'paid',
      priority: 5,
      max_concurrent_jobs: 2,
      monthly_render_seconds: 3_600,
      max_video_seconds: 300,
      max_short_side_px: 1080,
      max_fps: 60,
      formats: ['mp4', 'webm', 'gif', 'png', 'jpg'],
      watermark: false,
      storage_bytes: 20 * GiB,
      max_upload_bytes: 500 * MiB,
      retention_days: 30,
      api_access: true,
      team_seats: 5,
    },
  },
  {
    code: 'business',
    name: { fa: 'تجاری', en: 'Business' },
    price: 8_000_000,
    periodDays: 30,
    sort: 2,
    limits: {
      render_queue: 'vip',
      priority: 8,
      max_concurrent_jobs: 5,
      monthly_render_seconds: 36_000,
      max_video_seconds: 1_800,
      max_short_side_px: 2160,
      max_fps: 60,
      formats: ['mp4', 'webm', 'gif', 'png', 'jpg'],
      watermark: false,
      storage_bytes: 200 * GiB,
      max_upload_bytes: 2 * GiB,
      retention_days: 90,
      api_access: true,
      team_seats: 25,
    },
  },
];
