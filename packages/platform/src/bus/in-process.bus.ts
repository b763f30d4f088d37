import {
  CONTENT_ENCODING,
  CONTENT_TYPE,
  type DispatchKey,
  DLQ_QUEUE,
  type Envelope,
  EXCHANGES,
} from '@flatrender/contracts';
import type {
  Bus,
  DispatchOptions,
  MessageHandler,
  PublishOptions,
  SubscribeSpec,
  Subscription,
} from './bus';
import { encodeDispatch, encodeEvent, type OutgoingMessage } from './bus.codec';
import type { QueueSample } from './bus.metrics';
import { type BusOptions, type ResolvedBusOptions, resolveBusOptions } from './bus.options';
import { BUS_TOPOLOGY, subscriptionTopology } from './bus.topology';
import { processDelivery } from './delivery.processor';
import { type BrokerMessage, InProcessBroker, type PublishedMessage } from './in-process.broker';

let sharedBroker: InProcessBroker | undefined;

/** The broker of this process: every in-process bus created without one talks to it. */
export function processBroker(): InProcessBroker {
  sharedBroker ??= new InProcessBroker();
  return sharedBroker;
}

let connections = 0;

/**
 * The bus of the one-process mode. Each instance is one "connection" to a shared in-memory broker, so
 * services of one process reach each other exactly as over RabbitMQ (routing, priorities, prefetch,
 * retries with backoff, DLQ, redelivery when a connection dies). Nothing survives the process.
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process';
  readonly connection = `in-process-${++connections}`;
  private readonly settings: ResolvedBusOptions;
  private readonly subscriptions = new Set<InProcessSubscription>();
  private state: 'open' | 'closing' | 'closed' = 'open';
  private readonly unwatchQueues: () => void;

  constructor(
    readonly broker: InProcessBroker = processBroker(),
    options: BusOptions = {},
  ) {
    this.settings = resolveBusOptions(options);
    broker.applyTopology(BUS_TOPOLOGY);
    this.unwatchQueues = this.settings.metrics.watchQueues(async () => this.sampleQueues());
  }

  async publish(envelope: Envelope, options?: PublishOptions): Promise<void> {
    this.send(encodeEvent(envelope, options));
  }

  async dispatch(routingKey: DispatchKey, envelope: Envelope, options?: DispatchOptions): Promise<void> {
    this.send(encodeDispatch(routingKey, envelope, options));
  }

  async subscribe(spec: SubscribeSpec, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    const topology = subscriptionTopology(spec);
    const subscription = new InProcessSubscription(this, spec, handler, topology, this.settings, () =>
      this.subscriptions.delete(subscription),
    );
    subscription.attach();
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.unwatchQueues();
    await Promise.all([...this.subscriptions].map((s) => s.cancel()));
    this.broker.closeConnection(this.connection);
    this.state = 'closed';
  }

  /** Dies like a crashed process: nothing more is acknowledged, the broker redelivers what was in flight. */
  destroy(): void {
    this.state = 'closed';
    this.unwatchQueues();
    for (const subscription of this.subscriptions) subscription.detach();
    this.subscriptions.clear();
    this.broker.closeConnection(this.connection);
  }

  /**
   * Simulates a dropped connection that the client re-establishes: the broker redelivers what was in
   * flight and the subscriptions resume on new consumers. Acks of the old deliveries are lost.
   */
  dropConnection(): void {
    this.broker.closeConnection(this.connection);
    setImmediate(() => {
      if (this.state === 'closed') return;
      for (const subscription of this.subscriptions) subscription.attach();
    });
  }

  /** Depth and consumers of the queues this bus consumes and of the DLQ, for /metrics. */
  private sampleQueues(): QueueSample[] {
    const queues = new Set([...this.subscriptions].map((s) => s.queue));
    queues.add(DLQ_QUEUE);
    return [...queues]
      .filter((queue) => this.broker.hasQueue(queue))
      .map((queue) => ({
        queue,
        messages: this.broker.messageCount(queue),
        consumers: this.broker.consumerCount(queue),
      }));
  }

  private send(message: OutgoingMessage): void {
    this.assertOpen();
    this.broker.publish(message.exchange, message.routingKey, toBrokerMessage(message));
    this.settings.metrics.published(message.routingKey);
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error('bus is closed');
  }
}

class InProcessSubscription implements Subscription {
  private consumerId = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private cancelling?: Promise<void>;

  constructor(
    private readonly bus: InProcessBus,
    private readonly spec: SubscribeSpec,
    private readonly handler: MessageHandler,
    private readonly topology: ReturnType<typeof subscriptionTopology>,
    private readonly settings: ResolvedBusOptions,
    private readonly onClosed: () => void,
  ) {}

  get queue(): string {
    return this.spec.queue;
  }

  /** Declares queue and bindings (again after a dropped connection) and starts a consumer. */
  attach(): void {
    const { broker, connection } = this.bus;
    broker.declareExchange(this.topology.exchange);
    broker.declareQueue(this.topology.queue, connection);
    for (const binding of this.topology.bindings) broker.bindQueue(binding);
    const prefetch = this.spec.prefetch ?? this.settings.defaultPrefetch;
    const consumerId = broker.consume(this.spec.queue, connection, prefetch, (message, tag) =>
      this.track(this.deliver(consumerId, message, tag)),
    );
    this.consumerId = consumerId;
  }

  /** Forgets the consumer without acknowledging anything (the connection died). */
  detach(): void {
    this.consumerId = 0;
  }

  cancel(): Promise<void> {
    this.cancelling ??= (async () => {
      const { broker } = this.bus;
      broker.cancel(this.consumerId);
      while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
      broker.closeConsumer(this.consumerId);
      this.onClosed();
    })();
    return this.cancelling;
  }

  private async deliver(consumerId: number, message: BrokerMessage, tag: number): Promise<void> {
    const { broker } = this.bus;
    const published = (headers: Record<string, unknown>): PublishedMessage => ({
      content: message.content,
      headers,
      properties: message.properties,
    });
    try {
      await processDelivery(
        { spec: this.spec, handler: this.handler, ...this.settings },
        {
          routingKey: message.routingKey,
          content: message.content,
          headers: message.headers,
          redelivered: message.redelivered,
          ...(message.properties.priority !== undefined ? { priority: message.properties.priority } : {}),
        },
        {
          retry: async (delayMs, headers) =>
            broker.publishLater(delayMs, '', this.spec.queue, published(headers)),
          deadLetter: async (routingKey, headers) => {
            broker.publish(EXCHANGES.dlq.name, routingKey, published(headers));
          },
        },
      );
      if (this.consumerId === consumerId) broker.ack(consumerId, tag);
    } catch (error) {
      this.settings.logger.error(
        { queue: this.spec.queue, err: error },
        'bus: could not settle a failed message',
      );
      if (this.consumerId === consumerId) broker.requeue(consumerId, tag);
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}

function toBrokerMessage(message: OutgoingMessage): PublishedMessage {
  return {
    content: message.content,
    headers: message.headers,
    properties: {
      contentType: CONTENT_TYPE,
      contentEncoding: CONTENT_ENCODING,
      deliveryMode: 2,
      messageId: message.messageId,
      ...(message.priority !== undefined ? { priority: message.priority } : {}),
    },
  };
}
