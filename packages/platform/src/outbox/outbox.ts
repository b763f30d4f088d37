import { CATALOG, type Envelope, isMessageKey, validateMessage } from '@flatrender/contracts';
import { sql } from 'kysely';
import type { Tx } from '../db/database';

export interface EnqueueOptions {
  /** Work items only (render queues): 0-10, higher first. */
  priority?: number;
}

export class OutboxMessageError extends Error {
  readonly code = 'invalid_outbox_message';
}

/**
 * Records a message in the outbox of the transaction's service schema, to be sent by the relay once
 * the transaction commits; a rollback leaves nothing. Domain events (`flatrender.events`) are
 * published, work items (`render.queue.*`, `notify.channel.*`) dispatched, as the catalog says for
 * `envelope.event_type` (which is also the routing key). Validated now against the catalog, so an
 * invalid message fails the state change that produced it rather than blocking the relay later.
 *
 * `tx` must come from `withTenant` or `asSystem` of the service's scoped database (its search_path
 * selects the schema).
 */
export async function enqueue(tx: Tx, envelope: Envelope, options: EnqueueOptions = {}): Promise<void> {
  const key = envelope.event_type;
  if (!isMessageKey(key)) throw new OutboxMessageError(`enqueue: "${key}" is not in the catalog`);
  const checked = validateMessage(key, envelope);
  if (!checked.ok) throw new OutboxMessageError(`enqueue: invalid ${key}: ${checked.error}`);
  const kind = CATALOG[key].kind === 'event' ? 'publish' : 'dispatch';
  const { priority } = options;
  if (priority !== undefined) {
    if (kind !== 'dispatch')
      throw new OutboxMessageError(`enqueue: priority applies to work items, not to event ${key}`);
    if (!Number.isInteger(priority) || priority < 0 || priority > 10) {
      throw new OutboxMessageError(`enqueue: priority must be a whole number 0-10 (got ${priority})`);
    }
  }
  await sql`
    insert into outbox (event_id, kind, routing_key, priority, envelope)
    values (${envelope.event_id}, ${kind}, ${key}, ${priority ?? null}, ${JSON.stringify(envelope)}::jsonb)`.execute(
    tx,
  );
}
