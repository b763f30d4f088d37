import { describe, expect, it } from 'vitest';
import { DenyList } from './deny-list';
import type { Principal } from './principal';

const principal = (overrides: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  userId: 'u1',
  tenantId: 't1',
  role: 'editor',
  scopes: [],
  platformAdmin: false,
  issuedAt: 1_000,
  ...overrides,
});

describe('deny list', () => {
  const at = (seconds: number) => new Date(seconds * 1000);

  it('refuses tokens issued up to a ban, not tokens issued after it', () => {
    const list = new DenyList({ retentionMs: 15 * 60_000, now: () => 1_010_000 });
    list.denyUser('u1', at(1_005));
    expect(list.isRevoked(principal({ issuedAt: 1_000 }))).toBe(true);
    expect(list.isRevoked(principal({ issuedAt: 1_005 }))).toBe(true);
    expect(list.isRevoked(principal({ issuedAt: 1_006 }))).toBe(false);
    expect(list.isRevoked(principal({ userId: 'u2' }))).toBe(false);
    expect(list.isRevoked(principal({ issuedAt: undefined }))).toBe(true);
  });

  it('matches suspended tenants and revoked API keys', () => {
    const list = new DenyList({ retentionMs: 60_000, now: () => 1_001_000 });
    list.denyTenant('t9', at(1_000));
    list.denyApiKey('key-1', at(1_000));
    expect(list.isRevoked(principal({ tenantId: 't9' }))).toBe(true);
    expect(list.isRevoked(principal({ kind: 'api_key', apiKeyId: 'key-1' }))).toBe(true);
    expect(list.isRevoked(principal({ kind: 'api_key', apiKeyId: 'key-2' }))).toBe(false);
  });

  it('forgets an entry once every older token has expired, or when the ban ends', () => {
    let clock = 1_000_000;
    const list = new DenyList({ retentionMs: 60_000, now: () => clock });
    list.denyUser('u1', at(1_000));
    list.denyTenant('t1', at(1_000), at(1_030));
    expect(list.size).toBe(2);
    clock = 1_030_000;
    expect(list.isRevoked(principal({ userId: 'other' }))).toBe(false);
    expect(list.isRevoked(principal({ tenantId: 'other' }))).toBe(true);
    clock = 1_060_000;
    expect(list.isRevoked(principal())).toBe(false);
    expect(list.size).toBe(0);
  });

  it('keeps the latest ban when an older event is replayed', () => {
    const list = new DenyList({ retentionMs: 60_000, now: () => 1_002_000 });
    list.denyUser('u1', at(1_001));
    list.denyUser('u1', at(990));
    expect(list.isRevoked(principal({ issuedAt: 1_000 }))).toBe(true);
  });
});
