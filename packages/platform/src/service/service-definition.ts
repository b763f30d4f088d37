import type { DispatchKey, EventKey, MessageData, MessageEnvelope, MessageKey } from '@flatrender/contracts';
import type { Registry } from 'prom-client';
import type { BlobStore } from '../blob';
import type { Bus, DeliveredMessage } from '../bus';
import type { PlatformConfig } from '../config';
import type { Database, ScopedDatabase, Tx } from '../db';
import type { ReadinessCheck } from '../http/health.routes';
import type { HttpServer } from '../http/http-server';
import type { Logger } from '../log/logger';
import type { EnvelopeActor } from './envelope.factory';
import type { InternalClient } from './internal-client';

export type ServiceName =
  | 'gateway'
  | 'identity'
  | 'content'
  | 'studio'
  | 'file'
  | 'render'
  | 'notification'
  | 'render-node';

/**
 * What a service is, in one object exported from its `src/index.ts`: its schema and migrations, and a
 * `setup` that builds its parts from the platform's adapters. The host runs it the same way in the
 * one-process mode and as its own process; only the adapters in the context differ.
 */
export interface ServiceDefinition {
  name: ServiceName;
  /** The envelope `producer` (the render service publishes as `render-orchestrator`). */
  producer?: string;
  /** The PostgreSQL schema the service owns; stateless services have none. */
  schema?: string;
  /** Folder of `NNNN_name.sql` migrations for `schema`. */
  migrationsDir?: string;
  setup(context: ServiceContext): Promise<ServiceParts> | ServiceParts;
}

export interface ServiceContext {
  name: ServiceName;
  producer: string;
  config: PlatformConfig;
  logger: Logger;
  metrics: Registry;
  bus: Bus;
  blobs: BlobStore;
  /** Calls other services' `/internal/` routes (in-process or over HTTP, signed). */
  internal: InternalClient;
  /** The shared platform secret (signing internal calls and links); never logged. */
  secret: string;
  /** The whole database (owner-level; migrations and checks only). Absent for stateless services. */
  database?: Database;
  /** The service's own schema, with tenant- and system-scoped transactions. */
  db?: ScopedDatabase;
  /** A catalog envelope from this service, carrying the current trace. */
  envelope<K extends MessageKey>(key: K, data: MessageData<K>, actor?: EnvelopeActor): MessageEnvelope<K>;
  /** Publishes in `tx`'s commit through the outbox (the only way services announce state changes). */
  emit<K extends MessageKey>(
    tx: Tx,
    key: K,
    data: MessageData<K>,
    actor?: EnvelopeActor & { priority?: number },
  ): Promise<MessageEnvelope<K>>;
}

/** Context given to an event handler; `tx` is the inbox transaction (services with a schema). */
export interface EventHandlerContext {
  message: DeliveredMessage;
  tx?: Tx;
}

export type EventHandler<K extends EventKey = EventKey> = (
  envelope: MessageEnvelope<K>,
  context: EventHandlerContext,
) => Promise<void>;

export type EventHandlers = { [K in EventKey]?: EventHandler<K> };

export interface WorkerSpec {
  /** A dispatch queue (`render.queue.vip`, `notify.channel.email`). */
  queue: DispatchKey;
  prefetch?: number;
  /** Retries before dead-lettering, for messages that carry no `x-max-retries` (default: the bus's). */
  maxRetries?: number;
  handle(message: DeliveredMessage): Promise<void>;
}

export interface ServiceParts {
  /** Registers the service's HTTP routes (full paths such as `/v1/projects`). */
  routes?(app: HttpServer): void | Promise<void>;
  /** Domain events consumed through the service's durable queue `<service>.events`, once each. */
  events?: EventHandlers;
  /** Work queues the service consumes. */
  workers?: readonly WorkerSpec[];
  /** Extra readiness checks for `/readyz`. */
  readiness?: Record<string, ReadinessCheck>;
  /**
   * Loads demo and reference data (`flatrender seed`, and `flatrender start` on an empty database).
   * Idempotent: running it twice changes nothing.
   */
  seed?(): Promise<void>;
  /** Starts schedulers and loops after routes and consumers are in place. */
  start?(): Promise<void>;
  /** Stops what `start` started; in-flight work finishes first. */
  stop?(): Promise<void>;
}

export function defineService(definition: ServiceDefinition): ServiceDefinition {
  return definition;
}
