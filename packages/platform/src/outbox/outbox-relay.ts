import { randomUUID } from 'node:crypto';
import type { DispatchKey, Envelope } from '@flatrender/contracts';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import { type Bus, MessageValidationError } from '../bus/bus';
import type { Listener, ScopedDatabase } from '../db/database';
import { outboxChannel } from '../db/platform.migrations';
import type { Logger } from '../log';
import { counter, gauge } from '../metrics';
import { pruneInbox } from './inbox';

export interface OutboxRelayOptions {
  /** The service's scoped database; the relay works on its schema's outbox. */
  db: ScopedDatabase;
  bus: Bus;
  /** Names this relay's claims (default: random); distinct per replica. */
  id?: string;
  /** Rows claimed per round (default 100). */
  batchSize?: number;
  /** Look for rows this often when no notification arrives (default 2 s). */
  pollIntervalMs?: number;
  /**
   * How long a claim keeps other relays off a row (default 60 s). A relay that dies mid-batch delays
   * its rows by this much; they are then sent again (at least once, consumers deduplicate).
   */
  claimTtlMs?: number;
  /** A publish taking longer fails the round (default 15 s); must stay well below `claimTtlMs`. */
  publishTimeoutMs?: number;
  /** Retry delay after a failed round: doubles from `initialMs` up to `maxMs` (default 250 ms, 30 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Sent rows are deleted after this long (default 24 h). */
  retentionMs?: number;
  /** Inbox entries are deleted after this long (default 7 days). */
  inboxRetentionMs?: number;
  /** Pruning and the backlog gauge run this often (default 60 s). */
  housekeepingIntervalMs?: number;
  logger?: Logger;
  /** Registers `flatrender_outbox_backlog`, `_published_total`, `_publish_failures_total` by schema. */
  metrics?: Registry;
}

export interface RelayRound {
  /** Rows this round claimed. */
  claimed: number;
  published: number;
  /** Rows the bus refused as invalid: marked failed, never retried. */
  rejected: number;
  /** Why the round stopped early; the unsent rows stay for the next round. */
  error?: Error;
}

interface OutboxRow {
  id: string;
  kind: 'publish' | 'dispatch';
  routing_key: string;
  priority: number | null;
  envelope: Envelope;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Sends a schema's outbox through the bus, in id order, marking rows sent once the broker confirmed
 * them. Rows are claimed in a short transaction (`FOR UPDATE SKIP LOCKED`, then a claim with an
 * expiry), published with no transaction open, then settled: so several replicas never send one row
 * twice in normal operation, and no database connection is held while the broker is slow or down.
 * Wakes on the outbox's NOTIFY, polls as a fallback, backs off while the bus fails.
 */
export class OutboxRelay {
  readonly id: string;
  readonly #db: ScopedDatabase;
  readonly #bus: Bus;
  readonly #settings: Required<
    Omit<OutboxRelayOptions, 'db' | 'bus' | 'id' | 'logger' | 'metrics' | 'backoff'>
  > & {
    backoffInitialMs: number;
    backoffMaxMs: number;
  };
  readonly #logger: Logger | undefined;
  readonly #metrics:
    | {
        backlog: ReturnType<typeof gauge>;
        published: ReturnType<typeof counter>;
        failures: ReturnType<typeof counter>;
      }
    | undefined;

  #running = false;
  #loop: Promise<void> | undefined;
  #listener: Listener | undefined;
  #housekeepingTimer: NodeJS.Timeout | undefined;
  #housekeeping: Promise<void> | undefined;
  #failures = 0;
  #wakePending = false;
  #interruptSleep: ((byNotification: boolean) => void) | undefined;

  constructor(options: OutboxRelayOptions) {
    this.id = options.id ?? `relay-${randomUUID()}`;
    this.#db = options.db;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#settings = {
      batchSize: options.batchSize ?? 100,
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      claimTtlMs: options.claimTtlMs ?? 60_000,
      publishTimeoutMs: options.publishTimeoutMs ?? 15_000,
      backoffInitialMs: options.backoff?.initialMs ?? 250,
      backoffMaxMs: options.backoff?.maxMs ?? 30_000,
      retentionMs: options.retentionMs ?? DAY_MS,
      inboxRetentionMs: options.inboxRetentionMs ?? 7 * DAY_MS,
      housekeepingIntervalMs: options.housekeepingIntervalMs ?? 60_000,
    };
    if (this.#settings.publishTimeoutMs * 2 > this.#settings.claimTtlMs) {
      throw new Error('OutboxRelay: publishTimeoutMs must be at most half of claimTtlMs');
    }
    if (options.metrics) {
      const labels = ['schema'];
      this.#metrics = {
        backlog: gauge(
          options.metrics,
          'flatrender_outbox_backlog',
          'Outbox rows waiting to be sent.',
          labels,
        ),
        published: counter(options.metrics, 'flatrender_outbox_published_total', 'Outbox rows sent.', labels),
        failures: counter(
          options.metrics,
          'flatrender_outbox_publish_failures_total',
          'Outbox rounds stopped by a bus error.',
          labels,
        ),
      };
    }
  }

  get schema(): string {
    return this.#db.schema;
  }

  /** Starts relaying in the background; resolves once it listens for new rows. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#listener = await this.#db.database.listen(outboxChannel(this.schema), () => this.#wake());
    this.#running = true;
    this.#loop = this.#run();
    this.#housekeepingTimer = setInterval(() => {
      this.#housekeeping ??= this.#housekeep().finally(() => {
        this.#housekeeping = undefined;
      });
    }, this.#settings.housekeepingIntervalMs);
    this.#housekeepingTimer.unref();
  }

  /** Finishes the round in progress (its rows are settled), then stops. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearInterval(this.#housekeepingTimer);
    this.#interruptSleep?.(false);
    await this.#loop;
    await this.#housekeeping;
    await this.#listener?.close();
    this.#listener = undefined;
  }

  /** Unsent rows (not counting those refused as invalid): the backlog metric. */
  async backlog(): Promise<number> {
    const { rows } = await this.#db.asSystem((tx) =>
      sql<{
        n: number;
      }>`select count(*)::int as n from outbox where sent_at is null and failed_at is null`.execute(tx),
    );
    return rows[0]?.n ?? 0;
  }

  /** One round: claim up to a batch, send in order until the first bus failure, settle. */
  async relayOnce(): Promise<RelayRound> {
    const rows = await this.#claim();
    if (rows.length === 0) return { claimed: 0, published: 0, rejected: 0 };
    const sent: string[] = [];
    const rejected: { id: string; error: string }[] = [];
    let failure: { id: string; error: Error } | undefined;
    for (const row of rows) {
      try {
        await this.#send(row);
        sent.push(row.id);
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        if (err instanceof MessageValidationError) {
          rejected.push({ id: row.id, error: err.message });
          this.#logger?.error(
            { err, event_id: row.envelope.event_id, routing_key: row.routing_key, schema: this.schema },
            'outbox: bus refused a message as invalid; it is kept as failed and never retried',
          );
          continue;
        }
        failure = { id: row.id, error: err };
        break;
      }
    }
    await this.#settle(sent, rejected, failure);
    this.#metrics?.published.inc({ schema: this.schema }, sent.length);
    return {
      claimed: rows.length,
      published: sent.length,
      rejected: rejected.length,
      ...(failure ? { error: failure.error } : {}),
    };
  }

  /** Deletes sent rows past retention and old inbox entries. */
  async prune(): Promise<{ outbox: number; inbox: number }> {
    const result = await this.#db.asSystem((tx) =>
      sql`delete from outbox where id in (
            select id from outbox
             where sent_at < now() - make_interval(secs => ${this.#settings.retentionMs / 1000})
             limit 10000)`.execute(tx),
    );
    const inbox = await pruneInbox(this.#db, this.#settings.inboxRetentionMs);
    return { outbox: Number(result.numAffectedRows ?? 0n), inbox };
  }

  async #claim(): Promise<OutboxRow[]> {
    const { rows } = await this.#db.asSystem((tx) =>
      sql<OutboxRow>`
        update outbox
           set claimed_by = ${this.id},
               claim_expires_at = now() + make_interval(secs => ${this.#settings.claimTtlMs / 1000})
         where id in (
                 select id from outbox
                  where sent_at is null and failed_at is null
                    and (claim_expires_at is null or claim_expires_at < now())
                  order by id
                  limit ${this.#settings.batchSize}
                    for update skip locked)
        returning id, kind, routing_key, priority, envelope`.execute(tx),
    );
    return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  async #send(row: OutboxRow): Promise<void> {
    const sending =
      row.kind === 'dispatch'
        ? this.#bus.dispatch(
            row.routing_key as DispatchKey,
            row.envelope,
            row.priority === null ? {} : { priority: row.priority },
          )
        : this.#bus.publish(row.envelope);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`bus did not confirm within ${this.#settings.publishTimeoutMs} ms`)),
        this.#settings.publishTimeoutMs,
      );
    });
    try {
      await Promise.race([sending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #settle(
    sent: string[],
    rejected: { id: string; error: string }[],
    failure: { id: string; error: Error } | undefined,
  ): Promise<void> {
    await this.#db.asSystem(async (tx) => {
      if (sent.length > 0) {
        await sql`
          update outbox set sent_at = now(), attempts = attempts + 1, claimed_by = null, claim_expires_at = null
           where id = any(${sent}::bigint[])`.execute(tx);
      }
      for (const r of rejected) {
        await sql`
          update outbox set failed_at = now(), attempts = attempts + 1, last_error = ${r.error},
                            claimed_by = null, claim_expires_at = null
           where id = ${r.id}`.execute(tx);
      }
      if (failure) {
        await sql`
          update outbox set attempts = attempts + 1, last_error = ${failure.error.message}
           where id = ${failure.id}`.execute(tx);
      }
      // Rows claimed but not reached are released at once instead of waiting for the claim to expire.
      await sql`
        update outbox set claimed_by = null, claim_expires_at = null
         where claimed_by = ${this.id} and sent_at is null and failed_at is null`.execute(tx);
    });
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#wakePending = false;
      let round: RelayRound;
      try {
        round = await this.relayOnce();
      } catch (error) {
        round = {
          claimed: 0,
          published: 0,
          rejected: 0,
          error: error instanceof Error ? error : new Error(String(error)),
        };
      }
      if (round.error) {
        this.#failures++;
        this.#metrics?.failures.inc({ schema: this.schema });
        const delay = Math.min(
          this.#settings.backoffMaxMs,
          this.#settings.backoffInitialMs * 2 ** Math.min(this.#failures - 1, 20),
        );
        this.#logger?.warn(
          { err: round.error, schema: this.schema, failures: this.#failures, retry_in_ms: delay },
          'outbox: sending failed; rows are kept and retried',
        );
        await this.#sleep(delay, false);
        continue;
      }
      if (this.#failures > 0) this.#logger?.info({ schema: this.schema }, 'outbox: sending recovered');
      this.#failures = 0;
      if (round.claimed >= this.#settings.batchSize) continue;
      await this.#sleep(this.#settings.pollIntervalMs, true);
    }
  }

  #wake(): void {
    this.#wakePending = true;
    this.#interruptSleep?.(true);
  }

  /** Waits `ms`; a notification ends the wait early only when `wakeable` (not during a backoff). */
  #sleep(ms: number, wakeable: boolean): Promise<void> {
    if (!this.#running || (wakeable && this.#wakePending)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#interruptSleep = (byNotification) => {
        if (!byNotification || wakeable) done();
      };
    });
  }

  async #housekeep(): Promise<void> {
    try {
      await this.prune();
      if (this.#metrics) this.#metrics.backlog.set({ schema: this.schema }, await this.backlog());
    } catch (error) {
      this.#logger?.warn({ err: error, schema: this.schema }, 'outbox: housekeeping failed');
    }
  }
}
