import type { Envelope } from '@flatrender/contracts';
import { sql } from 'kysely';
import type { ScopedDatabase, Tx } from '../db/database';

export interface HandleOnceOptions {
  /** `tenant` (default): the handler's transaction is scoped to `envelope.tenant_id`. */
  scope?: 'tenant' | 'system';
}

export type HandleOnceResult<T> = { handled: true; result: T } | { handled: false };

/**
 * Runs `handler` at most once per (consumer, event_id): in one transaction that first records the
 * event id in the schema's inbox, then does the work. A duplicate delivery finds the id recorded and
 * commits nothing; a handler that throws rolls the record back with its work, so a redelivery runs
 * it again. Two concurrent deliveries of one event serialise on the inbox key: the second waits and
 * then skips (or runs, if the first rolled back).
 */
export async function handleOnce<DB, T>(
  db: ScopedDatabase<DB>,
  consumer: string,
  envelope: Pick<Envelope, 'event_id' | 'event_type' | 'tenant_id'>,
  handler: (tx: Tx<DB>) => Promise<T>,
  options: HandleOnceOptions = {},
): Promise<HandleOnceResult<T>> {
  const work = async (tx: Tx<DB>): Promise<HandleOnceResult<T>> => {
    const recorded = await sql`
      insert into inbox (consumer, event_id, event_type)
      values (${consumer}, ${envelope.event_id}, ${envelope.event_type})
      on conflict do nothing
      returning event_id`.execute(tx);
    if (recorded.rows.length === 0) return { handled: false };
    return { handled: true, result: await handler(tx) };
  };
  return options.scope === 'system' ? db.asSystem(work) : db.withTenant(envelope.tenant_id, work);
}

/** Forgets inbox entries older than `olderThanMs`; redeliveries come within minutes, not days. */
export async function pruneInbox(db: ScopedDatabase, olderThanMs: number): Promise<number> {
  const result = await db.asSystem((tx) =>
    sql`delete from inbox where processed_at < now() - make_interval(secs => ${olderThanMs / 1000})`.execute(
      tx,
    ),
  );
  return Number(result.numAffectedRows ?? 0n);
}
