/*
 * The answers of the account routes (identity, file, render, notification), as the pages read them.
 * Shapes follow each service's route schemas (services/<name>/src/routes); only what the pages use.
 */
import type { Locale } from '@/i18n/locale';
import type { LocalizedText, Tenant } from '@/lib/api/types';

export type TenantRole = Tenant['role'];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface PlanLimits {
  render_queue: string;
  priority: number;
  max_concurrent_jobs: number;
  monthly_render_seconds: number | null;
  max_video_seconds: number;
  max_short_side_px: number;
  max_fps: number;
  formats: string[];
  watermark: boolean;
  storage_bytes: number;
  max_upload_bytes: number;
  retention_days: number;
  api_access: boolean;
  team_seats: number;
  render_second_price?: number;
}

export interface Plan {
  code: string;
  name: LocalizedText;
  limits: PlanLimits;
  price: number;
  currency: 'IRR';
  period_days: number;
  active: boolean;
}

export interface TenantDetails extends Tenant {
  locale: Locale;
  balance: number;
  currency: 'IRR';
  plan: {
    code: string;
    name: LocalizedText;
    limits: Partial<PlanLimits>;
    subscription_id: string;
    starts_at: string;
    expires_at: string | null;
  };
  usage: { period: string; totals: Record<string, number> };
  created_at: string;
}

/** `GET /v1/usage` (render service): this month's metered usage against the plan. */
export interface Usage {
  period: string;
  plan: string;
  render_seconds: { used: number; reserved: number; limit: number | null; remaining: number | null };
  snapshots: number;
  mockups: number;
  voiceover_characters: number;
  jobs: number;
  frames: number;
  size_bytes: number;
}

/** `GET /v1/files/usage` (file service). */
export interface StorageUsage {
  used_bytes: number;
  quota_bytes: number;
  remaining_bytes: number;
  used_percent: number;
  file_count: number;
  max_upload_bytes: number;
  plan_code: string;
  retention_days: number;
  suspended: boolean;
}

export type PaymentStatus = 'pending' | 'verifying' | 'succeeded' | 'failed';

export interface Payment {
  id: string;
  tenant_id: string;
  provider: 'zarinpal' | 'manual';
  kind: 'plan' | 'balance';
  plan_code: string | null;
  amount: number;
  currency: 'IRR';
  status: PaymentStatus;
  provider_reference: string | null;
  card_mask: string | null;
  failure_code: string | null;
  refunded_amount: number;
  created_at: string;
  paid_at: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_by: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_at: string | null;
  disabled_reason: string | null;
  consecutive_failures: number;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  url: string;
  state: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error_code: string | null;
  replay_of: string | null;
  created_at: string;
  completed_at: string | null;
  attempt_log: Array<{
    attempt: number;
    status_code: number | null;
    error_code: string | null;
    error_message: string | null;
    duration_ms: number;
    attempted_at: string;
  }>;
}

export interface Notice {
  id: string;
  kind: string;
  locale: Locale;
  title: string;
  body: string;
  link: string | null;
  channels: string[];
  created_at: string;
  read_at: string | null;
}

export interface InboxPage extends Page<Notice> {
  unread_count: number;
}

export type DeliveryChannel = 'email' | 'sms' | 'telegram' | 'push';

export interface Preferences {
  kinds: Array<{ kind: string; configurable: boolean; channels: Partial<Record<DeliveryChannel, boolean>> }>;
  channels: Partial<Record<DeliveryChannel, { available: boolean; ready: boolean }>>;
  contact: {
    email: string | null;
    email_verified: boolean;
    phone: string | null;
    phone_verified: boolean;
    telegram_linked: boolean;
    push_subscriptions: number;
  };
}

export interface TelegramLink {
  code: string;
  expires_at: string;
  bot_url: string | null;
}

export interface PushSubscriptionView {
  id: string;
  endpoint_origin: string;
  user_agent: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: TenantRole;
  joined_at: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Exclude<TenantRole, 'owner'>;
  invited_by: string;
  expires_at: string;
  created_at: string;
}
