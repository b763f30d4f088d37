import path from 'node:path';
import pg from 'pg';
import { createDeployment } from './support/deployment';
import { type Drill, Expectations, seconds, sleep, waitUntil } from './support/drill';
import { CONSUMER_SCHEMA, PRODUCER_SCHEMA } from './support/stand-in.process';

const STAND_IN = path.join(import.meta.dirname, 'support', 'stand-in.process.ts');
const RATE = 200;
const PRODUCE_SECONDS = 25;
const DOWN_AT_MS = 8_000;
const DOWN_FOR_MS = 5_000;

/**
 * RabbitMQ goes away for 5 s while a producer writes 200 events/s through its outbox and a consumer
 * in another process handles them. Expected: the outbox keeps every event while the broker is away
 * and drains once it is back, the consumer reconnects within 10 s, and every event is handled once.
 */
export const rabbitmqRestartDrill: Drill = {
  name: 'rabbitmq-restart',
  title: 'RabbitMQ stop_app/start_app under 200 events/s',
  budgetSeconds: 240,
  async run({ servers, log }) {
    const expectations = new Expectations();
    const deployment = await createDeployment(servers, { name: 'rmq', log });
    const client = new pg.Client({ connectionString: deployment.databaseUrl });
    let rabbitDown = false;
    try {
      await client.connect();
      const env = { DRILL_RATE: String(RATE), DRILL_SECONDS: String(PRODUCE_SECONDS), LOG_LEVEL: 'warn' };
      const consumer = await deployment.spawn(
        'consumer',
        ['--import', 'tsx', STAND_IN, 'consumer'],
        env,
        /drill-consumer: running/,
      );
      const producer = await deployment.spawn(
        'producer',
        ['--import', 'tsx', STAND_IN, 'producer'],
        env,
        /drill-producer: running/,
      );
      const started = Date.now();
      const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
      const backlog = () =>
        count(`SELECT count(*) AS n FROM ${PRODUCER_SCHEMA}.outbox WHERE sent_at IS NULL`);
      const produced = () => count(`SELECT count(*) AS n FROM ${PRODUCER_SCHEMA}.outbox`);
      const consumed = () => count(`SELECT count(*) AS n FROM ${CONSUMER_SCHEMA}.inbox`);

      const timeline: { at: number; backlog: number }[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          timeline.push({ at: Date.now() - started, backlog: await backlog() });
          await sleep(500);
        }
      })();

      await sleep(DOWN_AT_MS);
      log('stopping RabbitMQ (rabbitmqctl stop_app)');
      rabbitDown = true;
      const downAt = Date.now();
      await servers.stopRabbit();
      await sleep(DOWN_FOR_MS);
      log('starting RabbitMQ (rabbitmqctl start_app)');
      await servers.startRabbit();
      rabbitDown = false;
      const upAt = Date.now();

      // Consumers are back when an event is handled after the broker came back.
      const upIso = new Date(upAt).toISOString();
      const back = await waitUntil(
        async () =>
          (await count(
            `SELECT count(*) AS n FROM ${CONSUMER_SCHEMA}.inbox WHERE processed_at > '${upIso}'`,
          )) > 0,
        30_000,
        50,
      );
      const firstAfter = await client.query<{ t: Date | null }>(
        `SELECT min(processed_at) AS t FROM ${CONSUMER_SCHEMA}.inbox WHERE processed_at > $1`,
        [upIso],
      );
      const backMs = back && firstAfter.rows[0]?.t ? firstAfter.rows[0].t.getTime() - upAt : Number.NaN;

      const done = await waitUntil(
        () => /drill-producer: done \d+/.test(producer.output()),
        (PRODUCE_SECONDS + 30) * 1000,
        250,
      );
      const settled = await waitUntil(
        async () => (await backlog()) === 0 && (await consumed()) === (await produced()),
        90_000,
        250,
      );
      const drainedAt = Date.now();
      sampling = false;
      await sampler;

      const total = await produced();
      const handled = await consumed();
      const lost = await count(
        `SELECT count(*) AS n FROM ${PRODUCER_SCHEMA}.outbox o
          WHERE NOT EXISTS (SELECT 1 FROM ${CONSUMER_SCHEMA}.inbox i WHERE i.event_id = o.event_id)`,
      );
      const peak = Math.max(0, ...timeline.map((t) => t.backlog));
      const drainedFromUp = timeline.find((t) => t.at > upAt - started && t.backlog === 0);
      const achievedRate = total / PRODUCE_SECONDS;

      expectations.expect(done, 'the producer did not finish');
      expectations.expect(settled, 'the outbox did not drain or not every event was consumed within 90 s');
      expectations.expect(lost === 0, `${lost} events were never consumed`);
      expectations.expect(handled === total, `consumed ${handled} of ${total}`);
      expectations.expect(backMs <= 10_000, `consumers took ${seconds(backMs)} to come back (limit 10 s)`);
      expectations.expect(achievedRate >= RATE * 0.95, `produced only ${achievedRate.toFixed(0)} events/s`);
      expectations.expect(consumer.alive() && producer.alive(), 'a process died');
      expectations.expect(peak > 0, 'the outbox never held a backlog: the broker outage was not felt');

      const curve = timeline
        .filter((_, i) => i % 4 === 0)
        .map((t) => t.backlog)
        .join('→');
      return expectations.result(
        `${total} events at ${achievedRate.toFixed(0)}/s, broker down ${seconds(upAt - downAt)}; events never consumed: ${lost}; ` +
          `consumers back ${seconds(backMs)} after start_app; outbox backlog peak ${peak}, drained ${drainedFromUp ? seconds(drainedFromUp.at - (upAt - started)) : seconds(drainedAt - upAt)} after start_app`,
        [`outbox backlog every 2 s: ${curve}`],
      );
    } finally {
      // Whatever happened, the broker runs again before the next drill.
      if (rabbitDown) await servers.startRabbit().catch((e: Error) => log(`start_app failed: ${e.message}`));
      await client.end().catch(() => undefined);
      await deployment.teardown();
    }
  },
};
