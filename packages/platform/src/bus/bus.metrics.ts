import { isMessageKey } from '@flatrender/contracts';
import { Registry } from 'prom-client';
import { counter } from '../metrics';

/** Counters per routing key (and queue on the consuming side), shared by both adapters. */
export interface BusMetrics {
  published(routingKey: string): void;
  consumed(routingKey: string, queue: string): void;
  retried(routingKey: string, queue: string): void;
  deadLettered(routingKey: string, queue: string): void;
}

export function createBusMetrics(registry: Registry = new Registry()): BusMetrics {
  const published = counter(registry, 'flatrender_bus_published_total', 'Messages confirmed by the broker', [
    'routing_key',
  ]);
  const consumed = counter(registry, 'flatrender_bus_consumed_total', 'Messages handled and acknowledged', [
    'routing_key',
    'queue',
  ]);
  const retried = counter(
    registry,
    'flatrender_bus_retried_total',
    'Messages sent back for a delayed retry',
    ['routing_key', 'queue'],
  );
  const deadLettered = counter(
    registry,
    'flatrender_bus_dead_lettered_total',
    'Messages moved to flatrender.dlq after their last retry',
    ['routing_key', 'queue'],
  );
  // A raw publisher can send any routing key; only catalog keys become label values.
  const key = (routingKey: string) => (isMessageKey(routingKey) ? routingKey : 'unknown');
  return {
    published: (routingKey) => published.inc({ routing_key: key(routingKey) }),
    consumed: (routingKey, queue) => consumed.inc({ routing_key: key(routingKey), queue }),
    retried: (routingKey, queue) => retried.inc({ routing_key: key(routingKey), queue }),
    deadLettered: (routingKey, queue) => deadLettered.inc({ routing_key: key(routingKey), queue }),
  };
}
