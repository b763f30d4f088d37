import type { z } from 'zod';
import { type ServiceName, type ValidationResult, validateAgainst } from './catalog';
import { NOTIFY_DISPATCH } from './dispatch/notify.dispatch';
import { RENDER_DISPATCH } from './dispatch/render.dispatch';
import type { Envelope } from './envelope';
import { CONTENT_EVENTS } from './events/content.events';
import { FILE_EVENTS } from './events/file.events';
import { IDENTITY_EVENTS } from './events/identity.events';
import { NODE_EVENTS } from './events/node.events';
import { NOTIFICATION_EVENTS } from './events/notification.events';
import { RENDER_EVENTS } from './events/render.events';
import { STUDIO_EVENTS } from './events/studio.events';
import { TENANT_EVENTS } from './events/tenant.events';

export * from './catalog';
export * from './common.schemas';
export * from './dispatch/notify.dispatch';
export * from './dispatch/render.dispatch';
export * from './envelope';
export * from './events/content.events';
export * from './events/file.events';
export * from './events/identity.events';
export * from './events/node.events';
export * from './events/notification.events';
export * from './events/render.events';
export * from './events/studio.events';
export * from './events/tenant.events';
export * from './headers';
export * from './http/error-body';
export * from './topology';
export * from './vocabulary';

/** Every domain event of the seed catalog (topic exchange `flatrender.events`), in the seed's order. */
export const EVENTS = {
  ...IDENTITY_EVENTS,
  ...CONTENT_EVENTS,
  ...STUDIO_EVENTS,
  ...RENDER_EVENTS,
  ...NODE_EVENTS,
  ...FILE_EVENTS,
  ...NOTIFICATION_EVENTS,
  ...TENANT_EVENTS,
} as const;

/** Every work item key: render dispatch (`flatrender.render`) and notification dispatch (`flatrender.notify`). */
export const DISPATCH = { ...RENDER_DISPATCH, ...NOTIFY_DISPATCH } as const;

/** THE catalog: every routing key of the seed, events and dispatch keys, with its data schema. */
export const CATALOG = { ...EVENTS, ...DISPATCH } as const;

export type EventKey = keyof typeof EVENTS;
export type DispatchKey = keyof typeof DISPATCH;
export type MessageKey = keyof typeof CATALOG;
export type MessageData<K extends MessageKey> = z.infer<(typeof CATALOG)[K]['data']>;
export type MessageEnvelope<K extends MessageKey> = Envelope<K, MessageData<K>>;

export const EVENT_KEYS = Object.keys(EVENTS) as EventKey[];
export const DISPATCH_KEYS = Object.keys(DISPATCH) as DispatchKey[];

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(CATALOG, key);
}

/** Validates a message body (envelope and data) for its routing key. */
export function validateMessage(routingKey: string, body: unknown): ValidationResult {
  return validateAgainst(CATALOG, routingKey, body);
}

/**
 * The event keys a service consumes: the bindings of its `<service>.events` queue on
 * `flatrender.events`. Render nodes bind theirs on a queue private to each node, since every node
 * must see every font installation and cancellation.
 */
export function bindingsFor(service: ServiceName): EventKey[] {
  return EVENT_KEYS.filter((key) => (EVENTS[key].consumers as readonly ServiceName[]).includes(service));
}

/** The dispatch queues a service consumes (render nodes: render queues; notification: channels). */
export function dispatchQueuesFor(service: ServiceName): DispatchKey[] {
  return DISPATCH_KEYS.filter((key) => (DISPATCH[key].consumers as readonly ServiceName[]).includes(service));
}
export * from './http/route-owners';
