import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Envelope, MessageKey } from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageValidationError } from '../bus/bus';
import type { Database, ScopedDatabase } from '../db/database';
import type { DatabaseFixture } from '../db/database.contract';
import { migrateService } from '../db/migrate-service';
import { handleOnce } from './inbox';
import { enqueue, OutboxMessageError } from './outbox';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
import { RecordingBus } from './recording-bus.fake';

const TENANT_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const TENANT_B = '0b0b0b0b-0000-4000-8000-00000000000b';

interface Tables {
  notes: { id: number; tenant_id: string; body: string };
}

const event = (tenant = TENANT_A): Envelope =>
  sampleEnvelope('studio.project.saved.v1', { tenant_id: tenant });
const work = (key: MessageKey = 'render.queue.vip'): Envelope => sampleEnvelope(key, { tenant_id: TENANT_A });

interface OutboxRowState {
  event_id: string;
  sent: boolean;
  failed: boolean;
  attempts: number;
  last_error: string | null;
  claimed_by: string | null;
}

/** Outbox and inbox behaviour every database adapter must have. */
export function outboxContract(open: () => Promise<DatabaseFixture>): void {
  let fixture: DatabaseFixture;
  let db: Database;
  let migrations: string;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    fixture = await open();
    db = fixture.db;
    migrations = await mkdtemp(path.join(tmpdir(), 'fr-outbox-'));
    await writeFile(
      path.join(migrations, '0001_notes.sql'),
      `CREATE TABLE notes (id int PRIMARY KEY, tenant_id uuid NOT NULL, body text NOT NULL);
       ALTER TABLE notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
       CREATE POLICY tenant_isolation ON notes USING (tenant_visible(tenant_id));`,
    );
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await fixture?.close();
    await rm(migrations, { recursive: true, force: true });
  });

  async function freshSchema(on: Database = db): Promise<ScopedDatabase<Tables>> {
    const schema = `t_${randomBytes(5).toString('hex')}`;
    await migrateService(on, { service: 'test', schema, dir: migrations });
    return on.scoped<Tables>(schema);
  }

  function relay(options: Partial<OutboxRelayOptions> & Pick<OutboxRelayOptions, 'db' | 'bus'>): OutboxRelay {
    const r = new OutboxRelay({ pollIntervalMs: 100, backoff: { initialMs: 20, maxMs: 100 }, ...options });
    relays.push(r);
    return r;
  }

  async function rows(scoped: ScopedDatabase): Promise<OutboxRowState[]> {
    const result = await scoped.asSystem((tx) =>
      sql<OutboxRowState>`
        select event_id, sent_at is not null as sent, failed_at is not null as failed, attempts, last_error, claimed_by
          from outbox order by id`.execute(tx),
    );
    return result.rows;
  }

  describe('enqueue', () => {
    it('writes the row with the state change, and nothing when the transaction rolls back', async () => {
      const scoped = await freshSchema();
      const kept = event();
      await scoped.withTenant(TENANT_A, async (tx) => {
        await tx.insertInto('notes').values({ id: 1, tenant_id: TENANT_A, body: 'saved' }).execute();
        await enqueue(tx, kept);
      });
      await expect(
        scoped.withTenant(TENANT_A, async (tx) => {
          await tx.insertInto('notes').values({ id: 2, tenant_id: TENANT_A, body: 'lost' }).execute();
          await enqueue(tx, event());
          throw new Error('business rule broken');
        }),
      ).rejects.toThrow('business rule broken');
      expect((await rows(scoped)).map((r) => r.event_id)).toEqual([kept.event_id]);
    });

    it('refuses messages the catalog would refuse, failing the transaction early', async () => {
      const scoped = await freshSchema();
      const broken = { ...event(), data: { nonsense: true } };
      await expect(scoped.withTenant(TENANT_A, (tx) => enqueue(tx, broken))).rejects.toBeInstanceOf(
        OutboxMessageError,
      );
      const unknown = { ...event(), event_type: 'studio.project.exploded.v1' };
      await expect(scoped.withTenant(TENANT_A, (tx) => enqueue(tx, unknown))).rejects.toThrow(
        /not in the catalog/,
      );
      await expect(
        scoped.withTenant(TENANT_A, (tx) => enqueue(tx, event(), { priority: 5 })),
      ).rejects.toThrow(/priority applies to work items/);
      await expect(
        scoped.withTenant(TENANT_A, (tx) => enqueue(tx, work(), { priority: 11 })),
      ).rejects.toThrow(/0-10/);
      expect(await rows(scoped)).toEqual([]);
    });
  });

  describe('relay', () => {
    it('publishes events and dispatches work items in order, then marks them sent', async () => {
      const scoped = await freshSchema();
      const messages = [event(), work('render.queue.vip'), event(TENANT_B), work('render.queue.preview')];
      await scoped.asSystem(async (tx) => {
        await enqueue(tx, messages[0]!);
        await enqueue(tx, messages[1]!, { priority: 7 });
        await enqueue(tx, messages[2]!);
        await enqueue(tx, messages[3]!);
      });
      const bus = new RecordingBus();
      const r = relay({ db: scoped, bus });
      expect(await r.backlog()).toBe(4);
      const round = await r.relayOnce();
      expect(round).toEqual({ claimed: 4, published: 4, rejected: 0 });
      expect(bus.sent.map((m) => [m.method, m.routingKey, m.envelope.event_id, m.priority])).toEqual([
        ['publish', 'studio.project.saved.v1', messages[0]!.event_id, undefined],
        ['dispatch', 'render.queue.vip', messages[1]!.event_id, 7],
        ['publish', 'studio.project.saved.v1', messages[2]!.event_id, undefined],
        ['dispatch', 'render.queue.preview', messages[3]!.event_id, undefined],
      ]);
      expect(bus.sent[0]!.envelope).toEqual(messages[0]);
      expect(
        (await rows(scoped)).every((row) => row.sent && row.attempts === 1 && row.claimed_by === null),
      ).toBe(true);
      expect(await r.backlog()).toBe(0);
      expect(await r.relayOnce()).toEqual({ claimed: 0, published: 0, rejected: 0 });
    });

    it('wakes on the NOTIFY of a committed insert, without waiting for its poll', async () => {
      const scoped = await freshSchema();
      const bus = new RecordingBus();
      const r = relay({ db: scoped, bus, pollIntervalMs: 60_000 });
      await r.start();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const message = event();
      await scoped.withTenant(TENANT_A, (tx) => enqueue(tx, message));
      await expect
        .poll(() => bus.sent.map((m) => m.envelope.event_id), { timeout: 5_000 })
        .toEqual([message.event_id]);
      await r.stop();
    });

    it('finds rows by polling when no notification comes', async () => {
      const scoped = await freshSchema();
      await sql.raw(`ALTER TABLE ${scoped.schema}.outbox DISABLE TRIGGER outbox_notify`).execute(db.kysely);
      const bus = new RecordingBus();
      const r = relay({ db: scoped, bus, pollIntervalMs: 150 });
      await r.start();
      const message = event();
      await scoped.withTenant(TENANT_A, (tx) => enqueue(tx, message));
      await expect.poll(() => bus.sent.length, { timeout: 5_000 }).toBe(1);
      await r.stop();
    });

    it('keeps rows while the bus is down, retries with backoff, and catches up in order when it recovers', async () => {
      const scoped = await freshSchema();
      const bus = new RecordingBus();
      bus.failWith = new Error('connection refused');
      const r = relay({ db: scoped, bus });
      await r.start();
      const messages = [event(), event(), event()];
      await scoped.withTenant(TENANT_A, async (tx) => {
        for (const m of messages) await enqueue(tx, m);
      });
      await expect.poll(() => bus.calls, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);
      const during = await rows(scoped);
      expect(during.some((row) => row.sent)).toBe(false);
      expect(during[0]).toMatchObject({ last_error: 'connection refused' });
      expect(during[0]!.attempts).toBeGreaterThanOrEqual(2);
      // Order is kept: nothing after the failing first row was attempted.
      expect(during[1]!.attempts).toBe(0);
      expect(await r.backlog()).toBe(3);

      bus.failWith = undefined;
      await expect.poll(() => bus.sent.length, { timeout: 5_000 }).toBe(3);
      expect(bus.sent.map((m) => m.envelope.event_id)).toEqual(messages.map((m) => m.event_id));
      // Rows are marked sent after the round's last confirm, a moment after the bus saw them.
      await expect.poll(() => r.backlog(), { timeout: 5_000 }).toBe(0);
      await r.stop();
    });

    it('fails a round whose publish never confirms, and sends the row later', async () => {
      const scoped = await freshSchema();
      const bus = new RecordingBus();
      bus.latencyMs = 400;
      const r = relay({ db: scoped, bus, publishTimeoutMs: 100, claimTtlMs: 1_000 });
      await scoped.withTenant(TENANT_A, (tx) => enqueue(tx, event()));
      const round = await r.relayOnce();
      expect(round.error?.message).toMatch(/did not confirm within 100 ms/);
      expect((await rows(scoped))[0]).toMatchObject({ sent: false, claimed_by: null });
      bus.latencyMs = 0;
      expect((await r.relayOnce()).published).toBe(1);
    });

    it('marks a message the bus refuses as invalid failed, and sends the rest', async () => {
      const scoped = await freshSchema();
      const [bad, good] = [event(), event()];
      await scoped.asSystem(async (tx) => {
        await enqueue(tx, bad!);
        await enqueue(tx, good!);
      });
      const bus = new RecordingBus();
      bus.refuse.set(bad!.event_id, new MessageValidationError('data: missing field'));
      const r = relay({ db: scoped, bus });
      expect(await r.relayOnce()).toEqual({ claimed: 2, published: 1, rejected: 1 });
      expect(await rows(scoped)).toMatchObject([
        { event_id: bad!.event_id, sent: false, failed: true, last_error: 'data: missing field' },
        { event_id: good!.event_id, sent: true, failed: false },
      ]);
      expect(await r.backlog()).toBe(0);
      expect(await r.relayOnce()).toEqual({ claimed: 0, published: 0, rejected: 0 });
    });

    it('leaves rows claimed by another relay alone until the claim expires', async () => {
      const scoped = await freshSchema();
      await scoped.withTenant(TENANT_A, (tx) => enqueue(tx, event()));
      await scoped.asSystem((tx) =>
        sql`update outbox set claimed_by = 'crashed-relay', claim_expires_at = now() + interval '1 hour'`.execute(
          tx,
        ),
      );
      const bus = new RecordingBus();
      const r = relay({ db: scoped, bus });
      expect((await r.relayOnce()).claimed).toBe(0);
      await scoped.asSystem((tx) =>
        sql`update outbox set claim_expires_at = now() - interval '1 second'`.execute(tx),
      );
      expect((await r.relayOnce()).published).toBe(1);
    });

    it('never sends a row twice with two relays (replicas) on one schema', async () => {
      const scoped = await freshSchema();
      const second = fixture.openAnother ? await fixture.openAnother() : db;
      const messages = Array.from({ length: 150 }, (_, i) => event(i % 2 ? TENANT_A : TENANT_B));
      await scoped.asSystem(async (tx) => {
        for (const m of messages) await enqueue(tx, m);
      });
      const bus = new RecordingBus();
      bus.latencyMs = 1;
      const one = relay({ db: scoped, bus, batchSize: 10, id: 'replica-1' });
      const two = relay({ db: second.scoped(scoped.schema), bus, batchSize: 10, id: 'replica-2' });
      await Promise.all([one.start(), two.start()]);
      await expect.poll(() => bus.sent.length, { timeout: 20_000, interval: 100 }).toBe(150);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ids = bus.sent.map((m) => m.envelope.event_id);
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
      await expect.poll(() => one.backlog(), { timeout: 5_000 }).toBe(0);
      await Promise.all([one.stop(), two.stop()]);
    });

    it('prunes sent rows after the retention and old inbox entries', async () => {
      const scoped = await freshSchema();
      await scoped.withTenant(TENANT_A, async (tx) => {
        await enqueue(tx, event());
        await enqueue(tx, event());
      });
      const r = relay({ db: scoped, bus: new RecordingBus(), retentionMs: 0, inboxRetentionMs: 0 });
      await handleOnce(scoped, 'test-consumer', event(), async () => undefined);
      // An unsent row is never pruned, whatever its age.
      await scoped.withTenant(TENANT_A, (tx) => enqueue(tx, event()));
      const unsent = await rows(scoped);
      await scoped.asSystem((tx) =>
        sql`update outbox set claimed_by = 'other', claim_expires_at = now() + interval '1 hour' where event_id = ${unsent[2]!.event_id}`.execute(
          tx,
        ),
      );
      await r.relayOnce();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await r.prune()).toEqual({ outbox: 2, inbox: 1 });
      expect((await rows(scoped)).map((row) => row.event_id)).toEqual([unsent[2]!.event_id]);
    });
  });

  describe('inbox', () => {
    it('runs a handler once per event id and skips a duplicate without committing anything', async () => {
      const scoped = await freshSchema();
      const message = event();
      let calls = 0;
      const handler = async (tx: Parameters<Parameters<typeof scoped.asSystem>[0]>[0]) => {
        calls++;
        await tx.insertInto('notes').values({ id: calls, tenant_id: TENANT_A, body: 'from event' }).execute();
        return 'done';
      };
      expect(await handleOnce(scoped, 'studio', message, handler)).toEqual({ handled: true, result: 'done' });
      expect(await handleOnce(scoped, 'studio', message, handler)).toEqual({ handled: false });
      expect(calls).toBe(1);
      const notes = await scoped.asSystem((tx) => tx.selectFrom('notes').select('id').execute());
      expect(notes).toHaveLength(1);
      // Another consumer of the same event is independent.
      expect((await handleOnce(scoped, 'render', message, async () => 'other')).handled).toBe(true);
    });

    it('records nothing when the handler fails, so a redelivery runs it again', async () => {
      const scoped = await freshSchema();
      const message = event();
      await expect(
        handleOnce(scoped, 'studio', message, async (tx) => {
          await tx.insertInto('notes').values({ id: 1, tenant_id: TENANT_A, body: 'half done' }).execute();
          throw new Error('downstream unavailable');
        }),
      ).rejects.toThrow('downstream unavailable');
      const inbox = await scoped.asSystem((tx) => sql`select * from inbox`.execute(tx));
      expect(inbox.rows).toEqual([]);
      const retried = await handleOnce(scoped, 'studio', message, async (tx) => {
        await tx.insertInto('notes').values({ id: 1, tenant_id: TENANT_A, body: 'done' }).execute();
        return 'ok';
      });
      expect(retried).toEqual({ handled: true, result: 'ok' });
      const notes = await scoped.asSystem((tx) => tx.selectFrom('notes').select('body').execute());
      expect(notes).toEqual([{ body: 'done' }]);
    });

    it('runs the handler in the tenant scope of the envelope', async () => {
      const scoped = await freshSchema();
      await scoped.asSystem((tx) =>
        tx
          .insertInto('notes')
          .values([
            { id: 1, tenant_id: TENANT_A, body: 'a' },
            { id: 2, tenant_id: TENANT_B, body: 'b' },
          ])
          .execute(),
      );
      const outcome = await handleOnce(scoped, 'studio', event(TENANT_B), (tx) =>
        tx.selectFrom('notes').select('body').execute(),
      );
      expect(outcome).toEqual({ handled: true, result: [{ body: 'b' }] });
    });

    it('lets exactly one of two concurrent deliveries of an event run', async () => {
      const scoped = await freshSchema();
      const second = fixture.openAnother ? await fixture.openAnother() : db;
      const message = event();
      let calls = 0;
      const handler = async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      };
      const outcomes = await Promise.all([
        handleOnce(scoped, 'studio', message, handler),
        handleOnce(second.scoped(scoped.schema), 'studio', message, handler),
      ]);
      expect(outcomes.map((o) => o.handled).sort()).toEqual([false, true]);
      expect(calls).toBe(1);
    });
  });
}
