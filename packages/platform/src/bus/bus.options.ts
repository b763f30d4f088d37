import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createLogger } from '../log';
import { type BusMetrics, createBusMetrics } from './bus.metrics';
import { type BackoffOptions, DEFAULT_BACKOFF } from './retry.policy';

/** Options both adapters take. */
export interface BusOptions {
  logger?: Logger;
  /** Counters for published, consumed, retried and dead-lettered messages are created on it. */
  registry?: Registry;
  /** Delay before the first retry of a failed message (doubles per retry); 1 s by default. */
  backoffBaseMs?: number;
  /** Longest retry delay; 60 s by default. */
  backoffCapMs?: number;
  /** Prefetch of subscriptions that do not set one. Render work sets 1. */
  defaultPrefetch?: number;
}

export const DEFAULT_PREFETCH = 10;

export interface ResolvedBusOptions {
  logger: Logger;
  metrics: BusMetrics;
  backoff: BackoffOptions;
  defaultPrefetch: number;
}

export function resolveBusOptions(options: BusOptions): ResolvedBusOptions {
  return {
    logger: options.logger ?? createLogger({ service: 'bus' }),
    metrics: createBusMetrics(options.registry),
    backoff: {
      backoffBaseMs: options.backoffBaseMs ?? DEFAULT_BACKOFF.backoffBaseMs,
      backoffCapMs: options.backoffCapMs ?? DEFAULT_BACKOFF.backoffCapMs,
    },
    defaultPrefetch: options.defaultPrefetch ?? DEFAULT_PREFETCH,
  };
}
