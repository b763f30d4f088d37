'use client';

import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { formatBytes, formatNumber, formatPercent } from '@/i18n/format';
import styles from './account.module.css';
import type { StorageUsage } from './account-types';

/** From this share of the quota on, the bar turns to a warning (the file service warns at 80 % too). */
export const QUOTA_WARNING_AT = 0.8;

export type QuotaLevel = 'ok' | 'warning' | 'full';

export function quotaLevel(used: number, quota: number): QuotaLevel {
  if (quota <= 0 || used >= quota) return 'full';
  return used / quota >= QUOTA_WARNING_AT ? 'warning' : 'ok';
}

/** The workspace's storage: used of quota as a bar, what is left, and the largest upload allowed. */
export function QuotaBar({ usage }: { usage: StorageUsage }) {
  const t = useT(accountText);
  const locale = useLocale();
  const fraction = usage.quota_bytes > 0 ? Math.min(1, usage.used_bytes / usage.quota_bytes) : 1;
  const level = quotaLevel(usage.used_bytes, usage.quota_bytes);
  const used = formatBytes(usage.used_bytes, locale);
  const quota = formatBytes(usage.quota_bytes, locale);
  return (
    <div className={styles.quota} data-testid="quota" data-level={level}>
      <div className={styles.quotaHead}>
        <strong>{t('quota.label')}</strong>
        <span>{t('quota.used', { used, quota })}</span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: <meter> cannot be styled alike in every browser; the role gives the same semantics. */}
      <div
        className={styles.quotaBar}
        data-level={level}
        role="meter"
        aria-label={t('quota.label')}
        aria-valuemin={0}
        aria-valuemax={usage.quota_bytes}
        aria-valuenow={Math.min(usage.used_bytes, usage.quota_bytes)}
        aria-valuetext={`${t('quota.used', { used, quota })} (${formatPercent(fraction, locale)})`}
      >
        <span style={{ inlineSize: `${Math.round(fraction * 1000) / 10}%` }} />
      </div>
      <div className={`${styles.quotaHead} fr-muted fr-small`}>
        <span>
          {t('quota.remaining', {
            left: formatBytes(Math.max(0, usage.remaining_bytes), locale),
            n: formatNumber(usage.file_count, locale),
          })}
        </span>
        <span>{t('quota.maxUpload', { size: formatBytes(usage.max_upload_bytes, locale) })}</span>
      </div>
      {usage.suspended ? (
        <div className="fr-field-error">{t('quota.suspended')}</div>
      ) : level === 'full' ? (
        <div className="fr-field-error" role="alert">
          {t('quota.full')}
        </div>
      ) : level === 'warning' ? (
        <div className="fr-field-warning">{t('quota.warning')}</div>
      ) : null}
    </div>
  );
}
