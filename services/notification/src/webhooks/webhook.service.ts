import { randomUUID } from 'node:crypto';
import {
  type Envelope,
  type MessageData,
  WEBHOOK_EVENT_KEYS,
  type WebhookEventKey,
} from '@flatrender/contracts';
import type { ServiceContext } from '@flatrender/platform';
import type { SecretBox } from '../domain/secret-box';
import { newWebhookSecret } from '../domain/webhook-signature';
import type { NotificationConfig } from '../notification.config';
import type { NotificationTx } from '../notification.db';
import {
  type DeliveryRow,
  type EndpointRow,
  ensureJobCallbacksEndpoint,
  findEndpoint,
  insertDelivery,
  insertEndpoint,
  jobCallbacksEndpoint,
  subscribedEndpoints,
  takeDueDeliveries,
  updateEndpoint,
} from './webhook.repository';

const WEBHOOK_KEYS = new Set<string>(WEBHOOK_EVENT_KEYS);

export function isWebhookEvent(key: string): key is WebhookEventKey {
  return WEBHOOK_KEYS.has(key);
}

/**
 * Tenant webhooks apart from HTTP: which deliveries an event makes, their dispatch through the outbox,
 * the endpoint secrets (sealed at rest, two during a rotation) and the re-dispatch of due retries.
 */
export class WebhookService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly config: NotificationConfig,
    private readonly box: SecretBox,
  ) {}

  /**
   * Records a delivery of `envelope` to every enabled endpoint of its tenant subscribed to its type,
   * and to the `webhook_url` a render job named; the first attempt of each is dispatched at once.
   * Runs in the event's inbox transaction: a redelivered event makes no second delivery.
   */
  async fanOut(tx: NotificationTx, envelope: Envelope): Promise<DeliveryRow[]> {
    if (!isWebhookEvent(envelope.event_type)) return [];
    const body = JSON.stringify(envelope);
    const made: DeliveryRow[] = [];
    for (const endpoint of await subscribedEndpoints(tx, envelope.tenant_id, envelope.event_type)) {
      const delivery = await this.record(tx, endpoint.id, endpoint.url!, envelope, body);
      if (delivery) made.push(delivery);
    }
    const callerUrl = (envelope.data as { webhook_url?: string | null }).webhook_url;
    if (callerUrl) {
      const callbacks = await this.jobCallbacks(tx, envelope.tenant_id, envelope.user_id);
      const delivery = await this.record(tx, callbacks.id, callerUrl, envelope, body);
      if (delivery) made.push(delivery);
    }
    return made;
  }

  /** A new delivery of an event already delivered once (manual replay), dispatched at once. */
  async replay(tx: NotificationTx, original: DeliveryRow): Promise<DeliveryRow> {
    const endpoint = await findEndpoint(tx, original.webhook_id);
    const url = endpoint?.kind === 'endpoint' ? endpoint.url! : original.url;
    const envelope = JSON.parse(original.body) as Envelope;
    const delivery = await this.record(tx, original.webhook_id, url, envelope, original.body, original.id);
    return delivery!;
  }

  private async record(
    tx: NotificationTx,
    webhookId: string,
    url: string,
    envelope: Envelope,
    body: string,
    replayOf: string | null = null,
  ): Promise<DeliveryRow | undefined> {
    const delivery = await insertDelivery(
      tx,
      {
        id: randomUUID(),
        tenant_id: envelope.tenant_id,
        webhook_id: webhookId,
        url,
        event_id: envelope.event_id,
        event_type: envelope.event_type,
        body,
        replay_of: replayOf,
      },
      this.config.webhookLeaseMs,
    );
    if (delivery) await this.dispatch(tx, delivery, 1);
    return delivery;
  }

  /** Puts attempt `attempt` of a delivery on `notify.channel.webhook` (after `tx` commits). */
  async dispatch(tx: NotificationTx, delivery: DeliveryRow, attempt: number): Promise<void> {
    const event = JSON.parse(delivery.body) as MessageData<'notify.channel.webhook'>['event'];
    await this.ctx.emit(
      tx,
      'notify.channel.webhook',
      {
        channel: 'webhook',
        idempotency_key: delivery.id,
        delivery_id: delivery.id,
        webhook_id: delivery.webhook_id,
        url: delivery.url,
        attempt,
        event,
      },
      { tenantId: delivery.tenant_id },
    );
  }

  /** Dispatches the next attempt of deliveries whose retry time came (or whose attempt went missing). */
  async dispatchDue(tx: NotificationTx, limit = 100): Promise<number> {
    const due = await takeDueDeliveries(tx, limit, this.config.webhookLeaseMs);
    for (const delivery of due) await this.dispatch(tx, delivery, delivery.attempts + 1);
    return due.length;
  }

  /** The tenant's implicit endpoint whose secret signs deliveries to render jobs' `webhook_url`. */
  async jobCallbacks(tx: NotificationTx, tenantId: string, createdBy: string): Promise<EndpointRow> {
    const existing = await jobCallbacksEndpoint(tx, tenantId);
    if (existing) return existing;
    return ensureJobCallbacksEndpoint(tx, {
      id: randomUUID(),
      tenant_id: tenantId,
      secret_enc: this.box.seal(newWebhookSecret()),
      created_by: createdBy,
    });
  }

  /** A new endpoint and its secret (the only time the secret is shown). */
  async createEndpoint(
    tx: NotificationTx,
    input: {
      tenantId: string;
      createdBy: string;
      url: string;
      eventTypes: string[];
      description: string | null;
    },
  ): Promise<{ endpoint: EndpointRow; secret: string }> {
    const secret = newWebhookSecret();
    const endpoint = await insertEndpoint(tx, {
      id: randomUUID(),
      tenant_id: input.tenantId,
      kind: 'endpoint',
      url: input.url,
      description: input.description,
      event_types: input.eventTypes,
      secret_enc: this.box.seal(secret),
      created_by: input.createdBy,
    });
    return { endpoint, secret };
  }

  /**
   * Replaces an endpoint's secret. The old one keeps signing next to the new one for `graceSeconds`
   * (receivers switch without losing deliveries); 0 retires it at once.
   */
  async rotate(
    tx: NotificationTx,
    endpoint: EndpointRow,
    graceSeconds: number,
  ): Promise<{ endpoint: EndpointRow; secret: string }> {
    const secret = newWebhookSecret();
    const updated = await updateEndpoint(tx, endpoint.id, {
      secret_enc: this.box.seal(secret),
      previous_secret_enc: graceSeconds > 0 ? endpoint.secret_enc : null,
      previous_secret_expires_at: graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null,
    });
    return { endpoint: updated, secret };
  }

  /** The secrets that sign now: the current one, and the previous one during its grace period. */
  signingSecrets(endpoint: EndpointRow, now = new Date()): string[] {
    const secrets = [this.box.open(endpoint.secret_enc)];
    if (
      endpoint.previous_secret_enc &&
      endpoint.previous_secret_expires_at &&
      endpoint.previous_secret_expires_at > now
    ) {
      secrets.push(this.box.open(endpoint.previous_secret_enc));
    }
    return secrets;
  }
}
