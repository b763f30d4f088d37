/*
 * Lists the account pages offer as choices, straight from the platform's contracts (their zod-free
 * vocabulary, so no schema library reaches the browser).
 */
import { TENANT_ROLES, type TenantRole } from '@flatrender/contracts/vocabulary';

export {
  API_KEY_SCOPES,
  type ApiKeyScope,
  DELIVERY_CHANNELS,
  NOTIFICATION_KINDS,
  PLAN_QUEUES,
  RENDER_FORMATS,
  TENANT_ROLES,
  TENANT_SUSPENSION_REASONS,
  USER_BAN_REASONS,
  WEBHOOK_EVENT_KEYS as WEBHOOK_EVENT_TYPES,
  type WebhookEventKey as WebhookEventType,
} from '@flatrender/contracts/vocabulary';
export type Role = TenantRole;

/** True when `role` is at least `minimum` (owner > admin > editor > viewer). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return TENANT_ROLES.indexOf(role) <= TENANT_ROLES.indexOf(minimum);
}
