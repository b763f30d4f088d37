import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '@flatrender/platform';
import type { Redis } from 'ioredis';

export interface StreamTicketsOptions {
  ttlMs?: number;
  /** Shared by gateway replicas, so a ticket made on one can open a stream on another. */
  redis?: Redis;
  keyPrefix?: string;
  now?: () => number;
}

/**
 * Single-use, short-lived tickets that open an event stream (`/v1/events/stream?ticket=...`), because a
 * browser's EventSource cannot send an Authorization header. A ticket is an opaque random secret; only
 * its digest is stored, with the principal it stands for, and redeeming it deletes it.
 */
export class StreamTickets {
  private readonly memory = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: StreamTicketsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async issue(principal: Principal): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    const key = this.key(ticket);
    if (this.options.redis) {
      await this.options.redis.set(key, JSON.stringify(principal), 'PX', this.ttlMs);
    } else {
      this.prune();
      this.memory.set(key, { principal, expiresAt });
    }
    return { ticket, expiresAt: new Date(expiresAt) };
  }

  /** The ticket's principal, once; undefined for unknown, used or expired tickets. */
  async redeem(ticket: string): Promise<Principal | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return undefined;
    const key = this.key(ticket);
    if (this.options.redis) {
      const stored = await this.options.redis.getdel(key);
      return stored ? (JSON.parse(stored) as Principal) : undefined;
    }
    const entry = this.memory.get(key);
    this.memory.delete(key);
    return entry && this.now() < entry.expiresAt ? entry.principal : undefined;
  }

  private key(ticket: string): string {
    return `${this.options.keyPrefix ?? 'flatrender:sse-ticket:'}${createHash('sha256').update(ticket).digest('base64url')}`;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.memory) if (now >= entry.expiresAt) this.memory.delete(key);
  }
}
