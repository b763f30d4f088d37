import { defineConfig, env } from '@flatrender/platform';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from './domain/password-policy';

/** Settings of the identity service (besides the platform's). */
export const identityConfigShape = defineConfig('identity', {
  accessTokenTtlSeconds: {
    env: 'IDENTITY_ACCESS_TOKEN_TTL_SECONDS',
    doc: 'Lifetime of access tokens (5-15 minutes); also how long a ban may take to reach every service.',
    schema: env.int(600, 300).pipe(z.number().max(900, 'must be at most 900 (15 minutes)')),
    defaultDoc: '600',
  },
  refreshTokenTtlDays: {
    env: 'IDENTITY_REFRESH_TOKEN_TTL_DAYS',
    doc: 'Absolute lifetime of a login session; rotation never extends it.',
    schema: env.int(30, 1),
    defaultDoc: '30',
  },
  signingKeyRotationDays: {
    env: 'IDENTITY_SIGNING_KEY_ROTATION_DAYS',
    doc: 'Age at which the access-token signing key is replaced (the old one stays published until its tokens expired).',
    schema: env.int(30, 1),
    defaultDoc: '30',
  },
  requireEmailVerification: {
    env: 'IDENTITY_REQUIRE_EMAIL_VERIFICATION',
    doc: 'Refuse sign-in until the email address is verified (turn off only where no mail is sent).',
    schema: env.bool(true),
    defaultDoc: 'true',
  },
  verificationTokenTtlHours: {
    env: 'IDENTITY_VERIFICATION_TOKEN_TTL_HOURS',
    doc: 'How long an email verification link works.',
    schema: env.int(48, 1),
    defaultDoc: '48',
  },
  passwordResetTokenTtlMinutes: {
    env: 'IDENTITY_PASSWORD_RESET_TTL_MINUTES',
    doc: 'How long a password reset link works.',
    schema: env.int(60, 5),
    defaultDoc: '60',
  },
  invitationTtlDays: {
    env: 'IDENTITY_INVITATION_TTL_DAYS',
    doc: 'How long a team invitation can be accepted.',
    schema: env.int(7, 1),
    defaultDoc: '7',
  },
  schedulerIntervalMs: {
    env: 'IDENTITY_SCHEDULER_INTERVAL_MS',
    doc: 'How often plan expiry, ban/suspension ends, key expiry, payment reconciliation and key rotation run.',
    schema: env.int(60_000, 50),
    defaultDoc: '60000',
  },
  adminPassword: {
    env: 'FLATRENDER_ADMIN_PASSWORD',
    doc: `Password of the seeded platform admin admin@flatrender.local (at least ${PASSWORD_MIN_LENGTH} characters); unset: one is generated into $FLATRENDER_DATA_DIR/admin-password.`,
    schema: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
      .optional(),
    secret: true,
  },
  paymentReturnUrl: {
    env: 'IDENTITY_PAYMENT_RETURN_URL',
    doc: 'Page of the web app the payer is sent to after the payment callback (gets ?payment_id=&status=).',
    schema: env.url(['http', 'https']).optional(),
    defaultDoc: '$WEB_ORIGIN/billing/return',
  },
  zarinpalMerchantId: {
    env: 'ZARINPAL_MERCHANT_ID',
    doc: 'ZarinPal merchant id (36 characters); unset disables online payments.',
    schema: z.uuid('must be a 36-character merchant id').optional(),
    secret: true,
  },
  zarinpalSandbox: {
    env: 'ZARINPAL_SANDBOX',
    doc: "Use ZarinPal's sandbox (no money moves); picks the sandbox base URL unless ZARINPAL_BASE_URL is set.",
    schema: env.bool(false),
    defaultDoc: 'false',
  },
  zarinpalBaseUrl: {
    env: 'ZARINPAL_BASE_URL',
    doc: 'ZarinPal base URL (request/verify under /pg/v4/payment, StartPay under /pg/StartPay).',
    schema: env.url(['http', 'https']).optional(),
    defaultDoc: 'https://payment.zarinpal.com (sandbox: https://sandbox.zarinpal.com)',
  },
});
