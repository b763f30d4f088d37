import type { ApiKeyScope, Locale, PlanLimits, TenantRole } from '@flatrender/contracts';
import type { ColumnType, Generated } from 'kysely';

/** `timestamptz`: read as a Date, written as a Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `bigint`: the drivers read it as a string (it may exceed 2^53); amounts in rial fit in a number. */
type BigIntColumn = ColumnType<string | number, number, number>;
type Json<T> = ColumnType<T, string, string>;

export interface UserTable {
  id: string;
  email: string;
  password_hash: string | null;
  display_name: string;
  locale: Locale;
  email_verified_at: Timestamp | null;
  platform_admin: Generated<boolean>;
  personal_tenant_id: string | null;
  last_tenant_id: string | null;
  banned_at: Timestamp | null;
  banned_until: Timestamp | null;
  ban_reason: string | null;
  ban_note: string | null;
  last_login_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export type TenantKind = 'personal' | 'organization';

export interface TenantTable {
  id: string;
  name: string;
  slug: string;
  kind: TenantKind;
  locale: Locale;
  balance: ColumnType<string | number, number | undefined, number>;
  created_by: string;
  suspended_at: Timestamp | null;
  suspended_until: Timestamp | null;
  suspension_reason: string | null;
  suspension_note: string | null;
  created_at: DefaultTimestamp;
}

export interface MembershipTable {
  tenant_id: string;
  user_id: string;
  role: TenantRole;
  created_at: DefaultTimestamp;
}

export interface SessionFamilyTable {
  id: string;
  user_id: string;
  current_tenant_id: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
}

export interface RefreshTokenTable {
  token_hash: string;
  family_id: string;
  created_at: DefaultTimestamp;
  used_at: Timestamp | null;
}

export type EmailTokenPurpose = 'verify_email' | 'password_reset';

export interface EmailTokenTable {
  id: string;
  user_id: string;
  purpose: EmailTokenPurpose;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export type InvitableRole = Exclude<TenantRole, 'owner'>;

export interface InvitationTable {
  id: string;
  tenant_id: string;
  email: string;
  role: InvitableRole;
  token_hash: string;
  invited_by: string;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  revoked_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface PlanTable {
  code: string;
  name: Json<{ fa: string; en: string }>;
  limits: Json<PlanLimits>;
  price: BigIntColumn;
  period_days: number;
  active: Generated<boolean>;
  sort: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export type SubscriptionStatus = 'active' | 'expired' | 'ended';

export interface SubscriptionTable {
  id: string;
  tenant_id: string;
  plan_code: string;
  status: SubscriptionStatus;
  starts_at: Timestamp;
  expires_at: Timestamp | null;
  payment_id: string | null;
  ended_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export type PaymentStatus = 'pending' | 'verifying' | 'succeeded' | 'failed';
export type PaymentKind = 'plan' | 'balance';

export interface PaymentTable {
  id: string;
  tenant_id: string;
  user_id: string;
  provider: 'zarinpal' | 'manual';
  kind: PaymentKind;
  plan_code: string | null;
  amount: BigIntColumn;
  currency: ColumnType<'IRR', 'IRR' | undefined, 'IRR'>;
  status: PaymentStatus;
  authority: string | null;
  claim_until: Timestamp | null;
  provider_reference: string | null;
  card_mask: string | null;
  failure_code: string | null;
  failure_message: string | null;
  refunded_amount: ColumnType<string | number, number | undefined, number>;
  subscription_id: string | null;
  note: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  paid_at: Timestamp | null;
  failed_at: Timestamp | null;
}

export interface RefundTable {
  id: string;
  tenant_id: string;
  payment_id: string;
  amount: BigIntColumn;
  reason_code: string;
  created_by: string;
  created_at: DefaultTimestamp;
}

export interface BalanceEntryTable {
  id: string;
  tenant_id: string;
  amount: BigIntColumn;
  reason: 'payment' | 'refund' | 'admin_credit';
  payment_id: string | null;
  created_at: DefaultTimestamp;
}

export interface ApiKeyTable {
  id: string;
  tenant_id: string;
  created_by: string;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: Json<ApiKeyScope[]>;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
  created_at: DefaultTimestamp;
}

export interface SigningKeyTable {
  kid: string;
  alg: string;
  public_jwk: Json<Record<string, unknown>>;
  private_key: string;
  created_at: DefaultTimestamp;
  retired_at: Timestamp | null;
}

export interface UsageRecordTable {
  usage_id: string;
  tenant_id: string;
  metric: string;
  quantity: number;
  period: string;
  period_total: number;
  period_limit: number | null;
  recorded_at: Timestamp;
}

/** The `identity` schema as Kysely sees it. */
export interface IdentityDb {
  users: UserTable;
  tenants: TenantTable;
  memberships: MembershipTable;
  session_families: SessionFamilyTable;
  refresh_tokens: RefreshTokenTable;
  email_tokens: EmailTokenTable;
  invitations: InvitationTable;
  plans: PlanTable;
  subscriptions: SubscriptionTable;
  payments: PaymentTable;
  refunds: RefundTable;
  balance_entries: BalanceEntryTable;
  api_keys: ApiKeyTable;
  signing_keys: SigningKeyTable;
  usage_records: UsageRecordTable;
}
