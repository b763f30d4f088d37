import type { DispatchKey, Envelope } from '@flatrender/contracts';

/**
 * The one seam through which services talk asynchronously. Two adapters implement it
 * (RabbitMQ and in-process) and both pass the same contract suite, so they cannot drift.
 */
export interface Bus {
  /**
   * Publishes a domain event on `flatrender.events` with the routing key `envelope.event_type`.
   * Validates envelope and data against the catalog first (throws `MessageValidationError`).
   * Resolves only once the broker has confirmed the message (persistent delivery).
   */
  publish(envelope: Envelope, options?: PublishOptions): Promise<void>;
  /**
   * Sends a work item on `flatrender.render` or `flatrender.notify` (chosen by the key) to the queue
   * of the same name. `priority` 0-10 orders render queues (higher first).
   */
  dispatch(routingKey: DispatchKey, envelope: Envelope, options?: DispatchOptions): Promise<void>;
  /** Starts consuming; the handler's resolve acks, its rejection retries (then dead-letters). */
  subscribe(spec: SubscribeSpec, handler: MessageHandler): Promise<Subscription>;
  /** Stops consuming, waits for in-flight handlers and confirms, then closes connections. */
  close(): Promise<void>;
}

export interface PublishOptions {
  /** Extra AMQP headers; the required catalog headers are always set by the adapter. */
  headers?: Record<string, string | number>;
}

export interface DispatchOptions extends PublishOptions {
  priority?: number;
}

export interface SubscribeSpec {
  /** `<service>.events` for domain events, or a dispatch queue (`render.queue.vip`), or `flatrender.dlq`. */
  queue: string;
  /** Binding patterns on `flatrender.events` (topic: `*` one word, `#` zero or more); events queues only. */
  bindings?: readonly string[];
  /** Unacknowledged deliveries in flight at once; 1 for render work. */
  prefetch?: number;
  /** Overrides the `x-max-retries` default of 3 for messages that do not carry the header. */
  maxRetries?: number;
  /**
   * A queue private to one process (for instance a render node's cancel listener): exclusive,
   * deleted when its consumer goes. Durable otherwise.
   */
  transient?: boolean;
}

export interface DeliveredMessage {
  routingKey: string;
  /** Validated against the catalog, except on `flatrender.dlq` where anything may arrive (see `body`). */
  envelope: Envelope;
  /** The decoded body as received (JSON value, or the text when it was not JSON). */
  body: unknown;
  headers: Record<string, unknown>;
  /** Value of `x-retry-count` (0 on first delivery). */
  retryCount: number;
  /** The broker redelivered it after a consumer died without acking. */
  redelivered: boolean;
  priority?: number;
}

export type MessageHandler = (message: DeliveredMessage) => Promise<void>;

export interface Subscription {
  readonly queue: string;
  /** Stops taking new messages and waits for the in-flight ones to settle. */
  cancel(): Promise<void>;
}

export class MessageValidationError extends Error {
  readonly code = 'invalid_message';
}
