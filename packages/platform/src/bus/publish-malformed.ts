// Operator check of the bus's failure path (issue acceptance): publishes malformed messages with a raw
// AMQP client, not the bus, lets a bus consumer reject them through its retries, and shows them in
// flatrender.dlq with `x-original-routing-key`. Every queue bound to the key gets a copy, so running
// services dead-letter their own copies too.
//
//   AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npx tsx packages/platform/src/bus/publish-malformed.ts [event key]
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  CONTENT_ENCODING,
  CONTENT_TYPE,
  DLQ_QUEUE,
  EVENT_KEYS,
  type EventKey,
  EXCHANGES,
  HEADER,
} from '@flatrender/contracts';
import { Registry } from 'prom-client';
import { Connection } from 'rabbitmq-client';
import { createLogger } from '../log';
import { RabbitMqBus } from './rabbitmq.bus';
import { LAST_ERROR_HEADER, ORIGINAL_QUEUE_HEADER } from './retry.policy';

export const MALFORMED_KINDS = ['not-json', 'invalid-envelope', 'invalid-data', 'missing-headers'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

export interface DeadLetterSeen {
  kind: MalformedKind;
  messageId: string;
  originalRoutingKey: unknown;
  originalQueue: unknown;
  retryCount: unknown;
  lastError: unknown;
}

export interface PublishMalformedOptions {
  url: string;
  routingKey?: EventKey;
  timeoutMs?: number;
}

/** Publishes one message of each malformed kind and returns them as found in the DLQ (left there). */
export async function publishMalformed(options: PublishMalformedOptions): Promise<DeadLetterSeen[]> {
  const routingKey = options.routingKey ?? 'identity.user.registered.v1';
  const probe = randomUUID();
  const registry = new Registry();
  const bus = await RabbitMqBus.connect({
    url: options.url,
    connectionName: 'publish-malformed',
    registry,
    backoffBaseMs: 100,
    backoffCapMs: 400,
    logger: createLogger({ service: 'publish-malformed', level: 'silent' }),
  });
  const raw = new Connection({ url: options.url, connectionName: 'publish-malformed-raw' });
  raw.on('error', () => {});
  try {
    // A consumer private to this run, so its retries happen even when no service is running.
    await bus.subscribe(
      { queue: `malformed-probe-${probe}.events`, bindings: [routingKey], transient: true },
      async () => {
        throw new Error('publish-malformed: a malformed message reached a handler');
      },
    );
    const publisher = raw.createPublisher({ confirm: true });
    for (const kind of MALFORMED_KINDS) {
      const message = malformed(kind, routingKey);
      await publisher.send(
        {
          exchange: EXCHANGES.events.name,
          routingKey,
          durable: true,
          messageId: `${probe}:${kind}`,
          contentType: CONTENT_TYPE,
          contentEncoding: CONTENT_ENCODING,
          headers: message.headers,
        },
        Buffer.from(message.content, 'utf8'),
      );
    }
    await publisher.close();
    await waitForDeadLetters(registry, MALFORMED_KINDS.length, options.timeoutMs ?? 30_000);
    return await peekDeadLetters(raw, probe);
  } finally {
    await bus.close();
    await raw.close();
  }
}

function malformed(
  kind: MalformedKind,
  routingKey: string,
): { content: string; headers: Record<string, string> } {
  const envelope = {
    event_id: randomUUID(),
    event_type: routingKey,
    event_time: new Date().toISOString(),
    tenant_id: randomUUID(),
    user_id: randomUUID(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
    producer: 'publish-malformed',
    data: { unexpected_field: true },
  };
  const headers = {
    [HEADER.contentType]: CONTENT_TYPE,
    [HEADER.contentEncoding]: CONTENT_ENCODING,
    [HEADER.eventType]: envelope.event_type,
    [HEADER.tenantId]: envelope.tenant_id,
    [HEADER.traceId]: envelope.trace_id,
  };
  switch (kind) {
    case 'not-json':
      return { content: '{"event_id": "this is not JSON', headers };
    case 'invalid-envelope':
      return {
        content: JSON.stringify({ ...envelope, event_id: 'not-a-uuid', tenant_id: undefined }),
        headers,
      };
    case 'invalid-data':
      return { content: JSON.stringify(envelope), headers };
    case 'missing-headers':
      return { content: JSON.stringify(envelope), headers: {} };
  }
}

async function waitForDeadLetters(registry: Registry, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metric = registry.getSingleMetric('flatrender_bus_dead_lettered_total');
    const values = metric ? (await metric.get()).values : [];
    if (values.reduce((sum, v) => sum + v.value, 0) >= count) return;
    if (Date.now() > deadline)
      throw new Error(`only some malformed messages reached ${DLQ_QUEUE} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Reads the DLQ without consuming it: messages are fetched unacknowledged on one channel that is then
 * closed, which gives every one of them back to the queue.
 */
const PEEK_LIMIT = 10_000;

async function peekDeadLetters(raw: Connection, probe: string): Promise<DeadLetterSeen[]> {
  const channel = await raw.acquire();
  const seen: DeadLetterSeen[] = [];
  try {
    for (let read = 0; read < PEEK_LIMIT; read++) {
      const message = await channel.basicGet({ queue: DLQ_QUEUE, noAck: false });
      if (!message) break;
      const messageId = message.messageId ?? '';
      if (!messageId.startsWith(`${probe}:`)) continue;
      const headers = message.headers ?? {};
      seen.push({
        kind: messageId.slice(probe.length + 1) as MalformedKind,
        messageId,
        originalRoutingKey: headers[HEADER.originalRoutingKey],
        originalQueue: headers[ORIGINAL_QUEUE_HEADER],
        retryCount: headers[HEADER.retryCount],
        lastError: headers[LAST_ERROR_HEADER],
      });
    }
  } finally {
    await channel.close();
  }
  return seen;
}

async function main(): Promise<void> {
  const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const key = process.argv[2] ?? 'identity.user.registered.v1';
  if (!(EVENT_KEYS as readonly string[]).includes(key)) {
    throw new Error(`"${key}" is not a catalog event key`);
  }
  const seen = await publishMalformed({ url, routingKey: key as EventKey });
  console.log(`${seen.length} malformed messages are in ${DLQ_QUEUE} (left there for inspection; other`);
  console.log(`services' queues bound to ${key} dead-letter copies of their own):`);
  for (const s of seen) {
    console.log(
      `  ${s.kind.padEnd(17)} x-original-routing-key=${String(s.originalRoutingKey)} ` +
        `x-original-queue=${String(s.originalQueue)} x-retry-count=${String(s.retryCount)}\n` +
        `  ${''.padEnd(17)} x-last-error=${String(s.lastError)}`,
    );
  }
  if (!MALFORMED_KINDS.every((kind) => seen.some((s) => s.kind === kind))) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`publish-malformed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
