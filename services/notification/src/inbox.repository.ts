import type { DeliveryChannel, NotificationChannel } from '@flatrender/contracts';
import { type Selectable, sql } from 'kysely';
import type { ChannelChoices } from './domain/kinds';
import type { NoticeIntent } from './domain/notice-content';
import type { NotificationTable, NotificationTx as T } from './notification.db';

export type NotificationRow = Selectable<NotificationTable>;

/** Every column, with the bigint `seq` as text (drivers differ on int8). */
const COLUMNS = [
  'id',
  'tenant_id',
  'recipient_user_id',
  'kind',
  'locale',
  'title',
  'body',
  'link',
  'channels',
  'cause_event_id',
  'created_at',
  'read_at',
  sql<string>`seq::text`.as('seq'),
] as const;

export async function insertNotification(
  tx: T,
  row: Omit<NotificationRow, 'created_at' | 'read_at' | 'seq' | 'channels'> & {
    channels: NotificationChannel[];
  },
): Promise<NotificationRow> {
  return tx
    .insertInto('notification')
    .values({ ...row, channels: JSON.stringify(row.channels) })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** A user's notices in the transaction's tenant, newest first; `before` is the `seq` of the last one seen. */
export function listInbox(
  tx: T,
  userId: string,
  options: { limit: number; before?: string; unreadOnly?: boolean },
): Promise<NotificationRow[]> {
  let query = tx
    .selectFrom('notification')
    .select(COLUMNS)
    .where('recipient_user_id', '=', userId)
    .orderBy('notification.seq', 'desc')
    .limit(options.limit);
  if (options.before !== undefined) query = query.where(sql<boolean>`seq < ${options.before}::bigint`);
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  return query.execute();
}

export function findNotification(tx: T, userId: string, id: string): Promise<NotificationRow | undefined> {
  return tx
    .selectFrom('notification')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('recipient_user_id', '=', userId)
    .executeTakeFirst();
}

export async function unreadCount(tx: T, userId: string): Promise<number> {
  const row = await tx
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('recipient_user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the user's notices read (idempotent); undefined when it is not theirs. */
export async function markRead(tx: T, userId: string, id: string): Promise<NotificationRow | undefined> {
  const row = await tx
    .updateTable('notification')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('recipient_user_id', '=', userId)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row;
}

export async function markAllRead(tx: T, userId: string): Promise<number> {
  const result = await tx
    .updateTable('notification')
    .set({ read_at: sql<Date>`now()` })
    .where('recipient_user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The user's explicit choices, by kind. */
export async function choicesOf(tx: T, userId: string, kind?: string): Promise<Map<string, ChannelChoices>> {
  let query = tx
    .selectFrom('preference')
    .select(['kind', 'channel', 'enabled'])
    .where('user_id', '=', userId);
  if (kind !== undefined) query = query.where('kind', '=', kind);
  const byKind = new Map<string, ChannelChoices>();
  for (const row of await query.execute()) {
    const choices = byKind.get(row.kind) ?? {};
    choices[row.channel as DeliveryChannel] = row.enabled;
    byKind.set(row.kind, choices);
  }
  return byKind;
}

export async function setChoices(
  tx: T,
  userId: string,
  entries: readonly { kind: string; channel: DeliveryChannel; enabled: boolean }[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx
    .insertInto('preference')
    .values(entries.map((e) => ({ user_id: userId, ...e })))
    .onConflict((oc) =>
      oc.columns(['user_id', 'kind', 'channel']).doUpdateSet((eb) => ({
        enabled: eb.ref('excluded.enabled'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

/** Parks a notice whose recipient is not known yet; the scheduler asks identity about it. */
export async function parkNotice(tx: T, id: string, tenantId: string, intent: NoticeIntent): Promise<void> {
  await tx
    .insertInto('notice_backlog')
    .values({ id, tenant_id: tenantId, intent: JSON.stringify(intent) })
    .execute();
}

/**
 * Takes up to `limit` parked notices that are due, pushing their next try `claimMs` ahead so that other
 * schedulers skip them while this one asks identity about them.
 */
export function claimDueBacklog(tx: T, now: Date, limit: number, claimMs: number) {
  return tx
    .updateTable('notice_backlog')
    .set({ next_try_at: new Date(now.getTime() + claimMs) })
    .where(
      'id',
      'in',
      tx
        .selectFrom('notice_backlog')
        .select('id')
        .where('next_try_at', '<=', now)
        .orderBy('next_try_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'intent', 'attempts'])
    .execute() as Promise<{ id: string; intent: NoticeIntent; attempts: number }[]>;
}

export async function dropBacklog(tx: T, id: string): Promise<void> {
  await tx.deleteFrom('notice_backlog').where('id', '=', id).execute();
}

export async function postponeBacklog(tx: T, id: string, retryAt: Date): Promise<void> {
  await tx
    .updateTable('notice_backlog')
    .set({ attempts: sql<number>`attempts + 1`, next_try_at: retryAt })
    .where('id', '=', id)
    .execute();
}
