import type { Envelope } from '@flatrender/contracts';
import { HttpError, type Principal } from '@flatrender/platform';

/** One open `/v1/events/stream` response. */
export interface StreamClient {
  principal: Principal;
  /** Writes an SSE frame; false when the client cannot keep up (it is then dropped). */
  write(frame: string): boolean;
  close(): void;
}

export interface EventStreamHubOptions {
  heartbeatMs: number;
  maxStreamsPerTenant: number;
}

/**
 * Fans events out to the open event streams of this gateway process, each stream receiving only its
 * own tenant's events (and, for inbox notifications, only its own user's). Every gateway process has its
 * own transient queue, so each stream sees every event whichever replica it is connected to.
 */
export class EventStreamHub {
  private readonly byTenant = new Map<string, Set<StreamClient>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: EventStreamHubOptions) {
    this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Registers a stream; the returned function removes it. Refuses beyond the per-tenant cap. */
  add(client: StreamClient): () => void {
    const { tenantId } = client.principal;
    let clients = this.byTenant.get(tenantId);
    if (!clients) {
      clients = new Set();
      this.byTenant.set(tenantId, clients);
    }
    if (clients.size >= this.options.maxStreamsPerTenant) {
      throw new HttpError(
        429,
        'too_many_streams',
        `This tenant already has ${clients.size} open event streams; close one first.`,
        undefined,
        undefined,
        { 'retry-after': '30' },
      );
    }
    clients.add(client);
    return () => this.remove(client);
  }

  publish(envelope: Envelope): void {
    const clients = this.byTenant.get(envelope.tenant_id);
    if (!clients) return;
    const frame = eventFrame(envelope);
    for (const client of clients) {
      if (visibleTo(envelope, client.principal)) this.send(client, frame);
    }
  }

  /** Ends the streams of principals that may no longer read (a ban, a suspension, a revoked key). */
  closeWhere(predicate: (principal: Principal) => boolean): void {
    for (const clients of this.byTenant.values()) {
      for (const client of clients) if (predicate(client.principal)) this.drop(client);
    }
  }

  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const clients of this.byTenant.values()) for (const client of clients) this.drop(client);
  }

  get size(): number {
    let n = 0;
    for (const clients of this.byTenant.values()) n += clients.size;
    return n;
  }

  private broadcast(frame: string): void {
    for (const clients of this.byTenant.values()) for (const client of clients) this.send(client, frame);
  }

  private send(client: StreamClient, frame: string): void {
    if (!client.write(frame)) this.drop(client);
  }

  private drop(client: StreamClient): void {
    this.remove(client);
    client.close();
  }

  private remove(client: StreamClient): void {
    const clients = this.byTenant.get(client.principal.tenantId);
    if (!clients) return;
    clients.delete(client);
    if (clients.size === 0) this.byTenant.delete(client.principal.tenantId);
  }
}

/** Whether a tenant's event is for this stream: inbox notifications go to their recipient only. */
export function visibleTo(envelope: Envelope, principal: Principal): boolean {
  if (envelope.tenant_id !== principal.tenantId) return false;
  if (envelope.event_type === 'notification.created.v1') {
    return principal.kind === 'user' && envelope.data.recipient_user_id === principal.userId;
  }
  return true;
}

/** One SSE frame: the event's id and type, and as data what a client needs (no actor, no producer). */
export function eventFrame(envelope: Envelope): string {
  const data = JSON.stringify({
    event_id: envelope.event_id,
    event_type: envelope.event_type,
    event_time: envelope.event_time,
    trace_id: envelope.trace_id,
    data: envelope.data,
  });
  return `id: ${envelope.event_id}\nevent: ${envelope.event_type}\ndata: ${data}\n\n`;
}
