import { randomUUID } from 'node:crypto';
import { CATALOG, RENDER_ERROR_CODES } from '@flatrender/contracts';
import { describe, expect, it } from 'vitest';
import { createFormatter } from './formatting';
import { STORED_KINDS } from './kinds';
import type { NoticeContent, StoredKind } from './notice-content';
import { RENDER_FAILURE_REASONS, renderNotice } from './notice-texts';

const id = randomUUID();
const name = { fa: 'حرفه‌ای', en: 'Pro' };
/** One example of every stored kind. */
const SAMPLES: { [K in StoredKind]: Extract<NoticeContent, { kind: K }> } = {
  'account.welcome': { kind: 'account.welcome', display_name: 'سارا' },
  'account.banned': { kind: 'account.banned', reason_code: 'spam', banned_until: '2025-03-20T21:00:00Z' },
  'security.api_key_created': {
    kind: 'security.api_key_created',
    name: 'CI',
    prefix: 'fr_ab12cd',
    scopes: ['renders:write', 'renders:read'],
    expires_at: null,
  },
  'tenant.suspended': {
    kind: 'tenant.suspended',
    tenant_name: 'Studio Nur',
    reason_code: 'payment_overdue',
    suspended_until: null,
  },
  'plan.activated': { kind: 'plan.activated', plan_name: name, expires_at: '2025-04-20T12:00:00Z' },
  'plan.expiring': { kind: 'plan.expiring', plan_name: name, expires_at: '2025-03-21T10:30:00Z' },
  'plan.expired': {
    kind: 'plan.expired',
    expired_plan_code: 'pro',
    effective_plan_name: { fa: 'رایگان', en: 'Free' },
  },
  'payment.succeeded': {
    kind: 'payment.succeeded',
    payment_id: id,
    amount: 1_200_000,
    purpose: 'plan_purchase',
    provider_reference: '201',
    paid_at: '2025-03-21T08:00:00Z',
  },
  'payment.failed': {
    kind: 'payment.failed',
    payment_id: id,
    amount: 50_000,
    failure_code: 'insufficient_funds',
  },
  'payment.refunded': { kind: 'payment.refunded', payment_id: id, refunded_amount: 25_000, full: false },
  'render.completed': {
    kind: 'render.completed',
    job_id: id,
    job_kind: 'video',
    format: 'mp4',
    duration_seconds: 75,
    width: 1920,
    height: 1080,
    size_bytes: 12_345_678,
    watermark: true,
  },
  'render.failed': {
    kind: 'render.failed',
    job_id: id,
    job_kind: 'image',
    error_code: 'font_missing',
    retryable: true,
  },
  'storage.quota_warning': {
    kind: 'storage.quota_warning',
    threshold_percent: 80,
    used_bytes: 858_993_459,
    quota_bytes: 1_073_741_824,
  },
  'storage.quota_exceeded': {
    kind: 'storage.quota_exceeded',
    used_bytes: 1_073_741_824,
    quota_bytes: 1_073_741_824,
  },
  'storage.cleanup_scheduled': {
    kind: 'storage.cleanup_scheduled',
    reason_code: 'plan_expired',
    scheduled_for: '2025-03-28T00:00:00Z',
    file_count: 12,
    total_bytes: 4096,
  },
  'storage.cleanup_executed': {
    kind: 'storage.cleanup_executed',
    reason_code: 'retention_expired',
    deleted_count: 1,
    freed_bytes: 2048,
  },
  'webhook.endpoint_disabled': {
    kind: 'webhook.endpoint_disabled',
    webhook_id: id,
    url: 'https://hooks.example.com/x',
    failures: 5,
  },
};

const created = CATALOG['notification.created.v1'].data.shape;

describe('notice texts', () => {
  it('cover every stored kind', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...STORED_KINDS].sort());
  });

  for (const kind of STORED_KINDS) {
    it(`${kind} reads in Persian and English within the catalog's limits`, () => {
      const fa = renderNotice(SAMPLES[kind], createFormatter('fa', 'Asia/Tehran'));
      const en = renderNotice(SAMPLES[kind], createFormatter('en', 'Asia/Tehran'));
      for (const notice of [fa, en]) {
        expect(created.title.safeParse(notice.title).success).toBe(true);
        expect(created.body.safeParse(notice.body).success).toBe(true);
        expect(created.link.safeParse(notice.link).success).toBe(true);
        expect(notice.action === null).toBe(notice.link === null);
        expect(`${notice.title} ${notice.body}`).not.toMatch(/undefined|null|NaN|\[object/);
      }
      expect(fa.title).toMatch(/[\u0600-\u06FF]/);
      expect(en.title).not.toMatch(/[\u0600-\u06FF]/);
      // Persian text carries Persian digits only (format names such as MP4 and URLs stay Latin).
      expect(fa.body.replace(/https?:\S+|fr_\w+|\b[A-Z]+[0-9]\b/g, '')).not.toMatch(/[0-9]/);
    });
  }

  it('gives dates in the Jalali calendar and the operator time zone in Persian', () => {
    const fa = renderNotice(SAMPLES['plan.expiring'], createFormatter('fa', 'Asia/Tehran'));
    // 2025-03-21T10:30Z is 1 Farvardin 1404, 14:00 in Tehran.
    expect(fa.body).toContain('۱ فروردین ۱۴۰۴، ساعت ۱۴:۰۰');
    const en = renderNotice(SAMPLES['plan.expiring'], createFormatter('en', 'Asia/Tehran'));
    expect(en.body).toContain('March 21, 2025, 14:00');
    // 2025-03-20T21:00Z is already the 21st in Tehran (+03:30).
    expect(renderNotice(SAMPLES['account.banned'], createFormatter('en', 'Asia/Tehran')).body).toContain(
      'March 21, 2025',
    );
  });

  it('writes money, sizes and lengths the way each language reads them', () => {
    const fa = renderNotice(SAMPLES['payment.succeeded'], createFormatter('fa', 'UTC'));
    expect(fa.body).toContain('۱٬۲۰۰٬۰۰۰ ریال');
    expect(renderNotice(SAMPLES['payment.succeeded'], createFormatter('en', 'UTC')).body).toContain(
      '1,200,000 IRR',
    );
    const video = renderNotice(SAMPLES['render.completed'], createFormatter('fa', 'UTC'));
    expect(video.body).toContain('۱ دقیقه و ۱۵ ثانیه');
    expect(video.body).toContain('۱۱٫۸ مگابایت');
    expect(video.link).toBe(`/renders/${id}`);
    expect(renderNotice(SAMPLES['render.completed'], createFormatter('en', 'UTC')).body).toContain(
      'MP4, 1920×1080, 1 min 15 s, 11.8 MB',
    );
  });

  it('explains every render failure in words, with what to do', () => {
    for (const code of RENDER_ERROR_CODES) {
      const reason = RENDER_FAILURE_REASONS[code];
      expect(reason.fa.length).toBeGreaterThan(30);
      expect(reason.en).not.toContain(code);
      const en = renderNotice(
        { ...SAMPLES['render.failed'], error_code: code, retryable: false },
        createFormatter('en', 'UTC'),
      );
      expect(en.body).toBe(reason.en);
    }
    const retry = renderNotice(SAMPLES['render.failed'], createFormatter('en', 'UTC'));
    expect(retry.body).toContain('retry it from the render page');
    expect(retry.title).toBe('Your image could not be rendered');
  });
});
