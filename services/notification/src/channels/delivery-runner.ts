import { type DeliveryChannel, HEADER, type NotificationKind } from '@flatrender/contracts';
import {
  counter,
  type DeliveredMessage,
  type ScopedDatabase,
  type ServiceContext,
} from '@flatrender/platform';
import { claimDelivery, findDelivery, settleDelivery } from '../delivery.repository';
import type { NotificationDb, NotificationTx } from '../notification.db';
import { DeliveryFailure } from './delivery-failure';

/** The fields every channel work item carries (stored notices and identity's transactional mail). */
export interface ChannelItem {
  idempotency_key: string;
  notification_id?: string | null;
  kind: NotificationKind;
  channel: DeliveryChannel;
  recipient_user_id: string | null;
}

export interface SendOutcome {
  messageId: string | null;
}

/**
 * How long a claimed send may take before another worker may take it over (its worker died). Longer
 * than any provider call (SMTP gives up after 30 s idle), shorter than the bus retries of an item, so
 * a redelivered item finds the claim expired before its retries run out.
 */
const SEND_LEASE_MS = 2 * 60_000;

/**
 * Bus retries of a channel work item before its delivery fails for good: with the bus's doubling
 * backoff (1 s up to 60 s) about three minutes, enough to ride out a provider's short outage.
 */
export const CHANNEL_MAX_RETRIES = 8;

/**
 * Runs one channel work item at most once per idempotency key, and reports it: the key is claimed in
 * the `delivery` table before anything is sent, the outcome is recorded with its event
 * (`notification.delivered.v1` / `notification.failed.v1`) in one transaction through the outbox.
 * A redelivered item whose key is sent or failed is acknowledged without sending. A retryable failure
 * is handed back to the bus (retried with backoff) until its last retry, after which it fails for good:
 * channel failures end as `notification.failed.v1`, never on the dead-letter queue.
 */
export class DeliveryRunner {
  private readonly outcomes;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly db: ScopedDatabase<NotificationDb>,
  ) {
    this.outcomes = counter(
      ctx.metrics,
      'flatrender_notification_deliveries_total',
      'Channel deliveries by channel and outcome (sent, failed, retried, duplicate)',
      ['channel', 'outcome'],
    );
  }

  async run(
    message: DeliveredMessage,
    item: ChannelItem,
    send: () => Promise<SendOutcome>,
    onPermanent?: (tx: NotificationTx) => Promise<void>,
  ): Promise<void> {
    const tenantId = message.envelope.tenant_id;
    const claimed = await this.db.asSystem((tx) =>
      claimDelivery(
        tx,
        {
          idempotency_key: item.idempotency_key,
          tenant_id: tenantId,
          notification_id: item.notification_id ?? null,
          channel: item.channel,
          kind: item.kind,
        },
        SEND_LEASE_MS,
      ),
    );
    const lastTry = message.retryCount >= maxRetries(message, CHANNEL_MAX_RETRIES);
    if (!claimed) {
      const current = await this.db.asSystem((tx) => findDelivery(tx, item.idempotency_key));
      // Another worker holds it (a duplicate arrived while it sends, or its worker died): come back
      // later, when it is settled or its claim has expired, rather than drop the only copy.
      if (current?.state === 'sending' && !lastTry) {
        throw new DeliveryFailure('provider_error', 'delivery in progress elsewhere', true);
      }
      this.outcomes.inc({ channel: item.channel, outcome: 'duplicate' });
      this.ctx.logger.info(
        { key: item.idempotency_key, state: current?.state },
        'delivery settled or held elsewhere; skipped',
      );
      return;
    }
    const actor = { tenantId, ...(item.recipient_user_id ? { userId: item.recipient_user_id } : {}) };
    const ref = {
      notification_id: item.notification_id ?? null,
      idempotency_key: item.idempotency_key,
      channel: item.channel,
      kind: item.kind,
      attempts: claimed.attempts,
    };
    let outcome: SendOutcome;
    try {
      outcome = await send();
    } catch (error) {
      const failure =
        error instanceof DeliveryFailure
          ? error
          : new DeliveryFailure('provider_error', (error as Error).message ?? String(error), true);
      if (failure.retryable && !lastTry) {
        await this.db.asSystem((tx) =>
          settleDelivery(tx, item.idempotency_key, {
            state: 'pending',
            error_code: failure.errorCode,
            error_message: failure.message,
          }),
        );
        this.outcomes.inc({ channel: item.channel, outcome: 'retried' });
        throw failure;
      }
      await this.db.asSystem(async (tx) => {
        await settleDelivery(tx, item.idempotency_key, {
          state: 'failed',
          error_code: failure.errorCode,
          error_message: failure.message,
        });
        if (failure.permanent && onPermanent) await onPermanent(tx);
        await this.ctx.emit(
          tx,
          'notification.failed.v1',
          {
            ...ref,
            error_code: failure.errorCode,
            error_message: failure.message.slice(0, 1000) || failure.errorCode,
            permanent: failure.permanent,
            failed_at: new Date().toISOString(),
          },
          actor,
        );
      });
      this.outcomes.inc({ channel: item.channel, outcome: 'failed' });
      this.ctx.logger.warn(
        { key: item.idempotency_key, code: failure.errorCode, err: failure.message },
        'delivery failed',
      );
      return;
    }
    await this.db.asSystem(async (tx) => {
      await settleDelivery(tx, item.idempotency_key, {
        state: 'sent',
        provider_message_id: outcome.messageId?.slice(0, 200) ?? null,
      });
      await this.ctx.emit(
        tx,
        'notification.delivered.v1',
        {
          ...ref,
          provider_message_id: outcome.messageId?.slice(0, 200) ?? null,
          delivered_at: new Date().toISOString(),
        },
        actor,
      );
    });
    this.outcomes.inc({ channel: item.channel, outcome: 'sent' });
  }
}

/** Retries the bus allows this message: its `x-max-retries`, else the worker's (the bus honours the same). */
function maxRetries(message: DeliveredMessage, fallback: number): number {
  const raw = message.headers[HEADER.maxRetries];
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fallback;
}
