-- Identity: users and their sessions are global (a user belongs to several tenants); everything a tenant
-- owns carries tenant_id under a forced row-level security policy.

CREATE TABLE users (
  id uuid PRIMARY KEY,
  -- Stored lowercased; the unique index is the one place that decides "this email is taken".
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash text,
  display_name text NOT NULL,
  locale text NOT NULL CHECK (locale IN ('fa', 'en')),
  email_verified_at timestamptz,
  platform_admin boolean NOT NULL DEFAULT false,
  personal_tenant_id uuid,
  last_tenant_id uuid,
  banned_at timestamptz,
  banned_until timestamptz,
  ban_reason text,
  ban_note text,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The tenant row is its own tenant's: the policy keys on id, so a tenant-scoped transaction sees only it.
CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('personal', 'organization')),
  locale text NOT NULL CHECK (locale IN ('fa', 'en')),
  -- Rial minor units; a refund that would make it negative is refused.
  balance bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  created_by uuid NOT NULL REFERENCES users (id),
  suspended_at timestamptz,
  suspended_until timestamptz,
  suspension_reason text,
  suspension_note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (tenant_visible(id)) WITH CHECK (tenant_visible(id));

CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE UNIQUE INDEX memberships_one_owner ON memberships (tenant_id) WHERE role = 'owner';
CREATE INDEX memberships_user_idx ON memberships (user_id);
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
  USING (tenant_visible(tenant_id)) WITH CHECK (tenant_visible(tenant_id));

-- A login session: one refresh-token family. `current_tenant_id` is where the session acts now (it
-- moves on switch-tenant); the session belongs to its user, not to that tenant.
CREATE TABLE session_families (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  current_tenant_id uuid NOT NULL REFERENCES tenants (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Absolute expiry (ASVS 10.4.8): rotation never extends it.
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoke_reason text
);
CREATE INDEX session_families_user_idx ON session_families (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES session_families (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when rotated; presenting a used token again revokes the family (ASVS 10.4.5).
  used_at timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- One-time secrets sent by email (verification, password reset); only their SHA-256 is kept.
CREATE TABLE email_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose);

CREATE TABLE invitations (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  email text NOT NULL CHECK (email = lower(email)),
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  token_hash text NOT NULL UNIQUE,
  invited_by uuid NOT NULL REFERENCES users (id),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users (id),
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX invitations_one_open ON invitations (tenant_id, email)
  WHERE accepted_at IS NULL AND revoked_at IS NULL;
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
  USING (tenant_visible(tenant_id)) WITH CHECK (tenant_visible(tenant_id));

CREATE TABLE plans (
  code text PRIMARY KEY,
  name jsonb NOT NULL,
  limits jsonb NOT NULL,
  -- Price of one period in rial minor units; 0 = free (never bought).
  price bigint NOT NULL CHECK (price >= 0),
  period_days integer NOT NULL CHECK (period_days > 0),
  active boolean NOT NULL DEFAULT true,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The plan in force per tenant: exactly one active row (renewals extend it and keep its id).
CREATE TABLE subscriptions (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  plan_code text NOT NULL REFERENCES plans (code),
  status text NOT NULL CHECK (status IN ('active', 'expired', 'ended')),
  starts_at timestamptz NOT NULL,
  expires_at timestamptz,
  payment_id uuid,
  ended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX subscriptions_one_active ON subscriptions (tenant_id) WHERE status = 'active';
CREATE INDEX subscriptions_expiring_idx ON subscriptions (expires_at)
  WHERE status = 'active' AND expires_at IS NOT NULL;
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subscriptions
  USING (tenant_visible(tenant_id)) WITH CHECK (tenant_visible(tenant_id));

CREATE TABLE payments (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL REFERENCES users (id),
  provider text NOT NULL CHECK (provider IN ('zarinpal', 'manual')),
  kind text NOT NULL CHECK (kind IN ('plan', 'balance')),
  plan_code text REFERENCES plans (code),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL DEFAULT 'IRR',
  -- pending -> verifying (claimed by one callback or the reconciler) -> succeeded | failed.
  status text NOT NULL CHECK (status IN ('pending', 'verifying', 'succeeded', 'failed')),
  authority text UNIQUE,
  claim_until timestamptz,
  provider_reference text,
  card_mask text,
  failure_code text,
  failure_message text,
  refunded_amount bigint NOT NULL DEFAULT 0,
  subscription_id uuid,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  paid_at timestamptz,
  failed_at timestamptz,
  CHECK ((kind = 'plan') = (plan_code IS NOT NULL)),
  CHECK (refunded_amount BETWEEN 0 AND amount)
);
CREATE INDEX payments_tenant_idx ON payments (tenant_id, created_at DESC, id DESC);
CREATE INDEX payments_open_idx ON payments (created_at) WHERE status IN ('pending', 'verifying');
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payments
  USING (tenant_visible(tenant_id)) WITH CHECK (tenant_visible(tenant_id));

CREATE TABLE refunds (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  payment_id uuid NOT NULL REFERENCES payments (id),
  amount bigint NOT NULL CHECK (amount > 0),
  reason_code text NOT NULL,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;
ALTER TABLE refunds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refunds
  USING (tenant_visible(tenant_id)) WITH CHECK (tenant_visible(tenant_id));

-- Every change of a tenant's balance, so the cached `tenants.balance` can be explained and audited.
CREATE TABLE balance_entries (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  amount bigint NOT NULL,
  reason text NOT NULL CHECK (reason IN ('payment', 'refund', 'admin_credit')),
  payment_id uuid REFERENCES payments (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE balance_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE balance_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON balance_entries
  USING (tenant_visible(tenant_id)) WITH CHECK (tenant_visible(tenant_id));

CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  created_by uuid NOT NULL REFERENCES users (id),
  name text NOT NULL,
  -- Public part (`fr_ab12cd34`), the lookup key; the secret is known only by its SHA-256.
  prefix text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  scopes jsonb NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoke_reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at DESC, id DESC);
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_visible(tenant_id)) WITH CHECK (tenant_visible(tenant_id));

-- Access-token signing keys; the private key is encrypted with a key derived from the platform secret.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  public_jwk jsonb NOT NULL,
  private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Stops signing from here; stays published until the tokens it signed have expired.
  retired_at timestamptz
);

-- Metered usage reported by render (tenant.usage.recorded.v1), kept per period for billing.
CREATE TABLE usage_records (
  usage_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  metric text NOT NULL,
  quantity double precision NOT NULL,
  period text NOT NULL,
  period_total double precision NOT NULL,
  period_limit double precision,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX usage_records_period_idx ON usage_records (tenant_id, period, metric);
ALTER TABLE usage_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_records FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_records
  USING (tenant_visible(tenant_id)) WITH CHECK (tenant_visible(tenant_id));
