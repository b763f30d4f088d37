import type { Locale, PlanLimits, TenantRole } from '@flatrender/contracts';
import type { ConfigOf, ScopedDatabase, ServiceContext } from '@flatrender/platform';
import type { AccessTokenIssuer } from './access-token.issuer';
import type { PlanRow } from './billing.repository';
import type { identityConfigShape } from './identity.config';
import type { IdentityDb } from './identity.tables';
import type { PasswordHasher } from './password.hasher';
import type { ManualProvider } from './payments/manual.provider';
import type { PaymentProvider } from './payments/payment-provider';
import type { SigningKeyStore } from './signing-key.store';
import type { TenantRow } from './tenant.repository';
import type { UserRow } from './user.repository';

export type IdentityConfig = ConfigOf<typeof identityConfigShape>;

/** What the identity service's parts share; built once in `setup`. */
export interface IdentityDeps {
  ctx: ServiceContext;
  db: ScopedDatabase<IdentityDb>;
  config: IdentityConfig;
  hasher: PasswordHasher;
  keys: SigningKeyStore;
  issuer: AccessTokenIssuer;
  /** Online payments; absent when no merchant is configured. */
  zarinpal?: PaymentProvider;
  manual: ManualProvider;
  /** Where a payer lands after the callback. */
  paymentReturnUrl: string;
}

export interface UserView {
  id: string;
  email: string;
  display_name: string;
  locale: Locale;
  email_verified: boolean;
  platform_admin: boolean;
  created_at: string;
}

export function userView(user: UserRow): UserView {
  return {
    id: user.id,
    email: user.email,
    display_name: user.display_name,
    locale: user.locale,
    email_verified: user.email_verified_at !== null,
    platform_admin: user.platform_admin,
    created_at: user.created_at.toISOString(),
  };
}

export interface TenantView {
  id: string;
  name: string;
  slug: string;
  kind: 'personal' | 'organization';
  role: TenantRole;
  suspended: boolean;
}

export function tenantView(
  tenant: Pick<TenantRow, 'id' | 'name' | 'slug' | 'kind' | 'suspended_at' | 'suspended_until'>,
  role: TenantRole,
  now = new Date(),
): TenantView {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    kind: tenant.kind,
    role,
    suspended:
      tenant.suspended_at !== null && (tenant.suspended_until === null || tenant.suspended_until > now),
  };
}

/** The catalog's plan payload (`planSchema`). */
export function planPayload(plan: PlanRow): {
  code: string;
  name: { fa: string; en: string };
  limits: PlanLimits;
} {
  return { code: plan.code, name: plan.name, limits: plan.limits };
}

export const DAY_MS = 86_400_000;
