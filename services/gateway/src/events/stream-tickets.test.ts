import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '@flatrender/platform';
import { describeWithServices, TEST_REDIS_URL } from '@flatrender/platform/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { StreamTickets } from './stream-tickets';

const principal: Principal = {
  kind: 'user',
  userId: randomUUID(),
  tenantId: randomUUID(),
  role: 'viewer',
  scopes: ['renders:read'],
  platformAdmin: false,
  issuedAt: 1_700_000_000,
};

function ticketSuite(make: (now: () => number) => StreamTickets) {
  it('redeems a ticket once, for the principal it was made for', async () => {
    const tickets = make(Date.now);
    const { ticket } = await tickets.issue(principal);
    expect(await tickets.redeem(ticket)).toEqual(principal);
    expect(await tickets.redeem(ticket)).toBeUndefined();
  });

  it('refuses unknown and malformed tickets', async () => {
    const tickets = make(Date.now);
    expect(await tickets.redeem(randomBytes(32).toString('base64url'))).toBeUndefined();
    expect(await tickets.redeem('short')).toBeUndefined();
    expect(await tickets.redeem(`${'a'.repeat(42)}*`)).toBeUndefined();
  });
}

describe('stream tickets in memory', () => {
  ticketSuite((now) => new StreamTickets({ now }));

  it('expires tickets after their lifetime', async () => {
    let clock = 1_000;
    const tickets = new StreamTickets({ ttlMs: 30_000, now: () => clock });
    const { ticket, expiresAt } = await tickets.issue(principal);
    expect(expiresAt.getTime()).toBe(31_000);
    clock = 31_000;
    expect(await tickets.redeem(ticket)).toBeUndefined();
  });
});

await describeWithServices(['redis'], 'stream tickets on Redis', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const keyPrefix = `flatrender-test:${randomBytes(6).toString('hex')}:`;
  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  ticketSuite(() => new StreamTickets({ redis, keyPrefix }));

  it('works across gateway replicas, stores only a digest, and lets Redis expire it', async () => {
    const replicaA = new StreamTickets({ redis, keyPrefix, ttlMs: 5_000 });
    const replicaB = new StreamTickets({ redis, keyPrefix });
    const { ticket } = await replicaA.issue(principal);
    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys.some((k) => k.includes(ticket))).toBe(false);
    const ttl = await redis.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect(await replicaB.redeem(ticket)).toEqual(principal);
    expect(await replicaA.redeem(ticket)).toBeUndefined();
  });
});
