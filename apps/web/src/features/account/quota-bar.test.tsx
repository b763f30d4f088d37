// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LocaleProvider } from '@/i18n/client';
import type { Locale } from '@/i18n/locale';
import type { StorageUsage } from './account-types';
import { QuotaBar, quotaLevel } from './quota-bar';

const MiB = 1024 * 1024;

function usage(used: number, quota: number, extra: Partial<StorageUsage> = {}): StorageUsage {
  return {
    used_bytes: used,
    quota_bytes: quota,
    remaining_bytes: quota - used,
    used_percent: (used / quota) * 100,
    file_count: 7,
    max_upload_bytes: 50 * MiB,
    plan_code: 'free',
    retention_days: 7,
    suspended: false,
    ...extra,
  };
}

function show(value: StorageUsage, locale: Locale = 'en') {
  return render(
    <LocaleProvider locale={locale}>
      <QuotaBar usage={value} />
    </LocaleProvider>,
  );
}

afterEach(cleanup);

describe('quota bar', () => {
  it('turns to a warning at 80 % and to full at the quota', () => {
    expect(quotaLevel(79, 100)).toBe('ok');
    expect(quotaLevel(80, 100)).toBe('warning');
    expect(quotaLevel(100, 100)).toBe('full');
    expect(quotaLevel(120, 100)).toBe('full');
    expect(quotaLevel(0, 0)).toBe('full');
  });

  it('fills as much of the bar as is used, and says it in words for screen readers', () => {
    show(usage(256 * MiB, 1024 * MiB));
    const meter = screen.getByRole('meter', { name: 'Storage' });
    expect(meter.getAttribute('aria-valuenow')).toBe(String(256 * MiB));
    expect(meter.getAttribute('aria-valuetext')).toBe('256 MB of 1 GB used (25%)');
    expect((meter.firstElementChild as HTMLElement).style.inlineSize).toBe('25%');
    expect(screen.getByText('768 MB left · 7 files')).toBeTruthy();
    expect(screen.getByText('Largest file: 50 MB')).toBeTruthy();
    expect(screen.getByTestId('quota').dataset.level).toBe('ok');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('never draws past the end and says the storage is full, with Persian digits in fa', () => {
    show(usage(1100 * MiB, 1000 * MiB, { remaining_bytes: 0 }), 'fa');
    const meter = screen.getByRole('meter');
    expect((meter.firstElementChild as HTMLElement).style.inlineSize).toBe('100%');
    expect(meter.getAttribute('aria-valuenow')).toBe(String(1000 * MiB));
    expect(screen.getByTestId('quota').dataset.level).toBe('full');
    expect(screen.getByRole('alert').textContent).toContain('پر است');
    expect(screen.getByText(/از .* استفاده شده/).textContent).toMatch(/[۰-۹]/);
    expect(screen.getByText(/از .* استفاده شده/).textContent).not.toMatch(/[0-9]/);
  });

  it('tells a suspended workspace that uploads are off', () => {
    show(usage(10 * MiB, 1000 * MiB, { suspended: true }));
    expect(screen.getByText(/suspended/)).toBeTruthy();
  });
});
