import { isMessageKey } from '@flatrender/contracts';
import { type Gauge, Registry } from 'prom-client';
import { counter, gauge, histogram } from '../metrics';

/** Counters per routing key (and queue on the consuming side), shared by both adapters. */
export interface BusMetrics {
  published(routingKey: string): void;
  consumed(routingKey: string, queue: string): void;
  retried(routingKey: string, queue: string): void;
  deadLettered(routingKey: string, queue: string): void;
  /** Seconds from the envelope's `event_time` to the start of its handling (consumer lag). */
  lag(queue: string, seconds: number): void;
  /**
   * Reports the depth and consumers of queues at scrape time through `sample` (each adapter asks
   * its broker); returns the function that stops it (the bus closes).
   */
  watchQueues(sample: QueueSampler): () => void;
}

export interface QueueSample {
  queue: string;
  /** Messages ready for delivery (not counting those delivered and not yet acknowledged). */
  messages: number;
  consumers: number;
}

export type QueueSampler = () => Promise<QueueSample[]>;

/** A scrape must answer even when the broker does not: samples slower than this are left out. */
const SAMPLE_TIMEOUT_MS = 2000;

/** The samplers of each registry: several buses may share one (tests, or a process with two). */
const samplersOf = new WeakMap<Registry, Set<QueueSampler>>();

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
  const lag = histogram(
    registry,
    'flatrender_bus_consume_lag_seconds',
    'Seconds from an event (or work item) being created to a consumer starting to handle it',
    ['queue'],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
  );
  const samplers = queueGauges(registry);
  // A raw publisher can send any routing key; only catalog keys become label values.
  const key = (routingKey: string) => (isMessageKey(routingKey) ? routingKey : 'unknown');
  return {
    published: (routingKey) => published.inc({ routing_key: key(routingKey) }),
    consumed: (routingKey, queue) => consumed.inc({ routing_key: key(routingKey), queue }),
    retried: (routingKey, queue) => retried.inc({ routing_key: key(routingKey), queue }),
    deadLettered: (routingKey, queue) => deadLettered.inc({ routing_key: key(routingKey), queue }),
    lag: (queue, seconds) => {
      if (Number.isFinite(seconds)) lag.observe({ queue }, Math.max(0, seconds));
    },
    watchQueues(sample) {
      samplers.add(sample);
      return () => samplers.delete(sample);
    },
  };
}

/** The two queue gauges of a registry, filled at scrape time by every sampler registered on it. */
function queueGauges(registry: Registry): Set<QueueSampler> {
  const existing = samplersOf.get(registry);
  if (existing) return existing;
  const samplers = new Set<QueueSampler>();
  samplersOf.set(registry, samplers);
  const messages = gauge(
    registry,
    'flatrender_bus_queue_messages',
    'Messages waiting in a queue this process consumes (and in flatrender.dlq), at scrape time',
    ['queue'],
  );
  const consumers = gauge(
    registry,
    'flatrender_bus_queue_consumers',
    'Consumers attached to a queue this process consumes, at scrape time',
    ['queue'],
  );
  let pending: Promise<void> | undefined;
  const collect = async () => {
    const results = await Promise.all(
      [...samplers].map((sample) => withTimeout(sample(), SAMPLE_TIMEOUT_MS).catch(() => [])),
    );
    messages.reset();
    consumers.reset();
    for (const s of results.flat()) {
      messages.set({ queue: s.queue }, s.messages);
      consumers.set({ queue: s.queue }, s.consumers);
    }
  };
  // One round of broker questions per scrape, shared by both gauges.
  const once = () => {
    pending ??= collect().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  for (const g of [messages, consumers] as Gauge<string>[])
    (g as unknown as { collect: () => Promise<void> }).collect = once;
  return samplers;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
