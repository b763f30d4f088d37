import type { z } from 'zod';
import { type Envelope, envelopeSchema } from './envelope';
import { EXCHANGES } from './topology';

export type MessageKind = 'event' | 'render-dispatch' | 'notify-dispatch';

/**
 * Names a process uses as the envelope's `producer` and in `producers`/`consumers`. The render
 * service (folder `services/render`, role `render`) publishes as `render-orchestrator`.
 */
export const SERVICES = [
  'gateway',
  'identity',
  'content',
  'studio',
  'file',
  'render-orchestrator',
  'render-node',
  'notification',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface MessageDefinition<K extends string = string, S extends z.ZodType = z.ZodType> {
  key: K;
  kind: MessageKind;
  exchange: (typeof EXCHANGES)[keyof typeof EXCHANGES]['name'];
  /** First segment of the key: identity, content, studio, render, node, file, notification, tenant. */
  domain: string;
  /**
   * Services that publish it; the envelope's `producer` names one of them. Validation does not
   * enforce it (tests and tools publish too), reviews and the generated docs do.
   */
  producers: readonly [ServiceName, ...ServiceName[]];
  /** Services that consume it; drives the `<service>.events` bindings (see `bindingsFor`). */
  consumers: readonly ServiceName[];
  /** One sentence: what happened (or what to do), and what its consumers do with it. */
  description: string;
  data: S;
}

export function defineMessage<const K extends string, S extends z.ZodType>(
  def: Omit<MessageDefinition<K, S>, 'exchange' | 'domain'>,
): MessageDefinition<K, S> {
  const exchange =
    def.kind === 'event'
      ? EXCHANGES.events.name
      : def.kind === 'render-dispatch'
        ? EXCHANGES.render.name
        : EXCHANGES.notify.name;
  return { ...def, exchange, domain: def.key.split('.')[0] as string };
}

export type ValidationResult<E = Envelope> = { ok: true; envelope: E } | { ok: false; error: string };

/** Validates envelope and data against a catalog; used by publishers and consumers alike. */
export function validateAgainst(
  catalog: Readonly<Record<string, MessageDefinition>>,
  routingKey: string,
  body: unknown,
): ValidationResult {
  const def = catalog[routingKey];
  if (!def) return { ok: false, error: `unknown routing key "${routingKey}"` };
  const env = envelopeSchema.safeParse(body);
  if (!env.success) return { ok: false, error: `envelope: ${formatIssues(env.error)}` };
  if (env.data.event_type !== routingKey) {
    return {
      ok: false,
      error: `event_type "${env.data.event_type}" does not match routing key "${routingKey}"`,
    };
  }
  const data = def.data.safeParse(env.data.data);
  if (!data.success) return { ok: false, error: `data: ${formatIssues(data.error)}` };
  return { ok: true, envelope: { ...env.data, data: data.data as Record<string, unknown> } };
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
