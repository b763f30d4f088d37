import { describe, expect, it } from 'vitest';
import { defaultPolicy, isSuspended, largestUpload, planApplies, uploadLimit } from './tenant-policy';

const limits = { image: 25, svg: 2, video: 500, audio: 100, font: 20 };

describe('tenant policy', () => {
  it('keeps the limits with the latest effective_at', () => {
    const t = (iso: string) => new Date(iso);
    expect(planApplies(null, t('2026-01-01T00:00:00Z'))).toBe(true);
    expect(planApplies(t('2026-02-01T00:00:00Z'), t('2026-01-01T00:00:00Z'))).toBe(false);
    expect(planApplies(t('2026-02-01T00:00:00Z'), t('2026-02-01T00:00:00Z'))).toBe(true);
  });

  it('is suspended from suspended_at until suspended_until (or for good)', () => {
    const policy = {
      suspendedAt: new Date('2026-03-01T00:00:00Z'),
      suspendedUntil: new Date('2026-03-10T00:00:00Z'),
    };
    expect(isSuspended(policy, new Date('2026-02-28T00:00:00Z'))).toBe(false);
    expect(isSuspended(policy, new Date('2026-03-05T00:00:00Z'))).toBe(true);
    expect(isSuspended(policy, new Date('2026-03-10T00:00:00Z'))).toBe(false);
    expect(isSuspended({ ...policy, suspendedUntil: null }, new Date('2030-01-01T00:00:00Z'))).toBe(true);
    expect(
      isSuspended(
        defaultPolicy('t', { defaultStorageBytes: 1, defaultMaxUploadBytes: 1, defaultRetentionDays: 1 }),
        new Date(),
      ),
    ).toBe(false);
  });

  it('caps each type limit by the plan', () => {
    expect(uploadLimit('video', limits, { maxUploadBytes: 100 })).toBe(100);
    expect(uploadLimit('svg', limits, { maxUploadBytes: 100 })).toBe(2);
    expect(largestUpload(limits, { maxUploadBytes: 1000 })).toBe(500);
    expect(largestUpload(limits, { maxUploadBytes: 30 })).toBe(30);
  });
});
