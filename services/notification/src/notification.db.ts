import type { Locale } from '@flatrender/contracts';
import type { Tx } from '@flatrender/platform';
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** jsonb columns are written as JSON text (so arrays are not taken for PostgreSQL arrays) and read parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface RecipientTable {
  user_id: string;
  email: string;
  display_name: string;
  locale: Locale;
  email_verified: Defaulted<boolean>;
  personal_tenant_id: string | null;
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  phone_verified_at: NullableTimestamp;
  telegram_chat_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PhoneVerificationTable {
  user_id: string;
  phone: string;
  code_hash: string;
  attempts: Defaulted<number>;
  expires_at: Timestamp;
  sent_at: Generated<Date>;
}

export interface TelegramLinkCodeTable {
  code_hash: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}

export interface PreferenceTable {
  user_id: string;
  kind: string;
  channel: string;
  enabled: boolean;
  updated_at: Generated<Date>;
}

export interface PushSubscriptionTable {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
}

export interface SettingTable {
  key: string;
  value: Json<unknown>;
  created_at: Generated<Date>;
}

export interface TenantContactTable {
  tenant_id: string;
  name: string;
  kind: 'personal' | 'organization';
  owner_user_id: string;
  locale: Locale;
  subscription_id: string | null;
  plan_name: ColumnType<{ fa: string; en: string } | null, string | null, string | null>;
  plan_expires_at: NullableTimestamp;
  plan_effective_at: NullableTimestamp;
  expiry_noticed_for: NullableTimestamp;
  updated_at: Generated<Date>;
}

export interface RenderJobTable {
  job_id: string;
  tenant_id: string;
  requested_by: string;
  created_at: Generated<Date>;
}

export interface NotificationTable {
  id: string;
  tenant_id: string;
  recipient_user_id: string;
  kind: string;
  locale: Locale;
  title: string;
  body: string;
  link: string | null;
  channels: Json<string[]>;
  cause_event_id: string | null;
  created_at: Generated<Date>;
  read_at: NullableTimestamp;
  seq: Generated<string>;
}

export interface NoticeBacklogTable {
  id: string;
  tenant_id: string;
  intent: Json<unknown>;
  attempts: Defaulted<number>;
  next_try_at: Defaulted<Date>;
  created_at: Generated<Date>;
}

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';

export interface DeliveryTable {
  idempotency_key: string;
  tenant_id: string;
  notification_id: string | null;
  channel: 'email' | 'sms' | 'telegram' | 'push';
  kind: string;
  state: DeliveryState;
  attempts: Defaulted<number>;
  lease_until: NullableTimestamp;
  provider_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WebhookEndpointTable {
  id: string;
  tenant_id: string;
  kind: 'endpoint' | 'job_callbacks';
  url: string | null;
  description: string | null;
  event_types: Json<string[]>;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: NullableTimestamp;
  enabled: Defaulted<boolean>;
  disabled_at: NullableTimestamp;
  disabled_reason: string | null;
  consecutive_failures: Defaulted<number>;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  seq: ColumnType<string, never, never>;
}

export type WebhookDeliveryState = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export interface WebhookDeliveryTable {
  id: string;
  tenant_id: string;
  webhook_id: string;
  url: string;
  event_id: string;
  event_type: string;
  body: string;
  state: WebhookDeliveryState;
  attempts: Defaulted<number>;
  next_attempt_at: NullableTimestamp;
  last_status_code: number | null;
  last_error_code: string | null;
  replay_of: string | null;
  created_at: Generated<Date>;
  completed_at: NullableTimestamp;
  seq: ColumnType<string, never, never>;
}

export interface WebhookAttemptTable {
  delivery_id: string;
  attempt: number;
  tenant_id: string;
  status_code: number | null;
  error_code: string | null;
  error_message: string | null;
  duration_ms: number;
  attempted_at: Generated<Date>;
}

export interface NotificationDb {
  recipient: RecipientTable;
  phone_verification: PhoneVerificationTable;
  telegram_link_code: TelegramLinkCodeTable;
  preference: PreferenceTable;
  push_subscription: PushSubscriptionTable;
  setting: SettingTable;
  tenant_contact: TenantContactTable;
  render_job: RenderJobTable;
  notification: NotificationTable;
  notice_backlog: NoticeBacklogTable;
  delivery: DeliveryTable;
  webhook_endpoint: WebhookEndpointTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_attempt: WebhookAttemptTable;
}

export type NotificationTx = Tx<NotificationDb>;
