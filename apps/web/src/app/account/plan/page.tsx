import type { Metadata } from 'next';
import { PageHeader, ProgressBar } from '@/components/ui/feedback';
import styles from '@/features/account/account.module.css';
import type { Plan, StorageUsage, TenantDetails, Usage } from '@/features/account/account-types';
import { PlanPicker } from '@/features/account/plan-picker';
import { QuotaBar } from '@/features/account/quota-bar';
import { accountText } from '@/i18n/dictionaries/account';
import { formatBytes, formatDate, formatMoney, formatNumber, localizeDigits } from '@/i18n/format';
import type { Locale } from '@/i18n/locale';
import { getLocale, getT } from '@/i18n/server';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: accountText[await getLocale()]['plan.title'] };
}

/** A usage period (`YYYY-MM`, a UTC calendar month) as its first and last day, Jalali in fa. */
function periodText(period: string, locale: Locale): string {
  const [year, month] = period.split('-').map(Number);
  if (!year || !month) return localizeDigits(period, locale);
  const first = new Date(Date.UTC(year, month - 1, 1, 12));
  const last = new Date(Date.UTC(year, month, 0, 12));
  return `${formatDate(first, locale)} – ${formatDate(last, locale)}`;
}

export default async function PlanPage() {
  const session = await requireSession('/account/plan');
  const t = await getT(accountText);
  const locale = await getLocale();
  const [tenant, usage, storage, plans] = await Promise.all([
    serverGet<TenantDetails>(`/v1/tenants/${session.tenant.id}`),
    serverGet<Usage>('/v1/usage'),
    serverGet<StorageUsage>('/v1/files/usage'),
    serverGet<{ items: Plan[] }>('/v1/plans'),
  ]);
  const seconds = usage.render_seconds;
  const n = (value: number) => formatNumber(Math.round(value), locale);
  return (
    <>
      <PageHeader title={t('plan.title')} description={t('plan.lead')} />
      <div className="fr-stack">
        <section className="fr-card" data-testid="current-plan">
          <div className="fr-row" style={{ justifyContent: 'space-between', alignItems: 'flex-start' }}>
            <div>
              <div className="fr-small fr-muted">{t('plan.current')}</div>
              <h2 style={{ marginBlockEnd: 4 }}>{tenant.plan.name[locale]}</h2>
              <div className="fr-small fr-muted">
                {tenant.plan.expires_at
                  ? t('plan.until', { date: formatDate(tenant.plan.expires_at, locale) })
                  : t('plan.noEnd')}
              </div>
            </div>
            <div style={{ textAlign: 'end' }}>
              <div className="fr-small fr-muted">{t('plan.balance')}</div>
              <strong style={{ fontSize: '1.3rem' }} data-testid="balance">
                {formatMoney(tenant.balance, locale)}
              </strong>
            </div>
          </div>
          <div className="fr-divider" />
          <div className="fr-stack" style={{ gap: 8 }}>
            <div className="fr-row" style={{ justifyContent: 'space-between' }}>
              <strong>{t('plan.renderSeconds')}</strong>
              <span className="fr-small fr-muted">
                {t('plan.period', { period: periodText(usage.period, locale) })}
              </span>
            </div>
            {seconds.limit !== null ? (
              <ProgressBar
                value={seconds.limit > 0 ? (seconds.used + seconds.reserved) / seconds.limit : 1}
                label={t('plan.renderSeconds')}
                tone={seconds.remaining === 0 ? 'danger' : undefined}
              />
            ) : null}
            <div className="fr-row fr-small" style={{ justifyContent: 'space-between' }}>
              <span data-testid="render-seconds">
                {seconds.limit === null
                  ? t('plan.secondsUnlimited', { used: n(seconds.used) })
                  : t('plan.secondsOf', { used: n(seconds.used), limit: n(seconds.limit) })}
              </span>
              {seconds.reserved > 0 ? (
                <span className="fr-muted">{t('plan.reserved', { n: n(seconds.reserved) })}</span>
              ) : null}
            </div>
          </div>
          <div className="fr-divider" />
          <div className={styles.stats}>
            <div className={styles.stat}>
              <strong>{n(usage.jobs)}</strong>
              <span>{t('plan.jobs')}</span>
            </div>
            <div className={styles.stat}>
              <strong>{n(usage.snapshots)}</strong>
              <span>{t('plan.snapshots')}</span>
            </div>
            <div className={styles.stat}>
              <strong>{n(usage.mockups)}</strong>
              <span>{t('plan.mockups')}</span>
            </div>
            <div className={styles.stat}>
              <strong>{n(usage.voiceover_characters)}</strong>
              <span>{t('plan.voiceover')}</span>
            </div>
            <div className={styles.stat}>
              <strong>{formatBytes(usage.size_bytes, locale)}</strong>
              <span>{t('plan.outputSize')}</span>
            </div>
          </div>
        </section>
        <section className="fr-card">
          <QuotaBar usage={storage} />
        </section>
        <section>
          <h2>{t('plan.choose')}</h2>
          <p className="fr-muted">{t('plan.chooseLead')}</p>
          <PlanPicker
            plans={plans.items.filter((p) => p.active)}
            currentCode={tenant.plan.code}
            isOwner={session.tenant.role === 'owner'}
          />
        </section>
      </div>
    </>
  );
}
