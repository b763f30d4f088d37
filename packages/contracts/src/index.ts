import type { z } from 'zod';
import { type ValidationResult, validateAgainst } from './catalog';
import type { Envelope } from './envelope';
import { DISPATCH, EVENTS } from './messages';

export * from './catalog';
export * from './envelope';
export * from './headers';
export * from './topology';
export { DISPATCH, EVENTS };

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
