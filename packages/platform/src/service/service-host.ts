import {
  bindingsFor,
  type EventKey,
  type MessageKey,
  SERVICES,
  type ServiceName,
  serviceEventsQueue,
} from '@flatrender/contracts';
import type { Registry } from 'prom-client';
import type { BlobStore } from '../blob';
import type { Bus, DeliveredMessage, Subscription } from '../bus';
import type { PlatformConfig } from '../config';
import { type Database, migrateService } from '../db';
import type { ReadinessCheck } from '../http/health.routes';
import type { HttpServer } from '../http/http-server';
import type { Lifecycle } from '../lifecycle';
import type { Logger } from '../log/logger';
import { newTrace, runWithTrace } from '../log/trace-context';
import { enqueue, handleOnce, OutboxRelay } from '../outbox';
import { createEnvelope } from './envelope.factory';
import type { InternalClient } from './internal-client';
import type { EventHandler, ServiceContext, ServiceDefinition, ServiceParts } from './service-definition';

/** The adapters one process shares between the services it runs. */
export interface Infrastructure {
  config: PlatformConfig;
  logger: Logger;
  metrics: Registry;
  lifecycle: Lifecycle;
  bus: Bus;
  blobs: BlobStore;
  internal: InternalClient;
  secret: string;
  database?: Database;
}

export interface StartedService {
  definition: ServiceDefinition;
  context: ServiceContext;
  parts: ServiceParts;
  readiness: Record<string, ReadinessCheck>;
}

export class ServiceStartError extends Error {
  readonly code = 'service_start_failed';
}

/**
 * Brings one service up inside a process: migrations, its parts, HTTP routes on `app` (when this
 * process serves HTTP for it), its outbox relay, its event consumers (each event handled once through
 * the inbox) and its work queues. Everything started registers its stop with the lifecycle.
 */
export async function startService(
  definition: ServiceDefinition,
  infra: Infrastructure,
  app?: HttpServer,
): Promise<StartedService> {
  const { name } = definition;
  const producer = definition.producer ?? name;
  const logger = infra.logger.child({ service: name });

  let db: ServiceContext['db'];
  if (definition.schema) {
    if (!infra.database) throw new ServiceStartError(`${name}: needs a database but none is configured`);
    const result = await migrateService(infra.database, {
      service: name,
      schema: definition.schema,
      ...(definition.migrationsDir ? { dir: definition.migrationsDir } : {}),
    });
    if (result.applied.length > 0) logger.info({ applied: result.applied }, 'migrations applied');
    db = infra.database.scoped(definition.schema);
  }

  const context: ServiceContext = {
    name,
    producer,
    config: infra.config,
    logger,
    metrics: infra.metrics,
    bus: infra.bus,
    blobs: infra.blobs,
    internal: infra.internal,
    secret: infra.secret,
    ...(infra.database ? { database: infra.database } : {}),
    ...(db ? { db } : {}),
    envelope: (key, data, actor) => createEnvelope(producer, key, data, actor),
    async emit(tx, key, data, actor = {}) {
      const { priority, ...who } = actor;
      const envelope = createEnvelope(producer, key, data, who);
      await enqueue(tx, envelope, priority === undefined ? {} : { priority });
      return envelope;
    },
  };

  const parts = await definition.setup(context);
  const readiness: Record<string, ReadinessCheck> = { ...parts.readiness };

  if (parts.routes && app) {
    const routes = parts.routes;
    await app.register(async (scope) => {
      await routes(scope as HttpServer);
    });
  }

  if (db) {
    const relay = new OutboxRelay({ db, bus: infra.bus, logger, metrics: infra.metrics });
    await relay.start();
    infra.lifecycle.onStop(`${name} outbox relay`, () => relay.stop());
  }

  const subscriptions: Subscription[] = [];
  const events = Object.entries(parts.events ?? {}) as [EventKey, EventHandler][];
  if (events.length > 0) {
    assertConsumesCatalogEvents(
      producer,
      events.map(([key]) => key),
    );
    const handlers = new Map(events);
    const subscription = await infra.bus.subscribe(
      { queue: serviceEventsQueue(name), bindings: [...handlers.keys()], prefetch: 16 },
      (message) =>
        traced(message, async () => {
          const handler = handlers.get(message.routingKey as EventKey);
          if (!handler) throw new Error(`${name}: no handler for ${message.routingKey}`);
          const envelope = message.envelope as Parameters<EventHandler>[0];
          if (!db) return handler(envelope, { message });
          // The handler's writes and the inbox record commit together: a redelivery is skipped.
          await handleOnce(db, name, envelope, (tx) => handler(envelope, { message, tx }), {
            scope: 'system',
          });
        }),
    );
    subscriptions.push(subscription);
  }
  for (const worker of parts.workers ?? []) {
    subscriptions.push(
      await infra.bus.subscribe(
        {
          queue: worker.queue,
          prefetch: worker.prefetch ?? 1,
          ...(worker.maxRetries !== undefined ? { maxRetries: worker.maxRetries } : {}),
        },
        (message) => traced(message, () => worker.handle(message)),
      ),
    );
  }
  if (subscriptions.length > 0) {
    infra.lifecycle.onStop(`${name} consumers`, async () => {
      await Promise.all(subscriptions.map((s) => s.cancel()));
    });
  }

  if (parts.start) await parts.start();
  if (parts.stop) {
    const stop = parts.stop;
    infra.lifecycle.onStop(`${name} service`, () => stop());
  }

  logger.info(
    {
      events: events.map(([key]) => key as MessageKey),
      workers: (parts.workers ?? []).map((w) => w.queue),
      routes: Boolean(parts.routes && app),
    },
    'service started',
  );
  return { definition, context, parts, readiness };
}

/** Handles a message inside the trace it carries, so logs and the events it causes join up. */
function traced<T>(message: DeliveredMessage, work: () => Promise<T>): Promise<T> {
  const { envelope } = message;
  return runWithTrace(
    newTrace({
      traceId: envelope.trace_id,
      correlationId: envelope.correlation_id,
      tenantId: envelope.tenant_id,
    }),
    work,
  );
}

/**
 * The catalog's `consumers` drive the generated docs and the queue bindings operators read; a
 * service handling other events than the catalog gives it would make them lie, so it does not start.
 */
export function assertConsumesCatalogEvents(producer: string, handled: readonly EventKey[]): void {
  if (!(SERVICES as readonly string[]).includes(producer)) return;
  const expected = new Set<string>(bindingsFor(producer as ServiceName));
  const actual = new Set<string>(handled);
  const missing = [...expected].filter((key) => !actual.has(key));
  const extra = [...actual].filter((key) => !expected.has(key));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `${producer} handles events the catalog does not give it (${extra.join(', ') || 'none'}) or lacks handlers for events it does (${missing.join(', ') || 'none'}); change packages/contracts or the handlers`,
    );
  }
}
