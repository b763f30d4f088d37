/**
 * A stand-in producer or consumer for the bus drills, run as its own OS process through the real
 * composition (`startPlatformProcess`: migrations, outbox relay, inbox, consumers, RabbitMQ adapter).
 * The real services cannot make 200 events/s on demand (registrations hash passwords), so the drill
 * supplies its own: the producer writes catalog events through the outbox at DRILL_RATE per second
 * for DRILL_SECONDS; the consumer handles them once each through the inbox.
 *
 *   tsx drills/support/stand-in.process.ts producer|consumer
 */
import type { MessageKey } from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { defineService, type ServiceDefinition } from '@flatrender/platform';
import { startPlatformProcess } from '../../bin/cli/platform-process';

export const DRILL_EVENT: MessageKey = 'identity.payment.failed.v1';
export const PRODUCER_SCHEMA = 'drill_producer';
export const CONSUMER_SCHEMA = 'drill_consumer';

const role = process.argv[2];
const rate = Number(process.env.DRILL_RATE ?? 200);
const seconds = Number(process.env.DRILL_SECONDS ?? 20);

function producer(): ServiceDefinition {
  let stopped = false;
  let loop: Promise<void> | undefined;
  return defineService({
    name: 'studio',
    producer: 'drill-producer',
    schema: PRODUCER_SCHEMA,
    setup: (ctx) => ({
      start: async () => {
        const db = ctx.db;
        if (!db) throw new Error('the producer needs its schema');
        const data = sampleEnvelope(DRILL_EVENT).data;
        const started = Date.now();
        let sent = 0;
        loop = (async () => {
          while (!stopped) {
            const elapsed = (Date.now() - started) / 1000;
            if (elapsed >= seconds) break;
            // Catch up to the rate: each event in its own transaction, as a state change would be.
            const due = Math.floor(elapsed * rate);
            while (sent < due && !stopped) {
              await db.asSystem((tx) => ctx.emit(tx, DRILL_EVENT, data));
              sent++;
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          process.stdout.write(`drill-producer: done ${sent}\n`);
        })().catch((error: Error) => {
          process.stdout.write(`drill-producer: failed ${error.message}\n`);
        });
      },
      stop: async () => {
        stopped = true;
        await loop;
      },
    }),
  });
}

function consumer(): ServiceDefinition {
  return defineService({
    name: 'notification',
    // Not the notification service (which handles every event the catalog gives it): one event only.
    producer: 'drill-consumer',
    schema: CONSUMER_SCHEMA,
    // The inbox row written with the handler's transaction is the record of what arrived.
    setup: () => ({ events: { [DRILL_EVENT]: async () => {} } }),
  });
}

if (role === 'producer' || role === 'consumer') {
  const definition = role === 'producer' ? producer() : consumer();
  const platform = await startPlatformProcess({
    services: [definition.name],
    definitions: [definition],
    mode: 'distributed',
    http: false,
  });
  platform.infra.lifecycle.handleSignals();
  process.stdout.write(`drill-${role}: running\n`);
}
