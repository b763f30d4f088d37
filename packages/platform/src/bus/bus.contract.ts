import { randomUUID } from 'node:crypto';
import {
  CONTENT_ENCODING,
  CONTENT_TYPE,
  DLQ_QUEUE,
  type Envelope,
  EXCHANGES,
  HEADER,
  type MessageKey,
} from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type DeliveredMessage, type MessageHandler, MessageValidationError, type Subscription } from './bus';
import type { BusOptions } from './bus.options';
import type { ManagedBus } from './create-bus';
import { LAST_ERROR_HEADER, ORIGINAL_QUEUE_HEADER } from './retry.policy';

/** A message as the broker holds it, read without the bus (what really went over the wire). */
export interface InspectedMessage {
  exchange: string;
  routingKey: string;
  content: string;
  headers: Record<string, unknown>;
  contentType?: string;
  contentEncoding?: string;
  deliveryMode?: number;
  priority?: number;
}

/** A message published without the bus, as a foreign or broken producer would. */
export interface RawMessage {
  exchange: string;
  routingKey: string;
  content: string;
  headers?: Record<string, unknown>;
  contentType?: string;
  contentEncoding?: string;
}

/** What the contract needs from an adapter's world besides the `Bus` itself. */
export interface BusContractHarness {
  createBus(options: BusOptions): Promise<ManagedBus>;
  publishRaw(message: RawMessage): Promise<void>;
  /** Takes the next message off a queue (auto-ack) without the bus. */
  get(queue: string): Promise<InspectedMessage | undefined>;
  messageCount(queue: string): Promise<number>;
  queueExists(queue: string): Promise<boolean>;
  /** Drops every connection of the buses created so far, as a network failure or broker restart would. */
  dropConnections(): Promise<void>;
  close(): Promise<void>;
}

const FAST_RETRIES = { backoffBaseMs: 20, backoffCapMs: 100 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const uniqueQueue = (role = 'events') => `contract-${randomUUID().slice(0, 8)}.${role}`;

/** A valid envelope of `key` with fresh ids; `data` is merged over the catalog's sample data. */
function envelope(key: MessageKey, data: Record<string, unknown> = {}): Envelope {
  return sampleEnvelope(key, { tenant_id: randomUUID(), data } as Parameters<typeof sampleEnvelope>[1]);
}

/** The catalog headers a raw publisher must add to be accepted. */
function catalogHeaders(env: Envelope): Record<string, string> {
  return {
    [HEADER.contentType]: CONTENT_TYPE,
    [HEADER.contentEncoding]: CONTENT_ENCODING,
    [HEADER.eventType]: env.event_type,
    [HEADER.tenantId]: env.tenant_id,
    [HEADER.traceId]: env.trace_id,
  };
}

async function counterValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

/**
 * THE bus contract: every adapter runs these same tests, so the in-process bus and RabbitMQ cannot
 * drift apart (routing, priorities, headers, retries, DLQ, redelivery, reconnection, shutdown).
 */
export function busContract(makeHarness: () => Promise<BusContractHarness>): void {
  let harness: BusContractHarness;
  let buses: ManagedBus[] = [];
  let subscriptions: Subscription[] = [];

  const newBus = async (options: BusOptions = {}): Promise<ManagedBus> => {
    const bus = await harness.createBus({ ...FAST_RETRIES, ...options });
    buses.push(bus);
    return bus;
  };

  /** Subscribes and records every delivery; the handler may fail on purpose. */
  const collect = async (
    bus: ManagedBus,
    spec: Parameters<ManagedBus['subscribe']>[0],
    behaviour: MessageHandler = async () => {},
  ) => {
    const messages: DeliveredMessage[] = [];
    const subscription = await bus.subscribe(spec, async (message) => {
      messages.push(message);
      await behaviour(message);
    });
    subscriptions.push(subscription);
    return { messages, subscription };
  };

  /**
   * Collects DLQ messages; the returned function lists those whose body mentions a marker. One
   * collector per test: two consumers of the DLQ would share its messages round-robin.
   */
  const collectDlq = async (bus: ManagedBus, behaviour?: MessageHandler) => {
    const { messages } = await collect(bus, { queue: DLQ_QUEUE }, behaviour);
    return (marker: string) => messages.filter((m) => bodyText(m).includes(marker));
  };

  beforeAll(async () => {
    harness = await makeHarness();
  });

  afterEach(async () => {
    await Promise.allSettled(subscriptions.map((s) => s.cancel()));
    // A bus whose handler never returns cannot close; it is killed instead.
    await Promise.all(
      buses.map((bus) => Promise.race([bus.close().catch(() => {}), sleep(2_000)]).then(() => bus.destroy())),
    );
    buses = [];
    subscriptions = [];
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('routes an event only to the queues bound to its exact key', async () => {
    const bus = await newBus();
    const registered = await collect(bus, {
      queue: uniqueQueue(),
      bindings: ['identity.user.registered.v1'],
    });
    const banned = await collect(bus, { queue: uniqueQueue(), bindings: ['identity.user.banned.v1'] });
    const a = envelope('identity.user.registered.v1');
    const b = envelope('identity.user.banned.v1');
    await bus.publish(a);
    await bus.publish(b);
    await waitFor(() => registered.messages.length === 1 && banned.messages.length === 1, 'both deliveries');
    await sleep(100);
    expect(registered.messages.map((m) => m.envelope.event_id)).toEqual([a.event_id]);
    expect(banned.messages.map((m) => m.envelope.event_id)).toEqual([b.event_id]);
    expect(registered.messages[0]).toMatchObject({
      routingKey: 'identity.user.registered.v1',
      retryCount: 0,
      redelivered: false,
      envelope: a,
    });
  });

  it('matches topic bindings: * is exactly one word, # is zero or more', async () => {
    const bus = await newBus();
    const star = await collect(bus, { queue: uniqueQueue(), bindings: ['render.job.*.v1'] });
    const hash = await collect(bus, { queue: uniqueQueue(), bindings: ['render.#'] });
    const both = await collect(bus, { queue: uniqueQueue(), bindings: ['*.online.v1', 'file.#.v1'] });
    const keys: MessageKey[] = [
      'render.job.completed.v1',
      'render.snapshot.ready.v1',
      'node.online.v1',
      'file.cleanup.executed.v1',
      'identity.user.banned.v1',
    ];
    for (const key of keys) await bus.publish(envelope(key));
    await waitFor(
      () => star.messages.length === 1 && hash.messages.length === 2 && both.messages.length === 2,
      'wildcard deliveries',
    );
    await sleep(100);
    expect(star.messages.map((m) => m.routingKey)).toEqual(['render.job.completed.v1']);
    expect(hash.messages.map((m) => m.routingKey).sort()).toEqual([
      'render.job.completed.v1',
      'render.snapshot.ready.v1',
    ]);
    expect(both.messages.map((m) => m.routingKey).sort()).toEqual([
      'file.cleanup.executed.v1',
      'node.online.v1',
    ]);
  });

  it('refuses subscriptions whose bindings cannot be right', async () => {
    const bus = await newBus();
    const handler = async () => {};
    // `render.job.*` has three words; every catalog key has four.
    await expect(
      bus.subscribe({ queue: uniqueQueue(), bindings: ['render.job.*'] }, handler),
    ).rejects.toThrow(MessageValidationError);
    await expect(bus.subscribe({ queue: uniqueQueue() }, handler)).rejects.toThrow(MessageValidationError);
    await expect(
      bus.subscribe({ queue: 'render.queue.vip', bindings: ['render.job.queued.v1'] }, handler),
    ).rejects.toThrow(MessageValidationError);
  });

  it('dispatches on the direct exchanges to the queue of the key only; the DLQ fanout ignores keys', async () => {
    const bus = await newBus();
    const paid = await collect(bus, { queue: 'render.queue.paid' });
    const preview = await collect(bus, { queue: 'render.queue.preview' });
    const sms = await collect(bus, { queue: 'notify.channel.sms' });
    const push = await collect(bus, { queue: 'notify.channel.push' });
    const job = envelope('render.queue.paid');
    const text = envelope('notify.channel.sms');
    await bus.dispatch('render.queue.paid', job);
    await bus.dispatch('notify.channel.sms', text);
    const marker = randomUUID();
    const deadLetters = await collectDlq(bus);
    const dlq = () => deadLetters(marker);
    await harness.publishRaw({ exchange: EXCHANGES.dlq.name, routingKey: 'any.key.at.all', content: marker });
    await waitFor(
      () => paid.messages.length === 1 && sms.messages.length === 1 && dlq().length === 1,
      'dispatches',
    );
    await sleep(100);
    expect(paid.messages.map((m) => m.envelope.event_id)).toEqual([job.event_id]);
    expect(sms.messages.map((m) => m.envelope.event_id)).toEqual([text.event_id]);
    expect(preview.messages).toEqual([]);
    expect(push.messages).toEqual([]);
    expect(dlq()[0]?.body).toBe(marker);
  });

  it('delivers render work highest priority first and FIFO within a priority', async () => {
    const bus = await newBus();
    const order = [3, 7, 0, 10, 9, 1, 5, 8, 2, 6, 4];
    const sent = new Map<string, number>();
    const fifo: string[] = [];
    for (const priority of order) {
      const env = envelope('render.queue.vip');
      sent.set(env.event_id, priority);
      await bus.dispatch('render.queue.vip', env, { priority });
      if (priority === 5) {
        // Two more of the same priority, published after the first one: they must follow it in order.
        for (let i = 0; i < 2; i++) {
          const same = envelope('render.queue.vip');
          sent.set(same.event_id, 5);
          await bus.dispatch('render.queue.vip', same, { priority: 5 });
          fifo.push(same.event_id);
        }
        fifo.unshift(env.event_id);
      }
    }
    const { messages } = await collect(bus, { queue: 'render.queue.vip', prefetch: 1 });
    await waitFor(() => messages.length === sent.size, 'all render work');
    expect(messages.map((m) => m.priority)).toEqual([10, 9, 8, 7, 6, 5, 5, 5, 4, 3, 2, 1, 0]);
    expect(messages.filter((m) => m.priority === 5).map((m) => m.envelope.event_id)).toEqual(fifo);
  });

  it('sends the catalog headers, content properties, priority and persistent delivery mode', async () => {
    const bus = await newBus();
    const job = envelope('notify.channel.email');
    await bus.dispatch('notify.channel.email', job, {
      priority: 4,
      // An extra header is kept, but a catalog header can never be overridden by a caller.
      headers: { 'x-request-source': 'contract', [HEADER.eventType]: 'spoofed' },
    });
    const dispatched = await harness.get('notify.channel.email');
    expect(dispatched).toMatchObject({
      exchange: EXCHANGES.notify.name,
      routingKey: 'notify.channel.email',
      contentType: CONTENT_TYPE,
      contentEncoding: CONTENT_ENCODING,
      deliveryMode: 2,
      priority: 4,
      headers: { ...catalogHeaders(job), 'x-request-source': 'contract' },
    });
    expect(JSON.parse(dispatched?.content ?? '')).toEqual(job);

    const queue = uniqueQueue();
    const subscription = await bus.subscribe(
      { queue, bindings: ['studio.project.saved.v1'] },
      async () => {},
    );
    await subscription.cancel();
    const event = envelope('studio.project.saved.v1');
    await bus.publish(event);
    const published = await harness.get(queue);
    expect(published).toMatchObject({
      exchange: EXCHANGES.events.name,
      routingKey: 'studio.project.saved.v1',
      contentType: CONTENT_TYPE,
      contentEncoding: CONTENT_ENCODING,
      deliveryMode: 2,
      headers: catalogHeaders(event),
    });
    expect(JSON.parse(published?.content ?? '')).toEqual(event);
  });

  it('validates before sending: envelope, key kind and priority', async () => {
    const bus = await newBus();
    const valid = envelope('file.deleted.v1');
    await expect(bus.publish({ ...valid, tenant_id: 'not-a-uuid' })).rejects.toThrow(MessageValidationError);
    await expect(bus.publish({ ...valid, event_type: 'file.exploded.v1' })).rejects.toThrow(
      MessageValidationError,
    );
    await expect(bus.publish(envelope('render.queue.vip'))).rejects.toThrow(MessageValidationError);
    await expect(bus.dispatch('render.queue.vip', valid)).rejects.toThrow(MessageValidationError);
    await expect(
      bus.dispatch('render.queue.vip', envelope('render.queue.vip'), { priority: 11 }),
    ).rejects.toThrow(MessageValidationError);
    await expect(
      bus.dispatch('render.queue.vip', envelope('render.queue.vip'), { priority: 1.5 }),
    ).rejects.toThrow(MessageValidationError);
  });

  it('retries a failing handler with x-retry-count incremented and the original routing key', async () => {
    const bus = await newBus();
    const { messages } = await collect(
      bus,
      { queue: uniqueQueue(), bindings: ['file.uploaded.v1'] },
      async (m) => {
        if (m.retryCount < 2) throw new Error(`fails on attempt ${m.retryCount}`);
      },
    );
    const env = envelope('file.uploaded.v1');
    await bus.publish(env);
    await waitFor(() => messages.length === 3, 'two retries');
    await sleep(300);
    expect(messages.map((m) => m.retryCount)).toEqual([0, 1, 2]);
    expect(messages.map((m) => m.headers[HEADER.retryCount] ?? 0)).toEqual([0, 1, 2]);
    expect(
      messages.every((m) => m.routingKey === 'file.uploaded.v1' && m.envelope.event_id === env.event_id),
    ).toBe(true);
    expect(String(messages[2]?.headers[LAST_ERROR_HEADER])).toContain('fails on attempt 1');
  });

  it('dead-letters after exactly 3 retries with the original routing key, queue and last error', async () => {
    const bus = await newBus();
    const queue = uniqueQueue();
    const { messages } = await collect(bus, { queue, bindings: ['render.job.failed.v1'] }, async () => {
      throw new Error('handler always fails');
    });
    const env = envelope('render.job.failed.v1');
    const deadLetters = await collectDlq(bus);
    const dlq = () => deadLetters(env.event_id);
    await bus.publish(env);
    await waitFor(() => dlq().length === 1, 'the dead letter');
    await sleep(300);
    expect(messages.map((m) => m.retryCount)).toEqual([0, 1, 2, 3]);
    const dead = dlq()[0] as DeliveredMessage;
    expect(dead.body).toEqual(env);
    expect(dead.routingKey).toBe('render.job.failed.v1');
    expect(dead.headers).toMatchObject({
      ...catalogHeaders(env),
      [HEADER.originalRoutingKey]: 'render.job.failed.v1',
      [HEADER.retryCount]: 3,
      [ORIGINAL_QUEUE_HEADER]: queue,
    });
    expect(String(dead.headers[LAST_ERROR_HEADER])).toContain('handler always fails');
    // The broker's own dead-lettering history of the retry delays is not carried into the DLQ copy.
    expect(Object.keys(dead.headers).filter((h) => h.includes('death'))).toEqual([]);
  });

  it('takes x-max-retries from the message, else from the subscription', async () => {
    const bus = await newBus();
    const calls: Record<string, number[]> = {};
    await collect(bus, { queue: uniqueQueue(), bindings: ['node.crashed.v1'], maxRetries: 1 }, async (m) => {
      const id = m.envelope.event_id;
      calls[id] = [...(calls[id] ?? []), m.retryCount];
      throw new Error('always');
    });
    const bySubscription = envelope('node.crashed.v1');
    const byMessage = envelope('node.crashed.v1');
    const dlq = await collectDlq(bus);
    await bus.publish(bySubscription);
    await bus.publish(byMessage, { headers: { [HEADER.maxRetries]: 0 } });
    await waitFor(
      () => dlq(bySubscription.event_id).length === 1 && dlq(byMessage.event_id).length === 1,
      'both dead letters',
    );
    expect(calls[bySubscription.event_id]).toEqual([0, 1]);
    expect(calls[byMessage.event_id]).toEqual([0]);
  });

  it('never holds up the queue while a failed message waits for its retry', async () => {
    const bus = await newBus({ backoffBaseMs: 400, backoffCapMs: 400 });
    const log: string[] = [];
    const failing = envelope('tenant.webhook.failed.v1');
    const next = envelope('tenant.webhook.failed.v1');
    await collect(
      bus,
      { queue: uniqueQueue(), bindings: ['tenant.webhook.failed.v1'], prefetch: 1 },
      async (m) => {
        log.push(`${m.envelope.event_id === failing.event_id ? 'failing' : 'next'}:${m.retryCount}`);
        if (m.envelope.event_id === failing.event_id) throw new Error('not yet');
      },
    );
    await bus.publish(failing);
    await bus.publish(next);
    await waitFor(() => log.includes('failing:1'), 'the first retry');
    expect(log.slice(0, 3)).toEqual(['failing:0', 'next:0', 'failing:1']);
  });

  it('dead-letters non-JSON, invalid envelopes, invalid data and bad headers and goes on with the next message', async () => {
    const bus = await newBus();
    const key = 'content.template.published.v1';
    const { messages } = await collect(bus, { queue: uniqueQueue(), bindings: [key], prefetch: 1 });
    const marker = randomUUID();
    const good = envelope(key);
    const base = { ...envelope(key), producer: marker };
    const broken: RawMessage[] = [
      {
        exchange: EXCHANGES.events.name,
        routingKey: key,
        content: `not json ${marker}`,
        headers: catalogHeaders(base),
      },
      {
        exchange: EXCHANGES.events.name,
        routingKey: key,
        content: JSON.stringify({ ...base, event_id: undefined }),
        headers: catalogHeaders(base),
      },
      {
        exchange: EXCHANGES.events.name,
        routingKey: key,
        // The envelope is fine; its data breaks the key's schema (wrong type of a field).
        content: JSON.stringify({ ...base, data: { ...base.data, version: 'one' } }),
        headers: catalogHeaders(base),
      },
      { exchange: EXCHANGES.events.name, routingKey: key, content: JSON.stringify(base), headers: {} },
      {
        exchange: EXCHANGES.events.name,
        routingKey: key,
        content: JSON.stringify(base),
        headers: { ...catalogHeaders(base), [HEADER.tenantId]: randomUUID() },
      },
    ];
    const deadLetters = await collectDlq(bus);
    const dlq = () => deadLetters(marker);
    for (const message of broken) {
      await harness.publishRaw({ contentType: CONTENT_TYPE, contentEncoding: CONTENT_ENCODING, ...message });
    }
    await bus.publish(good);
    await waitFor(() => messages.length === 1, 'the valid message');
    await waitFor(() => dlq().length === broken.length, 'every broken message in the DLQ');
    expect(messages.map((m) => m.envelope.event_id)).toEqual([good.event_id]);
    for (const dead of dlq()) {
      expect(dead.headers[HEADER.originalRoutingKey]).toBe(key);
      expect(dead.headers[HEADER.retryCount]).toBe(3);
      expect(String(dead.headers[LAST_ERROR_HEADER])).toContain('invalid message');
    }
    expect(dlq().some((m) => m.body === `not json ${marker}`)).toBe(true);
  });

  it('keeps at most `prefetch` deliveries in flight per subscription', async () => {
    const bus = await newBus();
    const gate = deferred();
    let active = 0;
    let peak = 0;
    let done = 0;
    await bus
      .subscribe({ queue: uniqueQueue(), bindings: ['file.processed.v1'], prefetch: 2 }, async () => {
        active++;
        peak = Math.max(peak, active);
        await gate.promise;
        active--;
        done++;
      })
      .then((s) => subscriptions.push(s));
    for (let i = 0; i < 5; i++) await bus.publish(envelope('file.processed.v1'));
    await waitFor(() => active === 2, 'two deliveries in flight');
    await sleep(200);
    expect(active).toBe(2);
    gate.resolve();
    await waitFor(() => done === 5, 'all five handled');
    expect(peak).toBe(2);
  });

  it('redelivers a message left unacknowledged by a dead consumer to another connection', async () => {
    const queue = uniqueQueue();
    const first = await newBus();
    const taken: DeliveredMessage[] = [];
    await first.subscribe({ queue, bindings: ['node.offline.v1'], prefetch: 1 }, async (m) => {
      taken.push(m);
      await new Promise(() => {});
    });
    const env = envelope('node.offline.v1');
    await first.publish(env);
    await waitFor(() => taken.length === 1, 'the first delivery');
    expect(taken[0]?.redelivered).toBe(false);
    first.destroy();
    const second = await newBus();
    const { messages } = await collect(second, { queue, bindings: ['node.offline.v1'] });
    await waitFor(() => messages.length === 1, 'the redelivery');
    expect(messages[0]?.envelope.event_id).toBe(env.event_id);
    expect(messages[0]?.redelivered).toBe(true);
    expect(messages[0]?.retryCount).toBe(0);
  });

  it('loses no message when the connection drops during a burst of publishes', async () => {
    const bus = await newBus();
    const received = new Set<string>();
    await collect(bus, { queue: uniqueQueue(), bindings: ['node.heartbeat.v1'], prefetch: 50 }, async (m) => {
      received.add(m.envelope.event_id);
    });
    const sent: string[] = [];
    const publishes: Promise<void>[] = [];
    let dropped = false;
    let sentWhenDropped = 0;
    const burst = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const env = envelope('node.heartbeat.v1');
        sent.push(env.event_id);
        publishes.push(bus.publish(env));
      }
      await sleep(5);
    };
    for (let i = 0; i < 10; i++) await burst(10);
    const drop = harness.dropConnections().then(() => {
      dropped = true;
      sentWhenDropped = sent.length;
    });
    while (!dropped) await burst(10);
    for (let i = 0; i < 10; i++) await burst(10);
    await drop;
    await Promise.all(publishes);
    await waitFor(() => sent.every((id) => received.has(id)), `all ${sent.length} events`, 30_000);
    expect(sentWhenDropped).toBeGreaterThanOrEqual(100);
    expect(sentWhenDropped).toBeLessThan(sent.length);
  });

  it('close() waits for the handler in flight and acknowledges its message', async () => {
    const bus = await newBus();
    const queue = uniqueQueue();
    const gate = deferred();
    let started = false;
    await bus.subscribe({ queue, bindings: ['identity.plan.expired.v1'] }, async () => {
      started = true;
      await gate.promise;
    });
    await bus.publish(envelope('identity.plan.expired.v1'));
    await waitFor(() => started, 'the handler to start');
    let closed = false;
    const closing = bus.close().then(() => {
      closed = true;
    });
    await sleep(200);
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    expect(closed).toBe(true);
    expect(await harness.messageCount(queue)).toBe(0);
    await expect(bus.publish(envelope('identity.plan.expired.v1'))).rejects.toThrow(/closed/);
  });

  it('deletes a transient queue when its subscription ends', async () => {
    const bus = await newBus();
    const queue = uniqueQueue('cancel');
    const { messages, subscription } = await collect(bus, {
      queue,
      bindings: ['render.job.cancelled.v1'],
      transient: true,
    });
    await bus.publish(envelope('render.job.cancelled.v1'));
    await waitFor(() => messages.length === 1, 'the delivery');
    expect(await harness.queueExists(queue)).toBe(true);
    await subscription.cancel();
    expect(await harness.queueExists(queue)).toBe(false);
  });

  it('counts published, consumed, retried and dead-lettered messages per routing key', async () => {
    const registry = new Registry();
    const bus = await newBus({ registry });
    const queue = uniqueQueue();
    const key = 'identity.payment.failed.v1';
    const doomed = envelope(key);
    await collect(bus, { queue, bindings: [key] }, async (m) => {
      if (m.envelope.event_id === doomed.event_id) throw new Error('doomed');
    });
    const deadLetters = await collectDlq(bus);
    const dlq = () => deadLetters(doomed.event_id);
    await bus.publish(envelope(key));
    await bus.publish(doomed);
    await waitFor(() => dlq().length === 1, 'the dead letter');
    const labels = { routing_key: key, queue };
    // The dead-letter counter moves when the broker's confirm arrives, which may follow the delivery.
    let deadLettered = 0;
    const deadline = Date.now() + 5_000;
    while (deadLettered === 0 && Date.now() < deadline) {
      deadLettered = await counterValue(registry, 'flatrender_bus_dead_lettered_total', labels);
      await sleep(10);
    }
    expect(deadLettered).toBe(1);
    expect(await counterValue(registry, 'flatrender_bus_published_total', { routing_key: key })).toBe(2);
    expect(await counterValue(registry, 'flatrender_bus_consumed_total', labels)).toBe(1);
    expect(await counterValue(registry, 'flatrender_bus_retried_total', labels)).toBe(3);
  });

  it('reports queue depth and consumers at scrape time and the lag of each delivery', async () => {
    const registry = new Registry();
    const bus = await newBus({ registry });
    const queue = uniqueQueue();
    const key = 'identity.payment.failed.v1';
    const release = deferred();
    const { messages } = await collect(bus, { queue, bindings: [key], prefetch: 1 }, () => release.promise);
    // Created 5 s ago: the lag measured on delivery includes that wait.
    const old = (env: Envelope): Envelope => ({
      ...env,
      event_time: new Date(Date.now() - 5_000).toISOString(),
    });
    for (let i = 0; i < 3; i++) await bus.publish(old(envelope(key)));
    await waitFor(() => messages.length === 1, 'the first delivery');

    // One message in flight under prefetch 1, two waiting.
    let waiting = -1;
    const deadline = Date.now() + 5_000;
    while (waiting !== 2 && Date.now() < deadline) {
      waiting = await counterValue(registry, 'flatrender_bus_queue_messages', { queue });
      await sleep(20);
    }
    expect(waiting).toBe(2);
    expect(await counterValue(registry, 'flatrender_bus_queue_consumers', { queue })).toBe(1);
    const exposition = await registry.metrics();
    expect(exposition).toContain(`flatrender_bus_queue_messages{queue="${DLQ_QUEUE}"}`);
    const lag = registry.getSingleMetric('flatrender_bus_consume_lag_seconds');
    const values = (await lag?.get())?.values ?? [];
    const sum = values.find(
      (v) =>
        (v as { metricName?: string }).metricName === 'flatrender_bus_consume_lag_seconds_sum' &&
        v.labels.queue === queue,
    );
    expect(sum?.value).toBeGreaterThanOrEqual(5);
    release.resolve();
    await waitFor(() => messages.length === 3, 'the other deliveries');
  });

  it('retries a failing DLQ handler instead of losing or re-dead-lettering the message', async () => {
    const bus = await newBus();
    const marker = randomUUID();
    let failures = 0;
    const deadLetters = await collectDlq(bus, async (m) => {
      if (bodyText(m).includes(marker) && failures++ === 0) throw new Error('dlq handler failed once');
    });
    const dlq = () => deadLetters(marker);
    await harness.publishRaw({
      exchange: EXCHANGES.dlq.name,
      routingKey: 'render.job.failed.v1',
      content: marker,
    });
    await waitFor(() => dlq().length === 2, 'the second attempt');
    await sleep(300);
    expect(dlq()).toHaveLength(2);
    expect(dlq()[1]?.routingKey).toBe('render.job.failed.v1');
    expect(String(dlq()[1]?.headers[LAST_ERROR_HEADER])).toContain('dlq handler failed once');
  });
}

function bodyText(message: DeliveredMessage): string {
  return typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
}
