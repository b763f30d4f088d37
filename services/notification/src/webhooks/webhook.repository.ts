import { type Selectable, sql } from 'kysely';
import type {
  NotificationTx as T,
  WebhookAttemptTable,
  WebhookDeliveryTable,
  WebhookEndpointTable,
} from '../notification.db';

export type EndpointRow = Omit<Selectable<WebhookEndpointTable>, 'seq'> & { seq: string };
export type DeliveryRow = Omit<Selectable<WebhookDeliveryTable>, 'seq'> & { seq: string };
export type AttemptRow = Selectable<WebhookAttemptTable>;

const ENDPOINT_COLUMNS = [
  'id',
  'tenant_id',
  'kind',
  'url',
  'description',
  'event_types',
  'secret_enc',
  'previous_secret_enc',
  'previous_secret_expires_at',
  'enabled',
  'disabled_at',
  'disabled_reason',
  'consecutive_failures',
  'created_by',
  'created_at',
  'updated_at',
  sql<string>`seq::text`.as('seq'),
] as const;

const DELIVERY_COLUMNS = [
  'id',
  'tenant_id',
  'webhook_id',
  'url',
  'event_id',
  'event_type',
  'body',
  'state',
  'attempts',
  'next_attempt_at',
  'last_status_code',
  'last_error_code',
  'replay_of',
  'created_at',
  'completed_at',
  sql<string>`seq::text`.as('seq'),
] as const;

const inMs = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms / 1000})`;

export async function insertEndpoint(
  tx: T,
  row: Pick<
    EndpointRow,
    'id' | 'tenant_id' | 'kind' | 'url' | 'description' | 'secret_enc' | 'created_by'
  > & { event_types: string[] },
): Promise<EndpointRow> {
  return tx
    .insertInto('webhook_endpoint')
    .values({ ...row, event_types: JSON.stringify(row.event_types) })
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function findEndpoint(
  tx: T,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow | undefined> {
  let query = tx.selectFrom('webhook_endpoint').select(ENDPOINT_COLUMNS).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function jobCallbacksEndpoint(tx: T, tenantId: string): Promise<EndpointRow | undefined> {
  return tx
    .selectFrom('webhook_endpoint')
    .select(ENDPOINT_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'job_callbacks')
    .executeTakeFirst();
}

/** The tenant's job-callbacks endpoint, created with `row` if it has none (concurrent callers get one). */
export async function ensureJobCallbacksEndpoint(
  tx: T,
  row: Pick<EndpointRow, 'id' | 'tenant_id' | 'secret_enc' | 'created_by'>,
): Promise<EndpointRow> {
  await tx
    .insertInto('webhook_endpoint')
    .values({ ...row, kind: 'job_callbacks', url: null, description: null, event_types: '[]' })
    .onConflict((oc) => oc.column('tenant_id').where('kind', '=', 'job_callbacks').doNothing())
    .execute();
  return (await jobCallbacksEndpoint(tx, row.tenant_id))!;
}

/** The tenant's endpoints (row-level security scopes the transaction), oldest first. */
export function listEndpoints(tx: T, options: { limit: number; after?: string }): Promise<EndpointRow[]> {
  let query = tx
    .selectFrom('webhook_endpoint')
    .select(ENDPOINT_COLUMNS)
    .where('kind', '=', 'endpoint')
    .orderBy('webhook_endpoint.seq')
    .limit(options.limit);
  if (options.after !== undefined) query = query.where(sql<boolean>`seq > ${options.after}::bigint`);
  return query.execute();
}

/** Enabled endpoints of a tenant subscribed to `eventType`. */
export function subscribedEndpoints(tx: T, tenantId: string, eventType: string): Promise<EndpointRow[]> {
  return tx
    .selectFrom('webhook_endpoint')
    .select(ENDPOINT_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'endpoint')
    .where('enabled', '=', true)
    .where(sql<boolean>`event_types @> ${JSON.stringify([eventType])}::jsonb`)
    .orderBy('webhook_endpoint.seq')
    .execute();
}

export async function updateEndpoint(
  tx: T,
  id: string,
  changes: Partial<
    Pick<
      EndpointRow,
      | 'url'
      | 'description'
      | 'enabled'
      | 'disabled_at'
      | 'disabled_reason'
      | 'consecutive_failures'
      | 'secret_enc'
      | 'previous_secret_enc'
      | 'previous_secret_expires_at'
    > & { event_types: string[] }
  >,
): Promise<EndpointRow> {
  const { event_types, ...rest } = changes;
  return tx
    .updateTable('webhook_endpoint')
    .set({
      ...rest,
      ...(event_types ? { event_types: JSON.stringify(event_types) } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function deleteEndpoint(tx: T, id: string): Promise<boolean> {
  const result = await tx
    .deleteFrom('webhook_endpoint')
    .where('id', '=', id)
    .where('kind', '=', 'endpoint')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Records a delivery with its first attempt already dispatched (leased for `leaseMs`). An event
 * delivered to an endpoint once already (a redelivered event) is not recorded again: undefined.
 */
export async function insertDelivery(
  tx: T,
  row: Pick<DeliveryRow, 'id' | 'tenant_id' | 'webhook_id' | 'url' | 'event_id' | 'event_type' | 'body'> & {
    replay_of?: string | null;
  },
  leaseMs: number,
): Promise<DeliveryRow | undefined> {
  return tx
    .insertInto('webhook_delivery')
    .values({ ...row, replay_of: row.replay_of ?? null, state: 'pending', next_attempt_at: inMs(leaseMs) })
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).where('replay_of', 'is', null).doNothing())
    .returning(DELIVERY_COLUMNS)
    .executeTakeFirst();
}

export function findDelivery(tx: T, id: string): Promise<DeliveryRow | undefined> {
  return tx.selectFrom('webhook_delivery').select(DELIVERY_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/**
 * Takes attempt `attempt` of a delivery: only when it is pending and exactly the attempt before has been
 * made, so a redelivered or duplicated work item never makes an attempt twice. The lease keeps the
 * scheduler from dispatching it again while it runs.
 */
export function claimAttempt(tx: T, id: string, attempt: number, leaseMs: number) {
  return tx
    .updateTable('webhook_delivery')
    .set({ attempts: attempt, next_attempt_at: inMs(leaseMs) })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('attempts', '=', attempt - 1)
    .returning(DELIVERY_COLUMNS)
    .executeTakeFirst();
}

/** An endpoint's URL changed while a delivery was pending: its next attempts go to the new one. */
export async function setDeliveryUrl(tx: T, id: string, url: string): Promise<void> {
  await tx.updateTable('webhook_delivery').set({ url }).where('id', '=', id).execute();
}

export async function recordAttempt(
  tx: T,
  row: Pick<
    AttemptRow,
    'delivery_id' | 'attempt' | 'tenant_id' | 'status_code' | 'error_code' | 'error_message' | 'duration_ms'
  >,
): Promise<void> {
  await tx
    .insertInto('webhook_attempt')
    .values(row)
    .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
    .execute();
}

export async function settleAttempt(
  tx: T,
  id: string,
  change:
    | { state: 'succeeded' | 'failed' | 'cancelled'; status: number | null; errorCode: string | null }
    | { state: 'pending'; retryInMs: number; status: number | null; errorCode: string | null },
): Promise<void> {
  await tx
    .updateTable('webhook_delivery')
    .set({
      state: change.state,
      last_status_code: change.status,
      last_error_code: change.errorCode,
      next_attempt_at: change.state === 'pending' ? inMs(change.retryInMs) : null,
      completed_at: change.state === 'pending' ? null : sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Pending deliveries whose next attempt is due (a retry time reached, or a dispatched attempt whose
 * lease ran out), locked so that several schedulers never take the same one; their lease is renewed.
 */
export async function takeDueDeliveries(tx: T, limit: number, leaseMs: number) {
  return tx
    .updateTable('webhook_delivery')
    .set({ next_attempt_at: inMs(leaseMs) })
    .where(
      'id',
      'in',
      tx
        .selectFrom('webhook_delivery')
        .select('id')
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(DELIVERY_COLUMNS)
    .execute();
}

/** An endpoint's delivery log, newest first. */
export function listDeliveries(
  tx: T,
  webhookId: string,
  options: { limit: number; before?: string; state?: string },
): Promise<DeliveryRow[]> {
  let query = tx
    .selectFrom('webhook_delivery')
    .select(DELIVERY_COLUMNS)
    .where('webhook_id', '=', webhookId)
    .orderBy('webhook_delivery.seq', 'desc')
    .limit(options.limit);
  if (options.before !== undefined) query = query.where(sql<boolean>`seq < ${options.before}::bigint`);
  if (options.state !== undefined) query = query.where('state', '=', options.state as DeliveryRow['state']);
  return query.execute();
}

export function attemptsOf(tx: T, deliveryIds: readonly string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('webhook_attempt')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
}

/** Deliveries of a disabled or deleted endpoint stop: pending ones are cancelled. */
export async function cancelPending(tx: T, webhookId: string): Promise<void> {
  await tx
    .updateTable('webhook_delivery')
    .set({ state: 'cancelled', next_attempt_at: null, completed_at: sql<Date>`now()` })
    .where('webhook_id', '=', webhookId)
    .where('state', '=', 'pending')
    .execute();
}
