import { z } from 'zod';
import { defineMessage } from '../catalog';
import {
  currencySchema,
  localeSchema,
  moneySchema,
  planCodeSchema,
  planSchema,
  slugSchema,
  timestampSchema,
  uuidSchema,
} from '../common.schemas';
import { API_KEY_SCOPES, TENANT_SUSPENSION_REASONS, USER_BAN_REASONS } from '../vocabulary';

const displayName = z.string().min(1).max(100);

export const PAYMENT_PROVIDERS = ['zarinpal', 'manual'] as const;
export const PAYMENT_FAILURE_CODES = [
  'cancelled_by_user',
  'insufficient_funds',
  'declined',
  'verification_failed',
  'expired',
  'provider_error',
] as const;
export const REFUND_REASONS = ['customer_request', 'duplicate', 'service_failure', 'admin'] as const;
export const API_KEY_REVOKE_REASONS = ['owner', 'admin', 'leaked', 'expired'] as const;

const paymentBase = {
  payment_id: uuidSchema.describe('Payment id (identity)'),
  amount: moneySchema.describe('Amount in rial minor units'),
  currency: currencySchema.describe('Currency of `amount`'),
  provider: z.enum(PAYMENT_PROVIDERS).describe('Payment broker that handled it'),
  plan_code: planCodeSchema.nullable().describe('Plan the payment buys; null for a balance credit'),
};

export const IDENTITY_EVENTS = {
  'identity.user.registered.v1': defineMessage({
    key: 'identity.user.registered.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['notification'],
    description:
      'A user account was created; notification records the contact and, unless already verified, mails the verification link.',
    data: z
      .strictObject({
        user_id: uuidSchema.describe('The new user'),
        email: z.email().max(254).describe('Login and contact address (lowercased)'),
        display_name: displayName.describe('Name to greet the user with'),
        locale: localeSchema.describe('Language of every message to this user'),
        personal_tenant_id: uuidSchema.describe('Tenant created for the user at sign-up'),
        signup_method: z.enum(['password', 'invitation', 'admin']).describe('How the account came to be'),
        email_verified: z.boolean().describe('Already verified (invitation links prove the address)'),
        verification: z
          .strictObject({
            token: z
              .string()
              .min(32)
              .max(256)
              .describe('One-time secret for the verification link; identity stores only its hash'),
            expires_at: timestampSchema.describe('The token is refused after this time'),
          })
          .nullable()
          .describe('Present exactly when `email_verified` is false'),
        registered_at: timestampSchema.describe('When the account was created'),
      })
      .refine((d) => (d.verification === null) === d.email_verified, {
        path: ['verification'],
        message: 'verification must be present exactly when email_verified is false',
      }),
  }),
  'identity.user.email_verified.v1': defineMessage({
    key: 'identity.user.email_verified.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['notification'],
    description:
      'A user proved ownership of an email address; notification may now send it mail beyond verification.',
    data: z.strictObject({
      user_id: uuidSchema.describe('The user'),
      email: z.email().max(254).describe('The verified address'),
      verified_at: timestampSchema.describe('When the link was used'),
    }),
  }),
  'identity.user.banned.v1': defineMessage({
    key: 'identity.user.banned.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['gateway', 'render-orchestrator', 'notification'],
    description:
      "A user was banned: the gateway refuses the user's tokens and API keys at once, render cancels the user's queued jobs, notification tells the user.",
    data: z.strictObject({
      user_id: uuidSchema.describe('The banned user (the envelope `user_id` is the admin)'),
      reason_code: z.enum(USER_BAN_REASONS).describe('Why; picks the localized text shown to the user'),
      note: z.string().max(1000).optional().describe('Internal note of the admin; never shown to the user'),
      banned_until: timestampSchema.nullable().describe('End of the ban; null = permanent'),
      banned_at: timestampSchema.describe('When the ban took effect'),
    }),
  }),
  'identity.tenant.created.v1': defineMessage({
    key: 'identity.tenant.created.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['notification'],
    description:
      'A tenant (personal or organization) was created; notification learns its owner and language for tenant-wide notices. Its plan follows as identity.plan.activated.v1.',
    data: z.strictObject({
      tenant_id: uuidSchema.describe('The new tenant'),
      name: z.string().min(1).max(100).describe('Display name'),
      slug: slugSchema.describe('URL-safe unique name'),
      kind: z.enum(['personal', 'organization']).describe('Personal tenants have exactly one member'),
      owner_user_id: uuidSchema.describe('Member who receives tenant-wide notices'),
      locale: localeSchema.describe('Default language of tenant-wide notices'),
      created_at: timestampSchema.describe('When it was created'),
    }),
  }),
  'identity.tenant.suspended.v1': defineMessage({
    key: 'identity.tenant.suspended.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['gateway', 'render-orchestrator', 'file', 'notification'],
    description:
      'A tenant was suspended: the gateway refuses its requests, render cancels its jobs, file stops signing its URLs, notification tells the owner.',
    data: z.strictObject({
      tenant_id: uuidSchema.describe('The suspended tenant'),
      reason_code: z.enum(TENANT_SUSPENSION_REASONS).describe('Why; picks the localized text for the owner'),
      note: z.string().max(1000).optional().describe('Internal note; never shown to the tenant'),
      suspended_until: timestampSchema
        .nullable()
        .describe('Automatic end of the suspension; null = until lifted'),
      suspended_at: timestampSchema.describe('When it took effect'),
    }),
  }),
  'identity.plan.activated.v1': defineMessage({
    key: 'identity.plan.activated.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['render-orchestrator', 'file', 'notification'],
    description:
      "A plan became the tenant's plan in force (at sign-up, purchase, renewal or change); render and file apply its limits, notification confirms it.",
    data: z.strictObject({
      tenant_id: uuidSchema.describe('Tenant whose plan it is'),
      subscription_id: uuidSchema.describe('Subscription row (identity); renewals keep the id'),
      plan: planSchema.describe('The plan now in force, with its limits'),
      starts_at: timestampSchema.describe('Start of the paid period'),
      expires_at: timestampSchema.nullable().describe('End of the paid period; null = never (free plan)'),
      payment_id: uuidSchema.nullable().describe('Payment that bought it; null for free or granted plans'),
      effective_at: timestampSchema.describe(
        'When these limits apply; consumers keep the limits with the latest `effective_at`, whatever the delivery order',
      ),
    }),
  }),
  'identity.plan.expired.v1': defineMessage({
    key: 'identity.plan.expired.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['render-orchestrator', 'file', 'notification'],
    description:
      'A paid period ended without renewal; the tenant falls back to `effective_plan` (render and file apply it, file schedules cleanup beyond its quota, notification tells the owner).',
    data: z.strictObject({
      tenant_id: uuidSchema.describe('Tenant whose plan expired'),
      subscription_id: uuidSchema.describe('The expired subscription'),
      expired_plan_code: planCodeSchema.describe('Plan that ended'),
      expired_at: timestampSchema.describe('End of the paid period'),
      effective_plan: planSchema.describe('The plan in force from now on (usually `free`)'),
      effective_at: timestampSchema.describe(
        'When `effective_plan` applies (same ordering rule as activation)',
      ),
    }),
  }),
  'identity.payment.succeeded.v1': defineMessage({
    key: 'identity.payment.succeeded.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['notification'],
    description:
      'A payment was verified with the broker (or recorded by an admin); notification sends the receipt. The plan it buys is announced by identity.plan.activated.v1; a balance credit has no plan.',
    data: z.strictObject({
      ...paymentBase,
      purpose: z
        .enum(['plan_purchase', 'plan_renewal', 'balance_credit'])
        .describe('What was paid for (a plan period, or credit on the tenant balance)'),
      provider_reference: z
        .string()
        .min(1)
        .max(100)
        .describe("Broker's reference (ZarinPal ref_id) for the receipt"),
      card_mask: z
        .string()
        .max(32)
        .optional()
        .describe('Masked card number as the broker reports it (`6037-99**-****-1234`)'),
      paid_at: timestampSchema.describe('When the broker confirmed it'),
    }),
  }),
  'identity.payment.failed.v1': defineMessage({
    key: 'identity.payment.failed.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['notification'],
    description: 'A payment attempt failed or was abandoned; notification tells the payer what to do next.',
    data: z.strictObject({
      ...paymentBase,
      failure_code: z.enum(PAYMENT_FAILURE_CODES).describe('Why it failed; picks the localized advice'),
      failure_message: z.string().max(500).optional().describe("Broker's own message, for support"),
      failed_at: timestampSchema.describe('When the failure was recorded'),
    }),
  }),
  'identity.payment.refunded.v1': defineMessage({
    key: 'identity.payment.refunded.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['notification'],
    description: 'Money of a payment was returned, fully or in part; notification tells the payer.',
    data: z.strictObject({
      ...paymentBase,
      refund_id: uuidSchema.describe('Refund id (identity)'),
      refunded_amount: moneySchema.describe('Amount returned, rial minor units; at most `amount`'),
      full: z.boolean().describe('The whole payment was returned'),
      reason_code: z.enum(REFUND_REASONS).describe('Why'),
      refunded_at: timestampSchema.describe('When the refund was issued'),
    }),
  }),
  'identity.api_key.created.v1': defineMessage({
    key: 'identity.api_key.created.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['notification'],
    description:
      'An API key was created; notification sends the owner a security notice. The secret never travels.',
    data: z.strictObject({
      api_key_id: uuidSchema.describe('API key id'),
      name: z.string().min(1).max(100).describe('Label given by its creator'),
      prefix: z
        .string()
        .regex(/^fr_[A-Za-z0-9]{4,12}$/)
        .describe('Public start of the key (`fr_ab12cd`), to recognise it'),
      scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).describe('What the key may do'),
      expires_at: timestampSchema.nullable().describe('Expiry; null = until revoked'),
      created_at: timestampSchema.describe('When it was created'),
    }),
  }),
  'identity.api_key.revoked.v1': defineMessage({
    key: 'identity.api_key.revoked.v1',
    kind: 'event',
    producers: ['identity'],
    consumers: ['gateway'],
    description:
      'An API key was revoked; the gateway drops it from its cache so the next request with it fails.',
    data: z.strictObject({
      api_key_id: uuidSchema.describe('API key id'),
      prefix: z
        .string()
        .regex(/^fr_[A-Za-z0-9]{4,12}$/)
        .describe('Public start of the key'),
      reason_code: z.enum(API_KEY_REVOKE_REASONS).describe('Why it was revoked'),
      revoked_at: timestampSchema.describe('From this instant the key is refused'),
    }),
  }),
} as const;
