import type {
  CLEANUP_REASONS,
  PAYMENT_FAILURE_CODES,
  RENDER_ERROR_CODES,
  RENDER_JOB_KINDS,
  TENANT_SUSPENSION_REASONS,
  USER_BAN_REASONS,
} from '@flatrender/contracts';

type Of<T extends readonly string[]> = T[number];
export type LocalizedName = { fa: string; en: string };

/**
 * What a notice says, as facts (no text): the rules build it from an event, the texts turn it into
 * words in the recipient's language when it is written. Stored as JSON while a notice waits for its
 * recipient to be known, so every field is plain data.
 */
export type NoticeContent =
  | { kind: 'account.welcome'; display_name: string }
  | { kind: 'account.banned'; reason_code: Of<typeof USER_BAN_REASONS>; banned_until: string | null }
  | {
      kind: 'security.api_key_created';
      name: string;
      prefix: string;
      scopes: string[];
      expires_at: string | null;
    }
  | {
      kind: 'tenant.suspended';
      tenant_name: string;
      reason_code: Of<typeof TENANT_SUSPENSION_REASONS>;
      suspended_until: string | null;
    }
  | { kind: 'plan.activated'; plan_name: LocalizedName; expires_at: string | null }
  | { kind: 'plan.expiring'; plan_name: LocalizedName; expires_at: string }
  | { kind: 'plan.expired'; expired_plan_code: string; effective_plan_name: LocalizedName }
  | {
      kind: 'payment.succeeded';
      payment_id: string;
      amount: number;
      purpose: 'plan_purchase' | 'plan_renewal' | 'balance_credit';
      provider_reference: string;
      paid_at: string;
    }
  | {
      kind: 'payment.failed';
      payment_id: string;
      amount: number;
      failure_code: Of<typeof PAYMENT_FAILURE_CODES>;
    }
  | { kind: 'payment.refunded'; payment_id: string; refunded_amount: number; full: boolean }
  | {
      kind: 'render.completed';
      job_id: string;
      job_kind: Of<typeof RENDER_JOB_KINDS>;
      format: string;
      duration_seconds: number | null;
      width: number | null;
      height: number | null;
      size_bytes: number;
      watermark: boolean;
    }
  | {
      kind: 'render.failed';
      job_id: string;
      job_kind: Of<typeof RENDER_JOB_KINDS>;
      error_code: Of<typeof RENDER_ERROR_CODES>;
      retryable: boolean;
    }
  | { kind: 'storage.quota_warning'; threshold_percent: number; used_bytes: number; quota_bytes: number }
  | { kind: 'storage.quota_exceeded'; used_bytes: number; quota_bytes: number }
  | {
      kind: 'storage.cleanup_scheduled';
      reason_code: Of<typeof CLEANUP_REASONS>;
      scheduled_for: string;
      file_count: number;
      total_bytes: number;
    }
  | {
      kind: 'storage.cleanup_executed';
      reason_code: Of<typeof CLEANUP_REASONS>;
      deleted_count: number;
      freed_bytes: number;
    }
  | { kind: 'webhook.endpoint_disabled'; webhook_id: string; url: string; failures: number };

export type StoredKind = NoticeContent['kind'];
export type ContentOf<K extends StoredKind> = Extract<NoticeContent, { kind: K }>;

/** Who a notice is for: a user, or whoever owns a tenant. */
export type Audience = { user: string } | { tenantOwner: string };

/**
 * A notice to write: what it says, for whom, and in which tenant's inbox (`null`: the recipient's
 * personal tenant, for notices about the account itself).
 */
export interface NoticeIntent {
  content: NoticeContent;
  audience: Audience;
  tenantId: string | null;
  causeEventId: string | null;
}
