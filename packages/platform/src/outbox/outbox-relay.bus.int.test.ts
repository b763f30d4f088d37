import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Envelope } from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, InProcessBroker, type ManagedBus } from '../bus';
import type { DeliveredMessage, Subscription } from '../bus/bus';
import type { Database, ScopedDatabase } from '../db/database';
import { migrateService } from '../db/migrate-service';
import { PGliteDatabase } from '../db/pglite.database';
import { PostgresDatabase } from '../db/postgres.database';
import { createLogger } from '../log';
import { createTestDatabase, createTestVhost, describeWithServices, type TestVhost } from '../testing';
import { handleOnce } from './inbox';
import { enqueue } from './outbox';
import { OutboxRelay } from './outbox-relay';

const TENANT = '0a0a0a0a-0000-4000-8000-00000000000a';

interface Projection {
  seen: { event_id: string; tenant_id: string };
}

interface Setup {
  db: Database;
  bus: ManagedBus;
  vhost?: TestVhost;
  close(): Promise<void>;
}

/**
 * Producer schema -> outbox -> relay -> a real bus -> consumer with the inbox -> consumer schema:
 * the whole at-least-once-in, exactly-once-effect path on the adapters of one deployment mode.
 */
function endToEnd(open: () => Promise<Setup>, options: { brokerOutage?: boolean } = {}): void {
  let setup: Setup;
  let producer: ScopedDatabase;
  let consumer: ScopedDatabase<Projection>;
  let dir: string;
  const relays: OutboxRelay[] = [];
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    setup = await open();
    dir = await mkdtemp(path.join(tmpdir(), 'fr-e2e-'));
    await writeFile(
      path.join(dir, '0001_seen.sql'),
      `CREATE TABLE seen (event_id uuid PRIMARY KEY, tenant_id uuid NOT NULL);
       ALTER TABLE seen ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
       CREATE POLICY tenant_isolation ON seen USING (tenant_visible(tenant_id));`,
    );
    const suffix = randomBytes(4).toString('hex');
    await migrateService(setup.db, { service: 'producer', schema: `studio_${suffix}` });
    await migrateService(setup.db, { service: 'consumer', schema: `render_${suffix}`, dir });
    producer = setup.db.scoped(`studio_${suffix}`);
    consumer = setup.db.scoped<Projection>(`render_${suffix}`);
  });

  afterAll(async () => {
    await Promise.all(subscriptions.map((s) => s.cancel()));
    await Promise.all(relays.map((r) => r.stop()));
    await setup?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Consumes on `queue`, recording each delivery and applying each event id once. */
  async function consume(queue: string, bindings?: string[]) {
    const deliveries: DeliveredMessage[] = [];
    let effects = 0;
    const subscription = await setup.bus.subscribe(
      { queue, ...(bindings ? { bindings } : {}) },
      async (message) => {
        deliveries.push(message);
        // Each test's queue is its own consumer: the inbox keeps their effects apart.
        await handleOnce(consumer, queue, message.envelope, async (tx) => {
          effects++;
          await tx
            .insertInto('seen')
            .values({ event_id: message.envelope.event_id, tenant_id: message.envelope.tenant_id })
            .execute();
        });
      },
    );
    subscriptions.push(subscription);
    return { deliveries, effects: () => effects, subscription };
  }

  async function seenCount(): Promise<number> {
    const rows = await consumer.asSystem((tx) => tx.selectFrom('seen').select('event_id').execute());
    return rows.length;
  }

  it('relays committed events to their consumers, and a redelivered event takes effect once', async () => {
    const queue = `render.events.${randomBytes(3).toString('hex')}`;
    const sink = await consume(queue, ['studio.project.saved.v1']);
    const relay = new OutboxRelay({ db: producer, bus: setup.bus, pollIntervalMs: 200 });
    relays.push(relay);
    await relay.start();

    const events: Envelope[] = Array.from({ length: 5 }, () =>
      sampleEnvelope('studio.project.saved.v1', { tenant_id: TENANT }),
    );
    await producer.withTenant(TENANT, async (tx) => {
      for (const e of events) await enqueue(tx, e);
    });
    await expect(
      producer.withTenant(TENANT, async (tx) => {
        await enqueue(tx, sampleEnvelope('studio.project.saved.v1', { tenant_id: TENANT }));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    await expect.poll(() => sink.deliveries.length, { timeout: 10_000 }).toBe(5);
    expect(sink.deliveries.map((d) => d.envelope.event_id)).toEqual(events.map((e) => e.event_id));
    // The relay marks a batch sent after the broker confirmed all of it; consumers may be faster.
    await expect.poll(() => relay.backlog(), { timeout: 5_000 }).toBe(0);

    // A publisher that lost a confirm sends again: the consumer sees it, the inbox absorbs it.
    await setup.bus.publish(events[0]!);
    await expect.poll(() => sink.deliveries.length, { timeout: 10_000 }).toBe(6);
    expect(sink.effects()).toBe(5);
    expect(await seenCount()).toBe(5);
    await sink.subscription.cancel();
    await relay.stop();
  });

  it('dispatches work items to their queue with their priority', async () => {
    const received: DeliveredMessage[] = [];
    const subscription = await setup.bus.subscribe(
      { queue: 'render.queue.vip', prefetch: 1 },
      async (message) => {
        received.push(message);
      },
    );
    const relay = new OutboxRelay({ db: producer, bus: setup.bus, pollIntervalMs: 200 });
    relays.push(relay);
    await relay.start();
    const job = sampleEnvelope('render.queue.vip', { tenant_id: TENANT });
    await producer.withTenant(TENANT, (tx) => enqueue(tx, job, { priority: 9 }));
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    expect(received[0]).toMatchObject({ routingKey: 'render.queue.vip', priority: 9 });
    expect(received[0]!.envelope.event_id).toBe(job.event_id);
    await subscription.cancel();
    await relay.stop();
  });

  if (options.brokerOutage) {
    it('keeps relaying through a broker outage: every event arrives and takes effect once', async () => {
      const queue = `render.events.${randomBytes(3).toString('hex')}`;
      const sink = await consume(queue, ['studio.project.saved.v1']);
      const relay = new OutboxRelay({
        db: producer,
        bus: setup.bus,
        pollIntervalMs: 200,
        backoff: { maxMs: 500 },
      });
      relays.push(relay);
      await relay.start();
      const emit = (n: number) =>
        producer.withTenant(TENANT, async (tx) => {
          const batch = Array.from({ length: n }, () =>
            sampleEnvelope('studio.project.saved.v1', { tenant_id: TENANT }),
          );
          for (const e of batch) await enqueue(tx, e);
          return batch.map((e) => e.event_id);
        });
      const ids = await emit(10);
      await expect.poll(() => sink.effects(), { timeout: 10_000 }).toBe(10);

      await setup.vhost!.closeConnections();
      ids.push(...(await emit(20)));
      await expect.poll(() => sink.effects(), { timeout: 30_000, interval: 200 }).toBe(30);
      await expect.poll(() => relay.backlog(), { timeout: 5_000 }).toBe(0);
      const applied = await consumer.asSystem((tx) =>
        tx.selectFrom('seen').select('event_id').where('event_id', 'in', ids).execute(),
      );
      expect(applied).toHaveLength(30);
      await sink.subscription.cancel();
      await relay.stop();
    });
  }
}

describe('outbox to consumer, embedded: PGlite and the in-process bus', () => {
  endToEnd(async () => {
    const db = await PGliteDatabase.open();
    const bus = await createBus({ broker: new InProcessBroker(), logger: createLogger({ level: 'silent' }) });
    return {
      db,
      bus,
      close: async () => {
        await bus.close();
        await db.close();
      },
    };
  });
});

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'outbox to consumer, distributed: PostgreSQL and RabbitMQ',
  () => {
    endToEnd(
      async () => {
        const testDb = await createTestDatabase();
        const vhost = await createTestVhost();
        const db = new PostgresDatabase({ url: testDb.url });
        const bus = await createBus({ amqpUrl: vhost.url, logger: createLogger({ level: 'silent' }) });
        return {
          db,
          bus,
          vhost,
          close: async () => {
            await bus.close();
            await db.close();
            await vhost.drop();
            await testDb.drop();
          },
        };
      },
      { brokerOutage: true },
    );
  },
);
