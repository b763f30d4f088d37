/*
 * Lists the account pages offer as choices. The platform's contracts (`@flatrender/contracts`) are
 * their source of truth; they are repeated here so that browser bundles do not pull in the schema
 * library, and `catalog.test.ts` fails when the two drift apart.
 */

/** What an API key may do (contracts `API_KEY_SCOPES`), in the order the picker shows them. */
export const API_KEY_SCOPES = [
  'templates:read',
  'projects:read',
  'projects:write',
  'renders:read',
  'renders:write',
  'files:read',
  'files:write',
  'webhooks:read',
  'webhooks:write',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Events a webhook endpoint can subscribe to (contracts `WEBHOOK_EVENT_KEYS`). */
export const WEBHOOK_EVENT_TYPES = [
  'render.job.queued.v1',
  'render.job.started.v1',
  'render.job.completed.v1',
  'render.job.failed.v1',
  'render.job.cancelled.v1',
  'render.snapshot.ready.v1',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Channels a notice can be delivered on besides the in-app inbox (contracts `DELIVERY_CHANNELS`). */
export const DELIVERY_CHANNELS = ['email', 'sms', 'telegram', 'push'] as const;

/** Notification kinds (contracts `NOTIFICATION_KINDS`): each has a label in the notifications dictionary. */
export const NOTIFICATION_KINDS = [
  'account.verify_email',
  'account.welcome',
  'account.password_reset',
  'account.banned',
  'team.invitation',
  'security.api_key_created',
  'tenant.suspended',
  'plan.activated',
  'plan.expiring',
  'plan.expired',
  'payment.succeeded',
  'payment.failed',
  'payment.refunded',
  'render.completed',
  'render.failed',
  'storage.quota_warning',
  'storage.quota_exceeded',
  'storage.cleanup_scheduled',
  'storage.cleanup_executed',
  'webhook.endpoint_disabled',
] as const;

/** Reasons an administrator gives for a ban or a suspension (contracts identity events). */
export const USER_BAN_REASONS = ['abuse', 'spam', 'fraud', 'terms_violation', 'chargeback', 'other'] as const;
export const TENANT_SUSPENSION_REASONS = [
  'payment_overdue',
  'abuse',
  'terms_violation',
  'admin',
  'other',
] as const;

/** Output formats a plan may allow (contracts `RENDER_FORMATS`) and its render queues (`PLAN_QUEUES`). */
export const RENDER_FORMATS = ['mp4', 'webm', 'gif', 'png', 'jpg'] as const;
export const PLAN_QUEUES = ['vip', 'paid', 'preview'] as const;

/** Roles, most powerful first (contracts `TENANT_ROLES`). */
export const TENANT_ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type Role = (typeof TENANT_ROLES)[number];

/** True when `role` is at least `minimum` (owner > admin > editor > viewer). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return TENANT_ROLES.indexOf(role) <= TENANT_ROLES.indexOf(minimum);
}
