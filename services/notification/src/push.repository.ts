import { type Selectable, sql } from 'kysely';
import type { PushSubscriptionTable, NotificationTx as T } from './notification.db';

export type PushSubscriptionRow = Selectable<PushSubscriptionTable>;

/**
 * Saves a browser's subscription for a user. An endpoint identifies one browser profile: subscribing
 * it again (new keys, or another user signing in on that browser) replaces the old record.
 */
export async function upsertSubscription(
  tx: T,
  sub: Pick<PushSubscriptionRow, 'id' | 'user_id' | 'endpoint' | 'p256dh' | 'auth' | 'user_agent'>,
): Promise<PushSubscriptionRow> {
  return tx
    .insertInto('push_subscription')
    .values(sub)
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet((eb) => ({
        user_id: eb.ref('excluded.user_id'),
        p256dh: eb.ref('excluded.p256dh'),
        auth: eb.ref('excluded.auth'),
        user_agent: eb.ref('excluded.user_agent'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function subscriptionsOf(tx: T, userId: string): Promise<PushSubscriptionRow[]> {
  return tx
    .selectFrom('push_subscription')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findSubscription(tx: T, id: string): Promise<PushSubscriptionRow | undefined> {
  return tx.selectFrom('push_subscription').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes one of the user's subscriptions; false when it is not theirs. */
export async function deleteSubscription(tx: T, userId: string, id: string): Promise<boolean> {
  const result = await tx
    .deleteFrom('push_subscription')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The push service said the subscription is gone (404/410): it will never work again. */
export async function forgetSubscription(tx: T, id: string): Promise<void> {
  await tx.deleteFrom('push_subscription').where('id', '=', id).execute();
}

export async function touchSubscription(tx: T, id: string): Promise<void> {
  await tx
    .updateTable('push_subscription')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** A value generated once for the whole service; the first writer wins, everyone reads the same. */
export async function settingOrCreate<V>(tx: T, key: string, create: () => V): Promise<V> {
  const existing = await tx.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  if (existing) return existing.value as V;
  await tx
    .insertInto('setting')
    .values({ key, value: JSON.stringify(create()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await tx.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value as V;
}
