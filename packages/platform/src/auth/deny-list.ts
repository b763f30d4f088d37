import type { Principal } from './principal';

export interface DenyListOptions {
  /**
   * The longest lifetime of an access token (plus clock tolerance). Once that has passed since a ban,
   * every token issued before it has expired and identity issues no new ones, so the entry can go.
   */
  retentionMs: number;
  now?: () => number;
}

interface Entry {
  /** Tokens issued at or before this instant (ms) are refused. */
  since: number;
  /** The entry stops applying at this instant (ms): the ban ended, or every older token expired. */
  until: number;
}

/**
 * Principals that hold a valid signature but are no longer allowed: banned users, suspended tenants,
 * revoked API keys. Fed by identity events; consulted by `authenticate` through `isRevoked`.
 *
 * An entry refuses the tokens issued up to the moment of the ban, not the subject forever: identity
 * decides about new tokens (a banned user gets none; an unbanned one does), and there is no "unban"
 * event to wait for. A principal without `issuedAt` is refused while an entry applies.
 */
export class DenyList {
  private readonly users = new Map<string, Entry>();
  private readonly tenants = new Map<string, Entry>();
  private readonly apiKeys = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: DenyListOptions) {
    this.now = options.now ?? Date.now;
  }

  denyUser(userId: string, since: Date, until: Date | null = null): void {
    this.add(this.users, userId, since, until);
  }

  denyTenant(tenantId: string, since: Date, until: Date | null = null): void {
    this.add(this.tenants, tenantId, since, until);
  }

  denyApiKey(apiKeyId: string, since: Date): void {
    this.add(this.apiKeys, apiKeyId, since, null);
  }

  isRevoked = (principal: Principal): boolean => {
    return (
      this.applies(this.users, principal.userId, principal) ||
      this.applies(this.tenants, principal.tenantId, principal) ||
      (principal.apiKeyId !== undefined && this.applies(this.apiKeys, principal.apiKeyId, principal))
    );
  };

  /** Entries still in force (metrics and tests). */
  get size(): number {
    this.prune();
    return this.users.size + this.tenants.size + this.apiKeys.size;
  }

  private add(map: Map<string, Entry>, id: string, since: Date, until: Date | null): void {
    const start = since.getTime();
    const end = Math.min(
      start + this.options.retentionMs,
      until ? until.getTime() : Number.POSITIVE_INFINITY,
    );
    const existing = map.get(id);
    // A later ban supersedes an earlier one; a replayed old event never shortens a newer entry.
    if (existing && existing.since >= start) return;
    map.set(id, { since: start, until: end });
    this.prune();
  }

  private applies(map: Map<string, Entry>, id: string, principal: Principal): boolean {
    const entry = map.get(id);
    if (!entry) return false;
    if (this.now() >= entry.until) {
      map.delete(id);
      return false;
    }
    // `iat` has whole seconds: a token from the ban's own second counts as older (the safe side).
    return principal.issuedAt === undefined || principal.issuedAt * 1000 <= entry.since;
  }

  private prune(): void {
    const now = this.now();
    for (const map of [this.users, this.tenants, this.apiKeys]) {
      for (const [id, entry] of map) if (now >= entry.until) map.delete(id);
    }
  }
}
