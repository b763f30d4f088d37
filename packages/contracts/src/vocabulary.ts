/*
 * The contracts' word lists that pages and services both offer as choices (formats, queues, roles,
 * scopes, webhook events, notification kinds, channels, reasons). Plain arrays without the schema
 * library, so browser bundles can import them (`@flatrender/contracts/vocabulary`); the schemas build
 * on them. A value listed here is part of the catalog contract: removing or renaming one is a new
 * message version.
 */

export const VIDEO_FORMATS = ['mp4', 'webm', 'gif'] as const;
export const IMAGE_FORMATS = ['png', 'jpg'] as const;
/** Formats a render node can produce from a template. */
export const RENDER_FORMATS = [...VIDEO_FORMATS, ...IMAGE_FORMATS] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** The render queues a plan sends its template jobs to (`render.queue.<name>`). */
export const PLAN_QUEUES = ['vip', 'paid', 'preview'] as const;
export type PlanQueue = (typeof PLAN_QUEUES)[number];

/**
 * Roles in a tenant, most powerful first; exactly one owner. Owners manage billing and members, admins
 * manage members and keys, editors create projects and renders, viewers only look.
 */
export const TENANT_ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** Scopes an API key may hold; checked by the gateway, granted by identity. */
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

/**
 * Events a tenant may subscribe webhooks to; notification consumes each of them to deliver them.
 * The body a webhook endpoint receives is the event's envelope, unchanged.
 */
export const WEBHOOK_EVENT_KEYS = [
  'render.job.queued.v1',
  'render.job.started.v1',
  'render.job.completed.v1',
  'render.job.failed.v1',
  'render.job.cancelled.v1',
  'render.snapshot.ready.v1',
] as const;
export type WebhookEventKey = (typeof WEBHOOK_EVENT_KEYS)[number];

export const USER_BAN_REASONS = ['abuse', 'spam', 'fraud', 'terms_violation', 'chargeback', 'other'] as const;
export const TENANT_SUSPENSION_REASONS = [
  'payment_overdue',
  'abuse',
  'terms_violation',
  'admin',
  'other',
] as const;

/** What a notification is about; each kind has a localized template in the notification service. */
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
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Channels whose deliveries are reported by notification.delivered.v1 / notification.failed.v1. */
export const DELIVERY_CHANNELS = ['email', 'sms', 'telegram', 'push'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
