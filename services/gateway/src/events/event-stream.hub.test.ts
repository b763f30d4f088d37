import { randomUUID } from 'node:crypto';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import type { Principal } from '@flatrender/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStreamHub, eventFrame, type StreamClient, visibleTo } from './event-stream.hub';

const principal = (overrides: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  userId: randomUUID(),
  tenantId: randomUUID(),
  role: 'editor',
  scopes: [],
  platformAdmin: false,
  ...overrides,
});

function client(p: Principal, accepts = true) {
  const frames: string[] = [];
  let closed = false;
  const c: StreamClient = {
    principal: p,
    write: (frame) => {
      frames.push(frame);
      return accepts;
    },
    close: () => {
      closed = true;
    },
  };
  return { c, frames, isClosed: () => closed };
}

describe('event stream hub', () => {
  let hub: EventStreamHub;
  afterEach(() => hub?.closeAll());

  it("delivers a tenant's events to that tenant's streams only", () => {
    hub = new EventStreamHub({ heartbeatMs: 60_000, maxStreamsPerTenant: 5 });
    const a = client(principal());
    const b = client(principal());
    hub.add(a.c);
    hub.add(b.c);
    const forA = sampleEnvelope('render.job.completed.v1', { tenant_id: a.c.principal.tenantId });
    hub.publish(forA);
    hub.publish(sampleEnvelope('render.job.completed.v1', { tenant_id: randomUUID() }));
    expect(a.frames).toEqual([eventFrame(forA)]);
    expect(b.frames).toEqual([]);
  });

  it('sends inbox notifications to their recipient user only, never to API keys', () => {
    const p = principal();
    const n = sampleEnvelope('notification.created.v1', {
      tenant_id: p.tenantId,
      data: { recipient_user_id: p.userId },
    });
    expect(visibleTo(n, p)).toBe(true);
    expect(visibleTo(n, { ...p, userId: randomUUID() })).toBe(false);
    expect(visibleTo(n, { ...p, kind: 'api_key', apiKeyId: randomUUID() })).toBe(false);
  });

  it('frames events as SSE with id, type and a data line without actor or producer', () => {
    const e = sampleEnvelope('render.job.progress.v1');
    const frame = eventFrame(e);
    expect(frame).toMatch(
      new RegExp(`^id: ${e.event_id}\nevent: render.job.progress.v1\ndata: \\{.*\\}\n\n$`),
    );
    const data = JSON.parse(frame.split('data: ')[1] as string);
    expect(data).toEqual({
      event_id: e.event_id,
      event_type: e.event_type,
      event_time: e.event_time,
      trace_id: e.trace_id,
      data: e.data,
    });
  });

  it('caps open streams per tenant with a 429', () => {
    hub = new EventStreamHub({ heartbeatMs: 60_000, maxStreamsPerTenant: 2 });
    const p = principal();
    const remove = hub.add(client(p).c);
    hub.add(client(p).c);
    expect(() => hub.add(client(p).c)).toThrow(
      expect.objectContaining({ statusCode: 429, code: 'too_many_streams' }),
    );
    remove();
    expect(() => hub.add(client(p).c)).not.toThrow();
  });

  it('drops clients that cannot keep up, and closes streams of revoked principals', () => {
    hub = new EventStreamHub({ heartbeatMs: 60_000, maxStreamsPerTenant: 5 });
    const slow = client(principal(), false);
    hub.add(slow.c);
    hub.publish(sampleEnvelope('render.job.progress.v1', { tenant_id: slow.c.principal.tenantId }));
    expect(slow.isClosed()).toBe(true);
    expect(hub.size).toBe(0);

    const banned = client(principal());
    const fine = client(principal());
    hub.add(banned.c);
    hub.add(fine.c);
    hub.closeWhere((p) => p.userId === banned.c.principal.userId);
    expect(banned.isClosed()).toBe(true);
    expect(fine.isClosed()).toBe(false);
    expect(hub.size).toBe(1);
  });

  it('sends heartbeats to idle streams', async () => {
    hub = new EventStreamHub({ heartbeatMs: 20, maxStreamsPerTenant: 5 });
    const idle = client(principal());
    hub.add(idle.c);
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(idle.frames.filter((f) => f === ': heartbeat\n\n').length).toBeGreaterThanOrEqual(2);
  });
});
