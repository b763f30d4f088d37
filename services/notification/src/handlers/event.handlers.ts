import { type Envelope, SYSTEM_USER_ID } from '@flatrender/contracts';
import type { EventHandler, EventHandlers, ServiceContext } from '@flatrender/platform';
import {
  findTenant,
  jobRequester,
  markEmailVerified,
  recordJob,
  recordPlan,
  upsertRecipient,
  upsertTenant,
} from '../contacts.repository';
import type { NoticeContent, NoticeIntent } from '../domain/notice-content';
import type { NoticeWriter } from '../notices';
import type { NotificationTx } from '../notification.db';
import type { WebhookService } from '../webhooks/webhook.service';

interface Deps {
  ctx: ServiceContext;
  notices: NoticeWriter;
  webhooks: WebhookService;
}

/** The inbox transaction the host runs every handler in (the service has a schema, so it is set). */
const txOf = (context: Parameters<EventHandler>[1]) => context.tx as NotificationTx;

/** A notice caused by `envelope`. */
const intent = (
  envelope: Envelope,
  content: NoticeContent,
  audience: NoticeIntent['audience'],
  tenantId: string | null,
): NoticeIntent => ({ content, audience, tenantId, causeEventId: envelope.event_id });

/**
 * What notification does with each event it consumes (`bindingsFor('notification')`): learn contacts
 * from identity, turn facts into notices for the people concerned, and deliver webhook events to the
 * tenant's endpoints. Each runs once per event (inbox) in one transaction with everything it causes.
 */
export function eventHandlers({ ctx, notices, webhooks }: Deps): EventHandlers {
  const toOwner = (envelope: Envelope, content: NoticeContent, tenantId = envelope.tenant_id) =>
    intent(envelope, content, { tenantOwner: tenantId }, tenantId);

  /** The render job's requester (recorded when it was queued), else its actor, else the owner. */
  const jobAudience = async (tx: NotificationTx, envelope: Envelope, jobId: string) => {
    const requester = await jobRequester(tx, jobId, true);
    if (requester) return { user: requester };
    if (envelope.user_id !== SYSTEM_USER_ID) return { user: envelope.user_id };
    return { tenantOwner: envelope.tenant_id };
  };

  return {
    'identity.user.registered.v1': async (envelope, context) => {
      const tx = txOf(context);
      const d = envelope.data;
      await upsertRecipient(tx, {
        user_id: d.user_id,
        email: d.email,
        display_name: d.display_name,
        locale: d.locale,
        email_verified: d.email_verified,
        personal_tenant_id: d.personal_tenant_id,
      });
      if (d.verification) {
        await ctx.emit(
          tx,
          'notify.channel.email',
          {
            source: 'transactional',
            idempotency_key: `account.verify_email:${envelope.event_id}:email`,
            locale: d.locale,
            channel: 'email',
            recipient: { email: d.email, name: d.display_name },
            recipient_user_id: d.user_id,
            template: {
              kind: 'account.verify_email',
              params: {
                display_name: d.display_name,
                token: d.verification.token,
                expires_at: d.verification.expires_at,
              },
            },
          },
          { tenantId: d.personal_tenant_id, userId: d.user_id },
        );
      }
    },

    'identity.user.email_verified.v1': async (envelope, context) => {
      const tx = txOf(context);
      const recipient = await markEmailVerified(tx, envelope.data.user_id, envelope.data.email);
      await notices.submit(
        tx,
        intent(
          envelope,
          { kind: 'account.welcome', display_name: recipient?.display_name ?? envelope.data.email },
          { user: envelope.data.user_id },
          null,
        ),
      );
    },

    'identity.user.banned.v1': async (envelope, context) => {
      const d = envelope.data;
      await notices.submit(
        txOf(context),
        intent(
          envelope,
          { kind: 'account.banned', reason_code: d.reason_code, banned_until: d.banned_until },
          { user: d.user_id },
          null,
        ),
      );
    },

    'identity.tenant.created.v1': async (envelope, context) => {
      const d = envelope.data;
      await upsertTenant(txOf(context), {
        tenant_id: d.tenant_id,
        name: d.name,
        kind: d.kind,
        owner_user_id: d.owner_user_id,
        locale: d.locale,
      });
    },

    'identity.tenant.suspended.v1': async (envelope, context) => {
      const tx = txOf(context);
      const d = envelope.data;
      const tenant = await findTenant(tx, d.tenant_id);
      await notices.submit(
        tx,
        toOwner(
          envelope,
          {
            kind: 'tenant.suspended',
            tenant_name: tenant?.name ?? 'FlatRender',
            reason_code: d.reason_code,
            suspended_until: d.suspended_until,
          },
          d.tenant_id,
        ),
      );
    },

    'identity.plan.activated.v1': async (envelope, context) => {
      const tx = txOf(context);
      const d = envelope.data;
      await recordPlan(tx, d.tenant_id, {
        subscription_id: d.subscription_id,
        name: d.plan.name,
        expires_at: d.expires_at,
        effective_at: d.effective_at,
      });
      // The free plan every tenant starts on is not news; a purchase, renewal or grant is.
      if (d.payment_id === null && d.expires_at === null) return;
      await notices.submit(
        tx,
        toOwner(
          envelope,
          { kind: 'plan.activated', plan_name: d.plan.name, expires_at: d.expires_at },
          d.tenant_id,
        ),
      );
    },

    'identity.plan.expired.v1': async (envelope, context) => {
      const tx = txOf(context);
      const d = envelope.data;
      await recordPlan(tx, d.tenant_id, {
        subscription_id: d.subscription_id,
        name: d.effective_plan.name,
        expires_at: null,
        effective_at: d.effective_at,
      });
      await notices.submit(
        tx,
        toOwner(
          envelope,
          {
            kind: 'plan.expired',
            expired_plan_code: d.expired_plan_code,
            effective_plan_name: d.effective_plan.name,
          },
          d.tenant_id,
        ),
      );
    },

    // Billing is the owner's business (only owners pay), whoever clicked.
    'identity.payment.succeeded.v1': async (envelope, context) => {
      const d = envelope.data;
      await notices.submit(
        txOf(context),
        toOwner(envelope, {
          kind: 'payment.succeeded',
          payment_id: d.payment_id,
          amount: d.amount,
          purpose: d.purpose,
          provider_reference: d.provider_reference,
          paid_at: d.paid_at,
        }),
      );
    },
    'identity.payment.failed.v1': async (envelope, context) => {
      const d = envelope.data;
      await notices.submit(
        txOf(context),
        toOwner(envelope, {
          kind: 'payment.failed',
          payment_id: d.payment_id,
          amount: d.amount,
          failure_code: d.failure_code,
        }),
      );
    },
    'identity.payment.refunded.v1': async (envelope, context) => {
      const d = envelope.data;
      await notices.submit(
        txOf(context),
        toOwner(envelope, {
          kind: 'payment.refunded',
          payment_id: d.payment_id,
          refunded_amount: d.refunded_amount,
          full: d.full,
        }),
      );
    },

    'identity.api_key.created.v1': async (envelope, context) => {
      const d = envelope.data;
      const audience =
        envelope.user_id === SYSTEM_USER_ID
          ? { tenantOwner: envelope.tenant_id }
          : { user: envelope.user_id };
      await notices.submit(
        txOf(context),
        intent(
          envelope,
          {
            kind: 'security.api_key_created',
            name: d.name,
            prefix: d.prefix,
            scopes: [...d.scopes],
            expires_at: d.expires_at,
          },
          audience,
          envelope.tenant_id,
        ),
      );
    },

    'render.job.queued.v1': async (envelope, context) => {
      const tx = txOf(context);
      if (envelope.user_id !== SYSTEM_USER_ID) {
        await recordJob(tx, {
          job_id: envelope.data.job_id,
          tenant_id: envelope.tenant_id,
          requested_by: envelope.user_id,
        });
      }
      await webhooks.fanOut(tx, envelope);
    },
    'render.job.started.v1': async (envelope, context) => {
      await webhooks.fanOut(txOf(context), envelope);
    },
    'render.job.cancelled.v1': async (envelope, context) => {
      const tx = txOf(context);
      await jobRequester(tx, envelope.data.job_id, true);
      await webhooks.fanOut(tx, envelope);
    },
    'render.snapshot.ready.v1': async (envelope, context) => {
      await webhooks.fanOut(txOf(context), envelope);
    },

    'render.job.completed.v1': async (envelope, context) => {
      const tx = txOf(context);
      const d = envelope.data;
      await notices.submit(
        tx,
        intent(
          envelope,
          {
            kind: 'render.completed',
            job_id: d.job_id,
            job_kind: d.kind,
            format: d.output.format,
            duration_seconds: d.output.duration_seconds,
            width: d.output.width,
            height: d.output.height,
            size_bytes: d.output.size_bytes,
            watermark: d.watermark,
          },
          await jobAudience(tx, envelope, d.job_id),
          envelope.tenant_id,
        ),
      );
      await webhooks.fanOut(tx, envelope);
    },

    'render.job.failed.v1': async (envelope, context) => {
      const tx = txOf(context);
      const d = envelope.data;
      await notices.submit(
        tx,
        intent(
          envelope,
          {
            kind: 'render.failed',
            job_id: d.job_id,
            job_kind: d.kind,
            error_code: d.error_code,
            retryable: d.retryable,
          },
          await jobAudience(tx, envelope, d.job_id),
          envelope.tenant_id,
        ),
      );
      await webhooks.fanOut(tx, envelope);
    },

    'file.quota_warning.v1': async (envelope, context) => {
      const d = envelope.data;
      await notices.submit(
        txOf(context),
        toOwner(envelope, {
          kind: 'storage.quota_warning',
          threshold_percent: d.threshold_percent,
          used_bytes: d.used_bytes,
          quota_bytes: d.quota_bytes,
        }),
      );
    },
    'file.quota_exceeded.v1': async (envelope, context) => {
      const d = envelope.data;
      await notices.submit(
        txOf(context),
        toOwner(envelope, {
          kind: 'storage.quota_exceeded',
          used_bytes: d.used_bytes,
          quota_bytes: d.quota_bytes,
        }),
      );
    },
    'file.cleanup.scheduled.v1': async (envelope, context) => {
      const d = envelope.data;
      await notices.submit(
        txOf(context),
        toOwner(envelope, {
          kind: 'storage.cleanup_scheduled',
          reason_code: d.reason_code,
          scheduled_for: d.scheduled_for,
          file_count: d.file_count,
          total_bytes: d.total_bytes,
        }),
      );
    },
    'file.cleanup.executed.v1': async (envelope, context) => {
      const d = envelope.data;
      // A run that removed nothing is not worth telling.
      if (d.deleted_count === 0) return;
      await notices.submit(
        txOf(context),
        toOwner(envelope, {
          kind: 'storage.cleanup_executed',
          reason_code: d.reason_code,
          deleted_count: d.deleted_count,
          freed_bytes: d.freed_bytes,
        }),
      );
    },
  };
}
