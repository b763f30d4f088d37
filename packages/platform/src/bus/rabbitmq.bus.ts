import { type DispatchKey, DLQ_QUEUE, type Envelope, EXCHANGES } from '@flatrender/contracts';
// rabbitmq-client rather than amqplib: it re-establishes the connection by itself and, on every new
// channel, re-declares the topology of each publisher and consumer and re-subscribes consumers;
// its publisher re-sends a message whose confirm was lost with the connection (`maxAttempts`); it
// is written in TypeScript and has no dependencies. With amqplib all of that is ours to write.
import {
  type Envelope as AmqpEnvelope,
  type AsyncMessage,
  Connection,
  type Consumer,
  ConsumerStatus,
  type Publisher,
} from 'rabbitmq-client';
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
import {
  type BindingDeclaration,
  BUS_TOPOLOGY,
  type ExchangeDeclaration,
  type QueueDeclaration,
  subscriptionTopology,
  type Topology,
} from './bus.topology';
import { processDelivery } from './delivery.processor';

export interface RabbitMqBusOptions extends BusOptions {
  /** `amqp://user:pass@host:5672/vhost` */
  url: string;
  /** Shown by `rabbitmqctl list_connections name` and the management UI. */
  connectionName?: string;
  /** Heartbeat period; a dead peer is noticed after two missed beats instead of the TCP timeout. */
  heartbeatSeconds?: number;
  /** Attempts per publish across reconnections before the publish rejects. */
  publishAttempts?: number;
  /** How long `connect` waits for the first connection. */
  connectTimeoutMs?: number;
}

export function retryQueueName(queue: string): string {
  return `${queue}.retry`;
}

const exchangeParams = ({ name, type }: ExchangeDeclaration) => ({ exchange: name, type, durable: true });

const queueParams = (queue: QueueDeclaration) => ({
  queue: queue.name,
  durable: !queue.transient,
  exclusive: Boolean(queue.transient),
  autoDelete: Boolean(queue.transient),
  ...(queue.arguments ? { arguments: { ...queue.arguments } } : {}),
});

const bindingParams = ({ queue, exchange, routingKey }: BindingDeclaration) => ({
  queue,
  exchange,
  routingKey,
});

/**
 * The delay queue of `queue`: nobody consumes it; each message expires after its own backoff and
 * is dead-lettered through the default exchange back to `queue`. A delayed message therefore never
 * holds up the messages behind it on `queue`. Expiry happens at the head of the delay queue only,
 * so a retry may wait up to the longest delay ahead of it (bounded by the backoff cap).
 */
const retryQueueParams = (queue: QueueDeclaration) => ({
  queue: retryQueueName(queue.name),
  durable: !queue.transient,
  exclusive: Boolean(queue.transient),
  arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue.name },
});

/** Declares exchanges, queues and bindings; idempotent, so every process may run it at start-up. */
export async function declareTopology(
  connection: Connection,
  topology: Topology = BUS_TOPOLOGY,
): Promise<void> {
  for (const exchange of topology.exchanges) await connection.exchangeDeclare(exchangeParams(exchange));
  for (const queue of topology.queues) await connection.queueDeclare(queueParams(queue));
  for (const binding of topology.bindings) await connection.queueBind(bindingParams(binding));
}

/** The bus over RabbitMQ: one connection per process, one confirming publisher, one channel per subscription. */
export class RabbitMqBus implements Bus {
  readonly kind = 'rabbitmq';
  readonly connection: Connection;
  private readonly settings: ResolvedBusOptions;
  private readonly publisher: Publisher;
  private readonly subscriptions = new Set<RabbitMqSubscription>();
  private readonly pendingPublishes = new Set<Promise<void>>();
  /** Retry queues known to exist on the current connection (exclusive ones vanish with it). */
  private readonly declaredRetryQueues = new Set<string>();
  private state: 'open' | 'closing' | 'closed' = 'open';
  private readonly unwatchQueues: () => void;

  /** Connects, declares the topology and returns the bus; rejects when the broker cannot be reached. */
  static async connect(options: RabbitMqBusOptions): Promise<RabbitMqBus> {
    const bus = new RabbitMqBus(options);
    try {
      await bus.connection.onConnect(options.connectTimeoutMs ?? 10_000);
      await declareTopology(bus.connection);
    } catch (error) {
      bus.destroy();
      throw error;
    }
    return bus;
  }

  private constructor(options: RabbitMqBusOptions) {
    this.settings = resolveBusOptions(options);
    const { logger } = this.settings;
    this.connection = new Connection({
      url: options.url,
      heartbeat: options.heartbeatSeconds ?? 20,
      // Nagle's algorithm held small frames (a dispatch, a confirm) for the peer's delayed ACK: about
      // 20 ms between a publish and its delivery on one host, measured; the broker's side has it off.
      noDelay: true,
      ...(options.connectionName ? { connectionName: options.connectionName } : {}),
    });
    this.connection.on('error', (err) => logger.warn({ err }, 'bus: RabbitMQ connection error'));
    this.connection.on('connection', () => this.declaredRetryQueues.clear());
    this.connection.on('connection.blocked', (reason) =>
      logger.warn({ reason }, 'bus: RabbitMQ blocks publishing'),
    );
    this.publisher = this.connection.createPublisher({
      confirm: true,
      maxAttempts: options.publishAttempts ?? 5,
      // Re-declared on every new channel, so a broker that lost its state gets the topology back.
      exchanges: BUS_TOPOLOGY.exchanges.map(exchangeParams),
      queues: BUS_TOPOLOGY.queues.map(queueParams),
      queueBindings: BUS_TOPOLOGY.bindings.map(bindingParams),
    });
    this.publisher.on('retry', (err) => logger.warn({ err }, 'bus: publish not confirmed, sending again'));
    this.unwatchQueues = this.settings.metrics.watchQueues(() => this.sampleQueues());
  }

  async publish(envelope: Envelope, options?: PublishOptions): Promise<void> {
    await this.sendOutgoing(encodeEvent(envelope, options));
  }

  async dispatch(routingKey: DispatchKey, envelope: Envelope, options?: DispatchOptions): Promise<void> {
    await this.sendOutgoing(encodeDispatch(routingKey, envelope, options));
  }

  async subscribe(spec: SubscribeSpec, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    const topology = subscriptionTopology(spec);
    await this.ensureRetryQueue(topology.queue);
    const subscription = new RabbitMqSubscription(this, spec, handler, topology, this.settings, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    try {
      await subscription.ready;
    } catch (error) {
      await subscription.cancel();
      throw error;
    }
    return subscription;
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.unwatchQueues();
    // Subscriptions first: a handler that fails still needs the publisher for its retry.
    await Promise.all([...this.subscriptions].map((s) => s.cancel()));
    while (this.pendingPublishes.size) await Promise.allSettled([...this.pendingPublishes]);
    await this.publisher.close();
    await this.connection.close();
    this.state = 'closed';
  }

  /** Dies like a crashed process: the socket goes, nothing more is acknowledged, nothing reconnects. */
  destroy(): void {
    this.state = 'closed';
    this.unwatchQueues();
    this.connection.unsafeDestroy();
    for (const subscription of this.subscriptions) subscription.abandon();
    this.subscriptions.clear();
    this.publisher.close().catch(() => {});
  }

  /** Sends with confirms; resolves once the broker has taken responsibility for the message. */
  send(envelope: AmqpEnvelope, body: Buffer): Promise<void> {
    const sent = this.publisher.send({ ...envelope, durable: true }, body);
    this.pendingPublishes.add(sent);
    void sent.catch(() => {}).finally(() => this.pendingPublishes.delete(sent));
    return sent;
  }

  /**
   * Depth and consumers of the queues this process consumes and of the DLQ, by passive declare
   * (nothing is created; a queue that is gone is left out). Read at scrape time by /metrics.
   */
  private async sampleQueues(): Promise<QueueSample[]> {
    if (this.state !== 'open') return [];
    const queues = new Set([...this.subscriptions].map((s) => s.queue));
    queues.add(DLQ_QUEUE);
    const samples: QueueSample[] = [];
    for (const queue of queues) {
      try {
        const ok = await this.connection.queueDeclare({ queue, passive: true });
        samples.push({ queue, messages: ok.messageCount, consumers: ok.consumerCount });
      } catch {
        // Deleted meanwhile (a transient queue), or the broker is away: nothing to report.
      }
    }
    return samples;
  }

  async ensureRetryQueue(queue: QueueDeclaration): Promise<void> {
    const name = retryQueueName(queue.name);
    if (this.declaredRetryQueues.has(name)) return;
    await this.connection.queueDeclare(retryQueueParams(queue));
    this.declaredRetryQueues.add(name);
  }

  private async sendOutgoing(message: OutgoingMessage): Promise<void> {
    this.assertOpen();
    await this.send(
      {
        exchange: message.exchange,
        routingKey: message.routingKey,
        contentType: message.headers['content-type'] as string,
        contentEncoding: message.headers['content-encoding'] as string,
        headers: message.headers,
        messageId: message.messageId,
        ...(message.priority !== undefined ? { priority: message.priority } : {}),
      },
      Buffer.from(message.content, 'utf8'),
    );
    this.settings.metrics.published(message.routingKey);
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error('bus is closed');
  }
}

class RabbitMqSubscription implements Subscription {
  readonly ready: Promise<void>;
  private readonly consumer: Consumer;
  private cancelling?: Promise<void>;

  constructor(
    private readonly bus: RabbitMqBus,
    private readonly spec: SubscribeSpec,
    handler: MessageHandler,
    private readonly topology: ReturnType<typeof subscriptionTopology>,
    private readonly settings: ResolvedBusOptions,
    private readonly onClosed: () => void,
  ) {
    const prefetch = spec.prefetch ?? settings.defaultPrefetch;
    this.consumer = bus.connection.createConsumer(
      {
        queue: spec.queue,
        queueOptions: queueParams(topology.queue),
        qos: { prefetchCount: prefetch },
        concurrency: prefetch,
        // Only a failed re-publish makes the callback throw; the message must then stay with the broker.
        requeue: true,
        exchanges: [exchangeParams(topology.exchange)],
        queueBindings: topology.bindings.map(bindingParams),
      },
      (message) => this.onMessage(handler, message),
    );
    this.consumer.on('error', (err) =>
      settings.logger.warn({ err, queue: spec.queue }, 'bus: consumer error (it recovers by itself)'),
    );
    this.ready = new Promise<void>((resolve, reject) => {
      const onReady = () => {
        this.consumer.off('error', onError);
        resolve();
      };
      const onError = (err: unknown) => {
        this.consumer.off('ready', onReady);
        reject(err);
      };
      this.consumer.once('ready', onReady);
      this.consumer.once('error', onError);
    });
  }

  get queue(): string {
    return this.spec.queue;
  }

  cancel(): Promise<void> {
    // The consumer's close waits for the handlers in flight and their acks.
    this.cancelling ??= this.consumer.close().finally(this.onClosed);
    return this.cancelling;
  }

  /** The connection is gone for good: stop the consumer from reconnecting, acknowledge nothing. */
  abandon(): void {
    this.consumer.close().catch(() => {});
  }

  private async onMessage(handler: MessageHandler, message: AsyncMessage): Promise<ConsumerStatus> {
    const body: unknown = message.body;
    // rabbitmq-client parses JSON itself only when no content-encoding is set (not our messages).
    const raw = Buffer.isBuffer(body)
      ? body
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const properties = {
      ...(message.contentType ? { contentType: message.contentType } : {}),
      ...(message.contentEncoding ? { contentEncoding: message.contentEncoding } : {}),
      ...(message.messageId ? { messageId: message.messageId } : {}),
      ...(message.priority !== undefined ? { priority: message.priority } : {}),
    };
    await processDelivery(
      { spec: this.spec, handler, ...this.settings },
      {
        routingKey: message.routingKey,
        content: raw.toString('utf8'),
        headers: message.headers ?? {},
        redelivered: message.redelivered,
        ...(message.priority !== undefined ? { priority: message.priority } : {}),
      },
      {
        retry: async (delayMs, headers) => {
          await this.bus.ensureRetryQueue(this.topology.queue);
          await this.bus.send(
            {
              exchange: '',
              routingKey: retryQueueName(this.spec.queue),
              expiration: String(delayMs),
              ...properties,
              headers,
            },
            raw,
          );
        },
        deadLetter: (routingKey, headers) =>
          this.bus.send({ exchange: EXCHANGES.dlq.name, routingKey, ...properties, headers }, raw),
      },
    );
    return ConsumerStatus.ACK;
  }
}
