import type {
  BindingDeclaration,
  ExchangeDeclaration,
  ExchangeType,
  QueueDeclaration,
  Topology,
} from './bus.topology';
import { topicMatches } from './topic-pattern';

/** AMQP basic properties the bus uses; kept so tests can inspect what an adapter really sent. */
export interface BrokerProperties {
  contentType?: string;
  contentEncoding?: string;
  /** 2 = persistent, as on RabbitMQ. */
  deliveryMode?: 1 | 2;
  priority?: number;
  messageId?: string;
}

export interface BrokerMessage {
  exchange: string;
  routingKey: string;
  /** The body as text: every delivery hands out the same immutable string, never a shared object. */
  content: string;
  headers: Record<string, unknown>;
  properties: BrokerProperties;
  redelivered: boolean;
}

export type PublishedMessage = Pick<BrokerMessage, 'content' | 'headers' | 'properties'>;

interface BrokerExchange {
  type: ExchangeType;
  bindings: Array<{ queue: string; routingKey: string }>;
}

interface BrokerQueue {
  declaration: QueueDeclaration;
  /** Connection owning a transient queue; the queue goes when the connection or its last consumer goes. */
  owner?: string;
  /** One FIFO per priority level; level 0 only unless the queue has `x-max-priority`. */
  levels: BrokerMessage[][];
  consumers: BrokerConsumer[];
  nextConsumer: number;
}

interface BrokerConsumer {
  id: number;
  queue: string;
  connection: string;
  prefetch: number;
  active: boolean;
  unacked: Map<number, BrokerMessage>;
  deliver: (message: BrokerMessage, tag: number) => void;
}

/**
 * An in-memory AMQP 0-9-1 broker for the one-process mode: the exchange types, priorities, prefetch,
 * acknowledgements and redelivery of RabbitMQ that the bus relies on, and nothing else. One instance is
 * shared by every bus of the process, as one RabbitMQ server is shared by every service.
 */
export class InProcessBroker {
  private readonly exchanges = new Map<string, BrokerExchange>();
  private readonly queues = new Map<string, BrokerQueue>();
  private readonly consumers = new Map<number, BrokerConsumer>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextId = 1;

  applyTopology(topology: Topology): void {
    for (const exchange of topology.exchanges) this.declareExchange(exchange);
    for (const queue of topology.queues) this.declareQueue(queue);
    for (const binding of topology.bindings) this.bindQueue(binding);
  }

  /** Idempotent; a different type for an existing name fails as on RabbitMQ (PRECONDITION_FAILED). */
  declareExchange({ name, type }: ExchangeDeclaration): void {
    const existing = this.exchanges.get(name);
    if (existing && existing.type !== type) {
      throw new Error(`exchange "${name}" exists with type ${existing.type}, not ${type}`);
    }
    if (!existing) this.exchanges.set(name, { type, bindings: [] });
  }

  /** Idempotent; different arguments for an existing queue fail as on RabbitMQ. */
  declareQueue(declaration: QueueDeclaration, connection?: string): void {
    const existing = this.queues.get(declaration.name);
    if (existing) {
      const same =
        sameArguments(existing.declaration.arguments, declaration.arguments) &&
        Boolean(existing.declaration.transient) === Boolean(declaration.transient);
      if (!same) throw new Error(`queue "${declaration.name}" exists with different arguments`);
      if (existing.owner && existing.owner !== connection) {
        throw new Error(`queue "${declaration.name}" is exclusive to another connection`);
      }
      return;
    }
    const maxPriority = Number(declaration.arguments?.['x-max-priority'] ?? 0);
    const levels = Array.from({ length: maxPriority + 1 }, () => [] as BrokerMessage[]);
    this.queues.set(declaration.name, {
      declaration,
      ...(declaration.transient ? { owner: connection } : {}),
      levels,
      consumers: [],
      nextConsumer: 0,
    });
  }

  bindQueue({ queue, exchange, routingKey }: BindingDeclaration): void {
    const target = this.exchanges.get(exchange);
    if (!target) throw new Error(`no exchange "${exchange}"`);
    if (!this.queues.has(queue)) throw new Error(`no queue "${queue}"`);
    if (!target.bindings.some((b) => b.queue === queue && b.routingKey === routingKey)) {
      target.bindings.push({ queue, routingKey });
    }
  }

  hasQueue(queue: string): boolean {
    return this.queues.has(queue);
  }

  messageCount(queue: string): number {
    return this.messageCountOf(this.requireQueue(queue));
  }

  /** Active consumers of the queue (as RabbitMQ's consumer count). */
  consumerCount(queue: string): number {
    return this.requireQueue(queue).consumers.filter((c) => c.active).length;
  }

  /**
   * Routes a message to every matching queue (each gets its own copy once); `''` is the default
   * exchange that routes to the queue named by the key. Unroutable messages are dropped, as on
   * RabbitMQ without `mandatory`. Returns the number of queues reached.
   */
  publish(exchange: string, routingKey: string, message: PublishedMessage): number {
    const targets = this.route(exchange, routingKey);
    for (const queue of targets) {
      this.enqueue(this.requireQueue(queue), {
        exchange,
        routingKey,
        content: message.content,
        headers: structuredClone(message.headers),
        properties: { ...message.properties },
        redelivered: false,
      });
    }
    return targets.size;
  }

  /** Publishes after `delayMs`; the delay lives in the broker, so it survives the publisher's connection. */
  publishLater(delayMs: number, exchange: string, routingKey: string, message: PublishedMessage): void {
    const copy = {
      ...message,
      headers: structuredClone(message.headers),
      properties: { ...message.properties },
    };
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.publish(exchange, routingKey, copy);
    }, delayMs);
    this.timers.add(timer);
  }

  /** Takes one message without a consumer (basic.get with auto-ack), for inspection. */
  get(queue: string): BrokerMessage | undefined {
    const message = this.dequeue(this.requireQueue(queue));
    return message && { ...message, headers: structuredClone(message.headers) };
  }

  /** Starts a consumer; `deliver` is called asynchronously with a copy and a tag to `ack`. */
  consume(
    queue: string,
    connection: string,
    prefetch: number,
    deliver: (message: BrokerMessage, tag: number) => void,
  ): number {
    const q = this.requireQueue(queue);
    if (q.owner && q.owner !== connection)
      throw new Error(`queue "${queue}" is exclusive to another connection`);
    const consumer: BrokerConsumer = {
      id: this.nextId++,
      queue,
      connection,
      prefetch: Math.max(1, prefetch),
      active: true,
      unacked: new Map(),
      deliver,
    };
    this.consumers.set(consumer.id, consumer);
    q.consumers.push(consumer);
    this.pump(q);
    return consumer.id;
  }

  /** A tag of a consumer that is gone (its connection dropped) is ignored, as a stale ack would be. */
  ack(consumerId: number, tag: number): void {
    const consumer = this.consumers.get(consumerId);
    if (!consumer?.unacked.delete(tag)) return;
    const q = this.queues.get(consumer.queue);
    if (q) this.pump(q);
  }

  /** Gives a delivery back to its queue at the head of its priority, marked redelivered. */
  requeue(consumerId: number, tag: number): void {
    const consumer = this.consumers.get(consumerId);
    const message = consumer?.unacked.get(tag);
    if (!consumer || !message) return;
    consumer.unacked.delete(tag);
    const q = this.queues.get(consumer.queue);
    if (q) this.enqueue(q, { ...message, redelivered: true }, true);
  }

  /** basic.cancel: no new deliveries; the ones in flight may still be acknowledged. */
  cancel(consumerId: number): void {
    const consumer = this.consumers.get(consumerId);
    if (consumer) consumer.active = false;
  }

  /** Ends a consumer: what it did not acknowledge goes back to the queue as redelivered. */
  closeConsumer(consumerId: number): void {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) return;
    this.consumers.delete(consumerId);
    const q = this.queues.get(consumer.queue);
    if (!q) return;
    q.consumers = q.consumers.filter((c) => c !== consumer);
    const unacked = [...consumer.unacked.values()].reverse();
    for (const message of unacked) this.enqueue(q, { ...message, redelivered: true }, true);
    if (q.owner && q.consumers.length === 0) this.deleteQueue(consumer.queue);
  }

  /** A connection died: its consumers end (redelivering their unacknowledged messages), its transient queues go. */
  closeConnection(connection: string): void {
    for (const consumer of [...this.consumers.values()]) {
      if (consumer.connection === connection) this.closeConsumer(consumer.id);
    }
    for (const [name, q] of this.queues) {
      if (q.owner === connection) this.deleteQueue(name);
    }
  }

  /** Drops pending delayed publishes; the broker is unusable for delays afterwards. */
  shutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private deleteQueue(name: string): void {
    this.queues.delete(name);
    for (const exchange of this.exchanges.values()) {
      exchange.bindings = exchange.bindings.filter((b) => b.queue !== name);
    }
  }

  private route(exchange: string, routingKey: string): Set<string> {
    if (exchange === '') return new Set(this.queues.has(routingKey) ? [routingKey] : []);
    const target = this.exchanges.get(exchange);
    if (!target) throw new Error(`no exchange "${exchange}"`);
    const matches = target.bindings.filter((b) =>
      target.type === 'fanout'
        ? true
        : target.type === 'direct'
          ? b.routingKey === routingKey
          : topicMatches(b.routingKey, routingKey),
    );
    return new Set(matches.map((b) => b.queue));
  }

  private requireQueue(name: string): BrokerQueue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`no queue "${name}"`);
    return q;
  }

  private level(q: BrokerQueue, message: BrokerMessage): BrokerMessage[] {
    const max = q.levels.length - 1;
    const priority = Math.min(max, Math.max(0, Math.trunc(message.properties.priority ?? 0)));
    return q.levels[priority] as BrokerMessage[];
  }

  private enqueue(q: BrokerQueue, message: BrokerMessage, atHead = false): void {
    const level = this.level(q, message);
    if (atHead) level.unshift(message);
    else level.push(message);
    this.pump(q);
  }

  /** Highest priority first, FIFO within a priority. */
  private dequeue(q: BrokerQueue): BrokerMessage | undefined {
    for (let p = q.levels.length - 1; p >= 0; p--) {
      const message = q.levels[p]?.shift();
      if (message) return message;
    }
    return undefined;
  }

  /** Hands messages to consumers with room under their prefetch, round-robin. */
  private pump(q: BrokerQueue): void {
    while (this.messageCountOf(q) > 0) {
      const consumer = this.nextFreeConsumer(q);
      if (!consumer) return;
      const message = this.dequeue(q) as BrokerMessage;
      const tag = this.nextId++;
      consumer.unacked.set(tag, message);
      const copy = {
        ...message,
        headers: structuredClone(message.headers),
        properties: { ...message.properties },
      };
      // Delivered on a later tick, as from a socket: a publisher never runs a handler on its own stack.
      setImmediate(() => {
        if (this.consumers.get(consumer.id) === consumer && consumer.unacked.has(tag))
          consumer.deliver(copy, tag);
      });
    }
  }

  private nextFreeConsumer(q: BrokerQueue): BrokerConsumer | undefined {
    for (let i = 0; i < q.consumers.length; i++) {
      const index = (q.nextConsumer + i) % q.consumers.length;
      const consumer = q.consumers[index] as BrokerConsumer;
      if (consumer.active && consumer.unacked.size < consumer.prefetch) {
        q.nextConsumer = index + 1;
        return consumer;
      }
    }
    return undefined;
  }

  private messageCountOf(q: BrokerQueue): number {
    return q.levels.reduce((sum, level) => sum + level.length, 0);
  }
}

function sameArguments(
  a: QueueDeclaration['arguments'] = {},
  b: QueueDeclaration['arguments'] = {},
): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}
