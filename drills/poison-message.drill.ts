import { randomUUID } from 'node:crypto';
import { CONTENT_ENCODING, CONTENT_TYPE, DLQ_QUEUE, EXCHANGES, HEADER } from '@flatrender/contracts';
import { createBus, createLogger, createMetricsRegistry, type DeliveredMessage } from '@flatrender/platform';
import pg from 'pg';
import { Connection } from 'rabbitmq-client';
import { type Drill, Expectations, seconds, waitUntil } from './support/drill';
import type { DrillPlatform } from './support/platform';

const KEY = 'identity.user.registered.v1';

/**
 * A poison message on a real service's queue: the notification service consumes
 * `identity.user.registered.v1`; a message with that key whose body is not a valid envelope arrives on
 * its queue. Expected: 3 retries with backoff, then `flatrender.dlq` with the original routing key and
 * the retry count; meanwhile and afterwards the service keeps handling real events.
 */
export function poisonMessageDrill(platform: () => Promise<DrillPlatform>): Drill {
  return {
    name: 'poison-message',
    title: 'poison message on a service queue',
    budgetSeconds: 180,
    async run({ log }) {
      const expectations = new Expectations();
      const p = await platform();
      const dlq: DeliveredMessage[] = [];
      const bus = await createBus({
        amqpUrl: p.deployment.amqpUrl,
        logger: createLogger({ level: 'silent' }),
        registry: createMetricsRegistry({ defaultMetrics: false }),
      });
      const raw = new Connection({ url: p.deployment.amqpUrl });
      const client = new pg.Client({ connectionString: p.deployment.databaseUrl });
      await client.connect();
      const publisher = raw.createPublisher({ confirm: true });
      try {
        await bus.subscribe({ queue: DLQ_QUEUE }, async (m) => {
          dlq.push(m);
        });
        const handled = async () =>
          Number(
            (
              await client.query<{ n: string }>(
                "SELECT count(*) AS n FROM notification.inbox WHERE event_type = 'identity.user.registered.v1'",
              )
            ).rows[0]?.n ?? 0,
          );
        const before = await handled();
        const marker = randomUUID();
        const sentAt = Date.now();
        log(`publishing a poison ${KEY} (not an envelope) on ${EXCHANGES.events.name}`);
        await publisher.send(
          {
            exchange: EXCHANGES.events.name,
            routingKey: KEY,
            durable: true,
            contentType: CONTENT_TYPE,
            contentEncoding: CONTENT_ENCODING,
            headers: {
              [HEADER.contentType]: CONTENT_TYPE,
              [HEADER.contentEncoding]: CONTENT_ENCODING,
              [HEADER.eventType]: KEY,
              [HEADER.tenantId]: randomUUID(),
              [HEADER.traceId]: randomUUID(),
            },
          },
          Buffer.from(JSON.stringify({ poison: marker, event_type: KEY })),
        );
        // While the poison waits for its retries, real events keep flowing: a registration.
        const account = await p.account();
        const handledDuring = await waitUntil(async () => (await handled()) > before, 30_000, 200);
        const ours = () =>
          dlq.find((m) =>
            (typeof m.body === 'object' ? JSON.stringify(m.body) : String(m.body)).includes(marker),
          );
        const arrived = await waitUntil(() => ours() !== undefined, 60_000, 100);
        const deadLetter = ours();
        const dlqMs = Date.now() - sentAt;
        // After the poison, the consumer is still there: another registration is handled.
        const mid = await handled();
        await p.account();
        const handledAfter = await waitUntil(async () => (await handled()) > mid, 30_000, 200);
        const notification = p.deployment.processes.find((x) => x.name === 'notification');

        expectations.expect(arrived, 'the poison message never reached flatrender.dlq');
        expectations.expect(
          deadLetter?.headers[HEADER.originalRoutingKey] === KEY,
          `x-original-routing-key is ${String(deadLetter?.headers[HEADER.originalRoutingKey])}`,
        );
        expectations.expect(
          Number(deadLetter?.headers[HEADER.retryCount]) === 3,
          `x-retry-count is ${String(deadLetter?.headers[HEADER.retryCount])}`,
        );
        expectations.expect(handledDuring, 'a real event was not handled while the poison was retried');
        expectations.expect(handledAfter, 'a real event was not handled after the poison');
        expectations.expect(Boolean(notification?.alive()), 'the notification service died');
        expectations.expect(Boolean(account.tenantId), 'no account');
        return expectations.result(
          `in flatrender.dlq after ${seconds(dlqMs)} with x-retry-count ${String(deadLetter?.headers[HEADER.retryCount])} and x-original-routing-key ${String(deadLetter?.headers[HEADER.originalRoutingKey])}; ` +
            `real registrations handled during and after: ${handledDuring && handledAfter ? 'yes' : 'no'}; notification process alive: ${notification?.alive() ? 'yes' : 'no'}`,
        );
      } finally {
        await publisher.close().catch(() => undefined);
        await raw.close().catch(() => undefined);
        await bus.close().catch(() => undefined);
        await client.end().catch(() => undefined);
      }
    },
  };
}
