import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per process; every service running in it adds its metrics here, labelled by service
 * where the same metric exists in several. `/metrics` serves it.
 */
export function createMetricsRegistry(options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'flatrender_' });
  return registry;
}

/** Returns the metric registered under `name`, creating it once (services share one registry). */
export function counter(registry: Registry, name: string, help: string, labelNames: readonly string[] = []) {
  return (
    (registry.getSingleMetric(name) as Counter<string> | undefined) ??
    new Counter({ name, help, labelNames: [...labelNames], registers: [registry] })
  );
}

export function gauge(registry: Registry, name: string, help: string, labelNames: readonly string[] = []) {
  return (
    (registry.getSingleMetric(name) as Gauge<string> | undefined) ??
    new Gauge({ name, help, labelNames: [...labelNames], registers: [registry] })
  );
}

export function histogram(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[] = [],
  buckets?: number[],
) {
  return (
    (registry.getSingleMetric(name) as Histogram<string> | undefined) ??
    new Histogram({
      name,
      help,
      labelNames: [...labelNames],
      registers: [registry],
      ...(buckets ? { buckets } : {}),
    })
  );
}

export type { Registry };
