import { ConfigError } from '../config';
import type { Bus } from './bus';
import type { BusOptions } from './bus.options';
import type { InProcessBroker } from './in-process.broker';
import { InProcessBus, processBroker } from './in-process.bus';
import { RabbitMqBus } from './rabbitmq.bus';

export interface CreateBusOptions extends BusOptions {
  /** RabbitMQ when set (`AMQP_URL`), the in-process bus otherwise. */
  amqpUrl?: string | undefined;
  /** Names the RabbitMQ connection (`rabbitmqctl list_connections name`). */
  connectionName?: string;
  /** In-process only: the broker to attach to; the process-wide one by default. */
  broker?: InProcessBroker;
}

/** A bus plus what its owner (the process, or a test) may do beyond the `Bus` seam. */
export interface ManagedBus extends Bus {
  readonly kind: 'rabbitmq' | 'in-process';
  /** Kills the connection like a crash: no acks, no reconnect; the broker redelivers what was in flight. */
  destroy(): void;
}

export async function createBus(options: CreateBusOptions = {}): Promise<ManagedBus> {
  const { amqpUrl, broker, connectionName, ...common } = options;
  if (!amqpUrl) return new InProcessBus(broker ?? processBroker(), common);
  try {
    return await RabbitMqBus.connect({
      ...common,
      url: amqpUrl,
      ...(connectionName ? { connectionName } : {}),
    });
  } catch (error) {
    throw new ConfigError(
      'AMQP_URL',
      `cannot be reached (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
