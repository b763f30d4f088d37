import { type Selectable, sql } from 'kysely';
import type { DeliveryTable, NotificationTx as T } from './notification.db';

export type DeliveryRow = Selectable<DeliveryTable>;

export interface DeliveryClaim {
  idempotency_key: string;
  tenant_id: string;
  notification_id: string | null;
  channel: DeliveryRow['channel'];
  kind: string;
}

/**
 * Takes a delivery for sending: creates its row on first sight, or takes it back when a previous try
 * left it `pending` (a retryable failure) or its `sending` lease ran out (a worker died mid-send).
 * Undefined means someone else has it, or it is settled (sent or failed): nothing must be sent.
 */
export async function claimDelivery(tx: T, claim: DeliveryClaim, leaseMs: number) {
  const lease = sql<Date>`now() + make_interval(secs => ${leaseMs / 1000})`;
  return tx
    .insertInto('delivery')
    .values({ ...claim, state: 'sending', attempts: 1, lease_until: lease })
    .onConflict((oc) =>
      oc
        .column('idempotency_key')
        .doUpdateSet({
          state: 'sending',
          attempts: sql<number>`delivery.attempts + 1`,
          lease_until: lease,
          updated_at: sql<Date>`now()`,
        })
        .where((eb) =>
          eb.or([
            eb('delivery.state', '=', 'pending'),
            eb.and([eb('delivery.state', '=', 'sending'), eb('delivery.lease_until', '<', sql<Date>`now()`)]),
          ]),
        ),
    )
    .returningAll()
    .executeTakeFirst();
}

export function findDelivery(tx: T, key: string): Promise<DeliveryRow | undefined> {
  return tx.selectFrom('delivery').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function settleDelivery(
  tx: T,
  key: string,
  outcome:
    | { state: 'sent'; provider_message_id: string | null }
    | { state: 'failed' | 'pending'; error_code: string; error_message: string },
): Promise<void> {
  await tx
    .updateTable('delivery')
    .set({ ...outcome, lease_until: null, updated_at: sql<Date>`now()` })
    .where('idempotency_key', '=', key)
    .execute();
}

export function deliveriesOf(tx: T, notificationId: string): Promise<DeliveryRow[]> {
  return tx
    .selectFrom('delivery')
    .selectAll()
    .where('notification_id', '=', notificationId)
    .orderBy('channel')
    .execute();
}

/** Forgets settled deliveries older than `days`: by then no redelivery of their item can come. */
export async function pruneSettledDeliveries(tx: T, days: number): Promise<void> {
  await tx
    .deleteFrom('delivery')
    .where('state', 'in', ['sent', 'failed'])
    .where('updated_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .execute();
}
