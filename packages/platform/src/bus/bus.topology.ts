import {
  DLQ_QUEUE,
  EVENT_KEYS,
  EXCHANGES,
  NOTIFY_CHANNELS,
  RENDER_QUEUE_ARGUMENTS,
  RENDER_QUEUES,
} from '@flatrender/contracts';
import { MessageValidationError, type SubscribeSpec } from './bus';
import { topicMatches } from './topic-pattern';

// The broker topology of the catalog, described once and applied by both adapters (RabbitMQ declares
// it, the in-process broker builds it), so the two cannot disagree on a name, a type or a binding.

export type ExchangeType = 'topic' | 'direct' | 'fanout';

export interface ExchangeDeclaration {
  name: string;
  type: ExchangeType;
}

export interface QueueDeclaration {
  name: string;
  /** AMQP queue arguments; the in-process broker honours `x-max-priority` like RabbitMQ. */
  arguments?: Readonly<Record<string, string | number>>;
  /** Private to the declaring connection and deleted with it (render-node listeners). */
  transient?: boolean;
}

export interface BindingDeclaration {
  queue: string;
  exchange: string;
  /** Exact key on direct exchanges, pattern on topic exchanges, ignored by fanout exchanges. */
  routingKey: string;
}

export interface Topology {
  exchanges: readonly ExchangeDeclaration[];
  queues: readonly QueueDeclaration[];
  bindings: readonly BindingDeclaration[];
}

/** Everything that exists before any service subscribes: exchanges, dispatch queues and the DLQ. */
export const BUS_TOPOLOGY: Topology = {
  exchanges: Object.values(EXCHANGES).map(({ name, type }) => ({ name, type })),
  queues: [
    ...RENDER_QUEUES.map((name) => ({ name, arguments: RENDER_QUEUE_ARGUMENTS })),
    ...NOTIFY_CHANNELS.map((name) => ({ name })),
    { name: DLQ_QUEUE },
  ],
  bindings: [
    ...RENDER_QUEUES.map((queue) => ({ queue, exchange: EXCHANGES.render.name, routingKey: queue })),
    ...NOTIFY_CHANNELS.map((queue) => ({ queue, exchange: EXCHANGES.notify.name, routingKey: queue })),
    { queue: DLQ_QUEUE, exchange: EXCHANGES.dlq.name, routingKey: '' },
  ],
};

export interface SubscriptionTopology {
  queue: QueueDeclaration;
  exchange: ExchangeDeclaration;
  bindings: BindingDeclaration[];
}

/**
 * What `subscribe` declares: a queue of the static topology as it is, or an events queue bound to its
 * patterns on `flatrender.events`. A pattern that matches no catalog key is a typo that would
 * silently receive nothing, so it fails the subscription (and with it the service's start-up).
 */
export function subscriptionTopology(spec: SubscribeSpec): SubscriptionTopology {
  const known = BUS_TOPOLOGY.queues.find((q) => q.name === spec.queue);
  if (known) {
    if (spec.bindings?.length) {
      throw new MessageValidationError(
        `queue "${spec.queue}" has fixed bindings; bindings are for events queues`,
      );
    }
    const bindings = BUS_TOPOLOGY.bindings.filter((b) => b.queue === spec.queue);
    const exchange = BUS_TOPOLOGY.exchanges.find((e) => e.name === bindings[0]?.exchange);
    if (!exchange) throw new Error(`topology: queue "${spec.queue}" has no exchange`);
    if (spec.transient)
      throw new MessageValidationError(`queue "${spec.queue}" is shared and cannot be transient`);
    return { queue: known, exchange, bindings };
  }
  if (!spec.bindings?.length) {
    throw new MessageValidationError(`events queue "${spec.queue}" needs at least one binding`);
  }
  if (spec.queue.endsWith('.retry')) {
    throw new MessageValidationError(`queue name "${spec.queue}" is reserved for retry delays`);
  }
  for (const pattern of spec.bindings) {
    if (!EVENT_KEYS.some((key) => topicMatches(pattern, key))) {
      throw new MessageValidationError(
        `binding "${pattern}" of queue "${spec.queue}" matches no catalog event`,
      );
    }
  }
  return {
    queue: { name: spec.queue, ...(spec.transient ? { transient: true } : {}) },
    exchange: { name: EXCHANGES.events.name, type: EXCHANGES.events.type },
    bindings: spec.bindings.map((routingKey) => ({
      queue: spec.queue,
      exchange: EXCHANGES.events.name,
      routingKey,
    })),
  };
}
