import {
  DELIVERY_CHANNELS,
  type DeliveryChannel,
  NOTIFICATION_KINDS,
  type NotificationKind,
  TRANSACTIONAL_KINDS,
} from '@flatrender/contracts';
import type { StoredKind } from './notice-content';

export interface KindPolicy {
  /** The user may switch the kind's delivery channels on and off (and unsubscribe from its mails). */
  configurable: boolean;
  /** Channels a notice of the kind goes out on when the user chose nothing; the inbox always gets it. */
  defaults: readonly DeliveryChannel[];
  /** How long a push service may hold a web push message of the kind. */
  pushTtlSeconds: number;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

const quiet = (defaults: readonly DeliveryChannel[], pushTtlSeconds = DAY): KindPolicy => ({
  configurable: true,
  defaults,
  pushTtlSeconds,
});
/** Notices about the account itself: always mailed, never switched off. */
const required: KindPolicy = { configurable: false, defaults: ['email'], pushTtlSeconds: 7 * DAY };

/**
 * Quiet defaults: every notice lands in the inbox, and only the important ones are mailed; SMS,
 * Telegram and web push are opt-in. Transactional mail (verification, password reset, invitations)
 * is sent on request and is not a stored notice (see `TRANSACTIONAL_KINDS`).
 */
export const KIND_POLICIES: Readonly<Record<NotificationKind, KindPolicy>> = {
  'account.verify_email': required,
  'account.password_reset': required,
  'team.invitation': required,
  'account.welcome': quiet([]),
  'account.banned': required,
  'security.api_key_created': quiet(['email'], 7 * DAY),
  'tenant.suspended': required,
  'plan.activated': quiet([]),
  'plan.expiring': quiet(['email'], 3 * DAY),
  'plan.expired': quiet(['email'], 3 * DAY),
  'payment.succeeded': quiet(['email']),
  'payment.failed': quiet(['email'], 6 * HOUR),
  'payment.refunded': quiet(['email']),
  'render.completed': quiet(['email'], 6 * HOUR),
  'render.failed': quiet(['email'], 6 * HOUR),
  'storage.quota_warning': quiet([]),
  'storage.quota_exceeded': quiet(['email']),
  'storage.cleanup_scheduled': quiet(['email'], 3 * DAY),
  'storage.cleanup_executed': quiet([]),
  'webhook.endpoint_disabled': quiet(['email'], 3 * DAY),
};

const transactional = new Set<string>(TRANSACTIONAL_KINDS);

/** Kinds written to the inbox (everything but transactional mail). */
export const STORED_KINDS = NOTIFICATION_KINDS.filter((k) => !transactional.has(k)) as StoredKind[];

/** Kinds whose channels appear in the preferences. */
export const CONFIGURABLE_KINDS = STORED_KINDS.filter((k) => KIND_POLICIES[k].configurable);

export type ChannelChoices = Partial<Record<DeliveryChannel, boolean>>;

/**
 * The delivery channels a notice of `kind` goes out on for a user: explicit choices first, the kind's
 * defaults otherwise; kinds that are not configurable ignore choices.
 */
export function enabledChannels(kind: NotificationKind, choices: ChannelChoices): DeliveryChannel[] {
  const policy = KIND_POLICIES[kind];
  return DELIVERY_CHANNELS.filter((channel) => {
    const byDefault = policy.defaults.includes(channel);
    if (!policy.configurable) return byDefault;
    return choices[channel] ?? byDefault;
  });
}
