import type { MessageData } from '@flatrender/contracts';
import {
  counter,
  histogram,
  type ScopedDatabase,
  type ServiceContext,
  type WorkerSpec,
} from '@flatrender/platform';
import { type AttemptResult, decideAfterAttempt, retryableStatus } from '../domain/webhook-retry';
import { webhookHeaders } from '../domain/webhook-signature';
import { OutboundError, type OutboundHttp } from '../http/outbound-http';
import type { NoticeWriter } from '../notices';
import type { NotificationConfig } from '../notification.config';
import type { NotificationDb, NotificationTx } from '../notification.db';
import {
  cancelPending,
  claimAttempt,
  type DeliveryRow,
  type EndpointRow,
  findEndpoint,
  recordAttempt,
  setDeliveryUrl,
  settleAttempt,
  updateEndpoint,
} from './webhook.repository';
import type { WebhookService } from './webhook.service';

interface Deps {
  ctx: ServiceContext;
  db: ScopedDatabase<NotificationDb>;
  config: NotificationConfig;
  http: OutboundHttp;
  webhooks: WebhookService;
  notices: NoticeWriter;
  /** Jitter source of retry delays (tests pin it). */
  random?: () => number;
}

/**
 * The `notify.channel.webhook` worker: one attempt per work item. The attempt is claimed first (a
 * duplicate or stale item is dropped), the POST is signed per Standard Webhooks, and its outcome is
 * recorded in the delivery log together with `tenant.webhook.fired.v1` / `tenant.webhook.failed.v1`.
 * Retries are not the bus's: a failed attempt sets the delivery's next attempt time (exponential
 * backoff with jitter) and the scheduler dispatches it then, so an hour of retries holds no message.
 */
export class WebhookWorker {
  private readonly attempts;
  private readonly latency;

  constructor(private readonly deps: Deps) {
    this.attempts = counter(
      deps.ctx.metrics,
      'flatrender_webhook_attempts_total',
      'Webhook delivery attempts by outcome (succeeded, retry, failed)',
      ['outcome'],
    );
    this.latency = histogram(
      deps.ctx.metrics,
      'flatrender_webhook_response_seconds',
      'Time webhook endpoints took to answer',
      [],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
  }

  spec(): WorkerSpec {
    return {
      queue: 'notify.channel.webhook',
      prefetch: 8,
      handle: (message) => this.handle(message.envelope.data as MessageData<'notify.channel.webhook'>),
    };
  }

  async handle(item: MessageData<'notify.channel.webhook'>): Promise<void> {
    const { db, config, ctx } = this.deps;
    const claimed = await db.asSystem(async (tx) => {
      const delivery = await claimAttempt(tx, item.delivery_id, item.attempt, config.webhookLeaseMs);
      if (!delivery) return undefined;
      const endpoint = await findEndpoint(tx, delivery.webhook_id);
      if (!endpoint || (endpoint.kind === 'endpoint' && !endpoint.enabled)) {
        await settleAttempt(tx, delivery.id, { state: 'cancelled', status: null, errorCode: null });
        return undefined;
      }
      // Retries follow the endpoint's URL as it is now (a receiver that moved gets what it missed).
      const url = endpoint.kind === 'endpoint' && endpoint.url ? endpoint.url : delivery.url;
      if (url !== delivery.url) await setDeliveryUrl(tx, delivery.id, url);
      return { delivery: { ...delivery, url }, endpoint };
    });
    if (!claimed) {
      ctx.logger.debug(
        { delivery: item.delivery_id, attempt: item.attempt },
        'webhook attempt stale; dropped',
      );
      return;
    }
    const { delivery, endpoint } = claimed;
    const result = await this.post(delivery, endpoint, item.attempt);
    this.latency.observe(result.durationMs / 1000);
    await db.asSystem((tx) => this.settle(tx, delivery, item.attempt, result));
  }

  private async post(delivery: DeliveryRow, endpoint: EndpointRow, attempt: number): Promise<AttemptResult> {
    const { webhooks, http } = this.deps;
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'FlatRender-Webhooks/1.0',
      ...webhookHeaders(webhooks.signingSecrets(endpoint), delivery.event_id, delivery.body),
      'x-flatrender-delivery': delivery.id,
      'x-flatrender-event': delivery.event_type,
      'x-flatrender-attempt': String(attempt),
    };
    try {
      const answer = await http.post(delivery.url, headers, delivery.body);
      if (answer.statusCode >= 200 && answer.statusCode < 300) {
        return { ok: true, statusCode: answer.statusCode, durationMs: answer.durationMs };
      }
      return {
        ok: false,
        errorCode: 'http_status',
        statusCode: answer.statusCode,
        durationMs: answer.durationMs,
        message: `answered ${answer.statusCode}`,
        retryable: retryableStatus(answer.statusCode),
      };
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      return {
        ok: false,
        errorCode: error.errorCode,
        statusCode: null,
        durationMs: error.durationMs,
        message: error.message,
        retryable: error.errorCode === 'timeout' || error.errorCode === 'connection_failed',
      };
    }
  }

  private async settle(
    tx: NotificationTx,
    delivery: DeliveryRow,
    attempt: number,
    result: AttemptResult,
  ): Promise<void> {
    const { ctx, config, notices } = this.deps;
    const decision = decideAfterAttempt(
      result,
      attempt,
      { maxAttempts: config.webhookMaxAttempts, baseMs: config.webhookRetryBaseMs },
      this.deps.random,
    );
    await recordAttempt(tx, {
      delivery_id: delivery.id,
      attempt,
      tenant_id: delivery.tenant_id,
      status_code: result.statusCode,
      error_code: result.ok ? null : result.errorCode,
      error_message: result.ok ? null : result.message.slice(0, 1000),
      duration_ms: result.durationMs,
    });
    const ref = {
      webhook_id: delivery.webhook_id,
      delivery_id: delivery.id,
      event_id: delivery.event_id,
      event_type: delivery.event_type as MessageData<'tenant.webhook.fired.v1'>['event_type'],
      url: delivery.url,
    };
    const actor = { tenantId: delivery.tenant_id };
    const now = new Date().toISOString();
    this.attempts.inc({ outcome: decision.state });

    if (result.ok) {
      await settleAttempt(tx, delivery.id, {
        state: 'succeeded',
        status: result.statusCode,
        errorCode: null,
      });
      const endpoint = await findEndpoint(tx, delivery.webhook_id, { forUpdate: true });
      if (endpoint && endpoint.consecutive_failures > 0) {
        await updateEndpoint(tx, endpoint.id, { consecutive_failures: 0 });
      }
      await ctx.emit(
        tx,
        'tenant.webhook.fired.v1',
        { ...ref, status_code: result.statusCode, duration_ms: result.durationMs, attempt, fired_at: now },
        actor,
      );
      return;
    }

    let disabled = false;
    if (decision.state === 'retry') {
      await settleAttempt(tx, delivery.id, {
        state: 'pending',
        retryInMs: decision.delayMs,
        status: result.statusCode,
        errorCode: result.errorCode,
      });
    } else {
      await settleAttempt(tx, delivery.id, {
        state: 'failed',
        status: result.statusCode,
        errorCode: result.errorCode,
      });
      disabled = await this.countFailure(tx, delivery.webhook_id);
    }
    await ctx.emit(
      tx,
      'tenant.webhook.failed.v1',
      {
        ...ref,
        error_code: result.errorCode,
        status_code: result.statusCode,
        attempt,
        will_retry: decision.state === 'retry',
        endpoint_disabled: disabled,
        failed_at: now,
      },
      actor,
    );
    if (disabled) {
      const endpoint = (await findEndpoint(tx, delivery.webhook_id))!;
      await notices.submit(tx, {
        content: {
          kind: 'webhook.endpoint_disabled',
          webhook_id: endpoint.id,
          url: endpoint.url ?? delivery.url,
          failures: endpoint.consecutive_failures,
        },
        audience: { tenantOwner: endpoint.tenant_id },
        tenantId: endpoint.tenant_id,
        causeEventId: null,
      });
    }
  }

  /**
   * Counts a delivery that failed for good against its endpoint; after `WEBHOOK_DISABLE_AFTER` in a row
   * the endpoint is disabled and its pending deliveries cancelled. Returns true when this failure
   * disabled it. The job-callbacks endpoint (a different URL per job) is never disabled.
   */
  private async countFailure(tx: NotificationTx, webhookId: string): Promise<boolean> {
    const endpoint = await findEndpoint(tx, webhookId, { forUpdate: true });
    if (endpoint?.kind !== 'endpoint') return false;
    const failures = endpoint.consecutive_failures + 1;
    const disable = endpoint.enabled && failures >= this.deps.config.webhookDisableAfter;
    await updateEndpoint(tx, webhookId, {
      consecutive_failures: failures,
      ...(disable
        ? {
            enabled: false,
            disabled_at: new Date(),
            disabled_reason: `${failures} deliveries in a row failed`,
          }
        : {}),
    });
    if (disable) await cancelPending(tx, webhookId);
    return disable;
  }
}
