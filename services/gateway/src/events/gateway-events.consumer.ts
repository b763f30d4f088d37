import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { bindingsFor, type Envelope, type EventKey } from '@flatrender/contracts';
import type { ApiKeyExchanger, Bus, DenyList, Subscription } from '@flatrender/platform';
import type { EventStreamHub } from './event-stream.hub';

/** Events that feed the deny list; they carry admin notes and are never streamed to clients. */
export const DENY_EVENT_KEYS = [
  'identity.user.banned.v1',
  'identity.tenant.suspended.v1',
  'identity.api_key.revoked.v1',
] as const satisfies readonly EventKey[];

/** What `/v1/events/stream` delivers: the gateway's catalog bindings less the deny-list events. */
export const STREAM_EVENT_KEYS: readonly EventKey[] = bindingsFor('gateway').filter(
  (key) => !(DENY_EVENT_KEYS as readonly string[]).includes(key),
);

export interface GatewayEventTargets {
  denyList: DenyList;
  apiKeys: ApiKeyExchanger;
  hub: EventStreamHub;
}

/** Applies a deny-list event: refuse the principal's older tokens, drop cached ones, end its streams. */
export function applyDenyEvent(envelope: Envelope, targets: GatewayEventTargets): void {
  const { denyList, apiKeys, hub } = targets;
  const data = envelope.data as Record<string, string | null>;
  switch (envelope.event_type) {
    case 'identity.user.banned.v1': {
      const userId = String(data.user_id);
      denyList.denyUser(
        userId,
        new Date(String(data.banned_at)),
        data.banned_until ? new Date(data.banned_until) : null,
      );
      apiKeys.forget({ userId });
      break;
    }
    case 'identity.tenant.suspended.v1': {
      const tenantId = String(data.tenant_id);
      denyList.denyTenant(
        tenantId,
        new Date(String(data.suspended_at)),
        data.suspended_until ? new Date(data.suspended_until) : null,
      );
      apiKeys.forget({ tenantId });
      break;
    }
    case 'identity.api_key.revoked.v1': {
      const apiKeyId = String(data.api_key_id);
      denyList.denyApiKey(apiKeyId, new Date(String(data.revoked_at)));
      apiKeys.forget({ apiKeyId });
      break;
    }
    default:
      return;
  }
  hub.closeWhere(denyList.isRevoked);
}

/**
 * Consumes the gateway's events on a queue private to this process (transient: exclusive, deleted
 * with its consumer), so every replica sees every ban and every tenant event, not a share of them.
 */
export function subscribeGatewayEvents(bus: Bus, targets: GatewayEventTargets): Promise<Subscription> {
  const queue = `gateway.edge.${os.hostname()}.${process.pid}.${randomBytes(4).toString('hex')}`;
  return bus.subscribe(
    { queue, bindings: bindingsFor('gateway'), prefetch: 64, transient: true },
    async (message) => {
      if ((DENY_EVENT_KEYS as readonly string[]).includes(message.routingKey)) {
        applyDenyEvent(message.envelope, targets);
      } else {
        targets.hub.publish(message.envelope);
      }
    },
  );
}
