import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sampleData } from '@flatrender/contracts/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskBlobStore } from '../blob';
import { InProcessBroker, InProcessBus } from '../bus';
import { loadPlatformConfig } from '../config';
import { PGliteDatabase } from '../db';
import { createHttpServer, type HttpServer } from '../http/http-server';
import { Lifecycle } from '../lifecycle';
import { createLogger } from '../log';
import { currentTrace } from '../log/trace-context';
import { createMetricsRegistry } from '../metrics';
import { defineService } from './service-definition';
import { assertConsumesCatalogEvents, type Infrastructure, startService } from './service-host';

const logger = createLogger({ level: 'silent' });

/** Two services wired only through the bus: one emits through its outbox, the other consumes once. */
describe('service host', () => {
  let infra: Infrastructure;
  let app: HttpServer;
  let blobDir: string;
  const seen: { projectId: string; traceId: string | undefined }[] = [];

  const producerDir = path.join(import.meta.dirname, 'test-fixtures/producer-migrations');
  const consumerDir = path.join(import.meta.dirname, 'test-fixtures/consumer-migrations');

  beforeAll(async () => {
    blobDir = await mkdtemp(path.join(os.tmpdir(), 'host-blobs-'));
    const database = await PGliteDatabase.open();
    const bus = new InProcessBus(new InProcessBroker(), { logger, backoffBaseMs: 5, backoffCapMs: 20 });
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    infra = {
      config: loadPlatformConfig({}),
      logger,
      metrics,
      lifecycle: new Lifecycle(logger, 5000),
      bus,
      database,
      blobs: new DiskBlobStore({ root: blobDir, publicUrl: 'http://localhost', secret: 'x'.repeat(32) }),
      secret: 'x'.repeat(32),
      internal: { request: () => Promise.reject(new Error('not used here')) },
    };
    infra.lifecycle.onStop('database', () => database.close());
    infra.lifecycle.onStop('bus', () => bus.close());
    app = createHttpServer({ logger, metrics });

    await startService(
      defineService({
        name: 'studio',
        schema: 'studio',
        migrationsDir: producerDir,
        setup: (ctx) => ({
          routes(server) {
            server.post('/v1/projects', async (req) => {
              const tenantId = req.headers['x-tenant'] as string;
              const projectId = randomUUID();
              await ctx.db!.withTenant(tenantId, async (tx) => {
                await sql`insert into project (id, tenant_id) values (${projectId}, ${tenantId})`.execute(tx);
                await ctx.emit(
                  tx,
                  'studio.project.saved.v1',
                  { ...sampleData('studio.project.saved.v1'), project_id: projectId },
                  { tenantId },
                );
              });
              return { id: projectId };
            });
          },
        }),
      }),
      infra,
      app,
    );
    await startService(
      defineService({
        name: 'render',
        schema: 'render',
        migrationsDir: consumerDir,
        setup: () => ({
          events: {
            'studio.project.saved.v1': async (envelope, { tx }) => {
              await sql`insert into seen_project (project_id) values (${envelope.data.project_id})`.execute(
                tx!,
              );
              seen.push({ projectId: envelope.data.project_id, traceId: currentTrace()?.traceId });
            },
          },
        }),
      }),
      infra,
    );
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await infra?.lifecycle.stop();
    await rm(blobDir, { recursive: true, force: true });
  });

  async function waitFor(predicate: () => boolean | Promise<boolean>, ms = 5000) {
    const until = Date.now() + ms;
    while (!(await predicate())) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('migrates each schema, relays the outbox, and delivers the event once with the request trace', async () => {
    const tenantId = randomUUID();
    const traceId = randomUUID();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: { 'x-tenant': tenantId, 'x-trace-id': traceId },
    });
    expect(res.statusCode).toBe(200);
    const projectId = res.json().id;
    await waitFor(() => seen.some((s) => s.projectId === projectId));
    expect(seen.find((s) => s.projectId === projectId)?.traceId).toBe(traceId);

    const consumer = infra.database!.scoped('render');
    const rows = await consumer.asSystem((tx) =>
      sql<{ n: number }>`select count(*)::int as n from seen_project where project_id = ${projectId}`.execute(
        tx,
      ),
    );
    expect(rows.rows[0]?.n).toBe(1);
  });

  it('skips a redelivered event (inbox) but handles a new one', async () => {
    const envelope = {
      event_id: randomUUID(),
      event_type: 'studio.project.saved.v1' as const,
      event_time: new Date().toISOString(),
      tenant_id: randomUUID(),
      user_id: randomUUID(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
      producer: 'studio',
      data: { ...sampleData('studio.project.saved.v1'), project_id: randomUUID() },
    };
    await infra.bus.publish(envelope);
    await infra.bus.publish(envelope);
    await waitFor(() => seen.filter((s) => s.projectId === envelope.data.project_id).length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    const consumer = infra.database!.scoped('render');
    const rows = await consumer.asSystem((tx) =>
      sql<{
        n: number;
      }>`select count(*)::int as n from seen_project where project_id = ${envelope.data.project_id}`.execute(
        tx,
      ),
    );
    expect(rows.rows[0]?.n).toBe(1);
    expect(seen.filter((s) => s.projectId === envelope.data.project_id)).toHaveLength(1);
  });
});

describe('catalog consumers', () => {
  it('lets a service start with exactly the events the catalog gives it', () => {
    expect(() => assertConsumesCatalogEvents('identity', ['tenant.usage.recorded.v1'])).not.toThrow();
  });

  it('refuses a handler the catalog does not list, and a listed event without a handler', () => {
    expect(() =>
      assertConsumesCatalogEvents('identity', ['tenant.usage.recorded.v1', 'studio.project.saved.v1']),
    ).toThrow(/studio\.project\.saved\.v1/);
    expect(() => assertConsumesCatalogEvents('identity', [])).toThrow(
      /lacks handlers.*tenant\.usage\.recorded\.v1/,
    );
  });
});
