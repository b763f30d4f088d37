import { pruneInbox, type ScopedDatabase, type ServiceContext } from '@flatrender/platform';
import {
  markExpiryNoticed,
  pruneExpiredCodes,
  type RecipientFacts,
  type TenantFacts,
  tenantsDueForExpiryNotice,
  upsertRecipient,
  upsertTenant,
} from './contacts.repository';
import { pruneSettledDeliveries } from './delivery.repository';
import type { IdentityContacts } from './identity-contacts';
import { claimDueBacklog, dropBacklog, postponeBacklog } from './inbox.repository';
import type { NoticeWriter } from './notices';
import type { NotificationConfig } from './notification.config';
import type { NotificationDb } from './notification.db';
import type { WebhookService } from './webhooks/webhook.service';

const DAY_MS = 86_400_000;
/** A parked notice is given up after this many failed lookups (about a day with the backoff below). */
const BACKLOG_MAX_ATTEMPTS = 12;

interface Deps {
  ctx: ServiceContext;
  db: ScopedDatabase<NotificationDb>;
  config: NotificationConfig;
  webhooks: WebhookService;
  notices: NoticeWriter;
  identity: IdentityContacts;
  clock?: () => Date;
}

/**
 * The service's timed work, one pass every NOTIFY_SCHEDULER_INTERVAL_MS: webhook retries that are
 * due, notices waiting for their recipient, reminders before paid periods end, and pruning. Every
 * task locks what it takes (`skip locked`), so several notification processes share the work.
 */
export class NotificationScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastPrune = 0;

  constructor(private readonly deps: Deps) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.deps.config.schedulerIntervalMs));
    }, delayMs);
    this.timer.unref();
  }

  /** One pass of every task; a failing task is logged and does not stop the others. */
  async tick(): Promise<void> {
    const tasks: [string, () => Promise<unknown>][] = [
      ['webhook retries', () => this.dispatchDueWebhooks()],
      ['parked notices', () => this.resolveBacklog()],
      ['plan expiry reminders', () => this.remindExpiringPlans()],
      ['pruning', () => this.prune()],
    ];
    for (const [name, task] of tasks) {
      if (this.stopped) return;
      try {
        await task();
      } catch (error) {
        this.deps.ctx.logger.error({ err: error, task: name }, 'notification scheduler task failed');
      }
    }
  }

  async dispatchDueWebhooks(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.deps.db.asSystem((tx) => this.deps.webhooks.dispatchDue(tx, 100));
      total += n;
      if (n < 100) return total;
    }
  }

  /**
   * Notices parked because their recipient or tenant was unknown: identity is asked (outside any
   * transaction), what it says is recorded, and the notice is written. Unknown to identity too, or
   * identity unreachable: tried again later with a growing delay, then dropped.
   */
  async resolveBacklog(): Promise<number> {
    const { db, identity, notices, ctx } = this.deps;
    const now = this.now();
    // Claimed for a minute: other schedulers skip them while this one asks identity.
    const parked = await db.asSystem((tx) => claimDueBacklog(tx, now, 20, 60_000));
    let written = 0;
    for (const row of parked) {
      const notice = row.intent;
      let tenant: TenantFacts | null = null;
      let user: RecipientFacts | null = null;
      try {
        let userId: string | null = 'user' in notice.audience ? notice.audience.user : null;
        if ('tenantOwner' in notice.audience) {
          tenant = await identity.tenant(notice.audience.tenantOwner);
          userId = tenant?.owner_user_id ?? null;
        }
        if (userId) user = await identity.user(userId);
      } catch (error) {
        ctx.logger.warn({ err: error, backlog: row.id }, 'identity lookup for a parked notice failed');
      }
      const done = await db.asSystem(async (tx) => {
        if (tenant) await upsertTenant(tx, tenant);
        if (user) await upsertRecipient(tx, user);
        const target = await notices.resolve(tx, notice);
        if (target) {
          await notices.write(tx, notice, target.recipient, target.tenantId);
          await dropBacklog(tx, row.id);
          return true;
        }
        if (row.attempts + 1 >= BACKLOG_MAX_ATTEMPTS) {
          ctx.logger.warn(
            { backlog: row.id, audience: notice.audience },
            'parked notice dropped: recipient unknown',
          );
          await dropBacklog(tx, row.id);
          return false;
        }
        const delay = Math.min(4 * 3_600_000, 30_000 * 2 ** row.attempts);
        await postponeBacklog(tx, row.id, new Date(now.getTime() + delay));
        return false;
      });
      if (done) written++;
    }
    return written;
  }

  /** Reminds tenant owners PLAN_EXPIRY_NOTICE_DAYS before a paid period ends, once per end date. */
  async remindExpiringPlans(): Promise<number> {
    const { db, notices, config } = this.deps;
    const now = this.now();
    return db.asSystem(async (tx) => {
      const due = await tenantsDueForExpiryNotice(tx, now, config.planExpiryNoticeDays * DAY_MS, 50);
      for (const tenant of due) {
        const expiresAt = tenant.plan_expires_at!;
        await notices.submit(tx, {
          content: {
            kind: 'plan.expiring',
            plan_name: tenant.plan_name ?? { fa: 'فعلی', en: 'current' },
            expires_at: expiresAt.toISOString(),
          },
          audience: { tenantOwner: tenant.tenant_id },
          tenantId: tenant.tenant_id,
          causeEventId: null,
        });
        await markExpiryNoticed(tx, tenant.tenant_id, expiresAt);
      }
      return due.length;
    });
  }

  /** Forgets expired codes, old settled deliveries and inbox records; at most once an hour. */
  async prune(force = false): Promise<void> {
    const { db } = this.deps;
    const now = this.now();
    if (!force && now.getTime() - this.lastPrune < 3_600_000) return;
    this.lastPrune = now.getTime();
    await db.asSystem(async (tx) => {
      await pruneExpiredCodes(tx, now);
      await pruneSettledDeliveries(tx, 30);
    });
    await pruneInbox(db, 7 * DAY_MS);
  }

  private now(): Date {
    return this.deps.clock?.() ?? new Date();
  }
}
