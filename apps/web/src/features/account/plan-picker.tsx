'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/feedback';
import { TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { formatBytes, formatMoney, formatNumber, latinDigits } from '@/i18n/format';
import type { Locale } from '@/i18n/locale';
import { api } from '@/lib/api/client';
import styles from './account.module.css';
import type { Payment, Plan } from './account-types';

/** The smallest balance credit identity accepts, in rial. */
export const MIN_TOP_UP_RIAL = 10_000;

interface Started {
  payment: Payment;
  redirect_url: string;
}

/** People type toman in fa and rial in en (as formatMoney shows them); the API takes rial. */
export function amountToRial(typed: string, locale: Locale): number | null {
  const digits = latinDigits(typed).replace(/[\s,٬']/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const value = Number(digits);
  return locale === 'fa' ? value * 10 : value;
}

function go(url: string) {
  window.location.assign(url);
}

function PlanFeatures({ plan }: { plan: Plan }) {
  const t = useT(accountText);
  const locale = useLocale();
  const l = plan.limits;
  const n = (value: number) => formatNumber(value, locale);
  return (
    <ul className={styles.features}>
      <li>
        {l.monthly_render_seconds === null
          ? t('limit.monthly_unlimited')
          : t('limit.monthly_render_seconds', { n: n(l.monthly_render_seconds) })}
      </li>
      <li>{t('limit.max_video_seconds', { n: n(l.max_video_seconds) })}</li>
      <li>{t('limit.max_short_side_px', { n: n(l.max_short_side_px) })}</li>
      <li>{t('limit.max_concurrent_jobs', { n: n(l.max_concurrent_jobs) })}</li>
      <li>{t('limit.storage_bytes', { size: formatBytes(l.storage_bytes, locale) })}</li>
      <li>{t('limit.team_seats', { n: n(l.team_seats) })}</li>
      <li>{l.watermark ? t('limit.watermark') : t('limit.no_watermark')}</li>
      {l.api_access ? <li>{t('limit.api_access')}</li> : null}
      <li>{t('limit.formats', { list: l.formats.map((f) => f.toUpperCase()).join('، ') })}</li>
    </ul>
  );
}

/**
 * The plans on offer and the balance top-up. Paying starts a payment at identity and sends the
 * browser to the provider's page; the provider sends it back to /billing/return.
 */
export function PlanPicker({
  plans,
  currentCode,
  isOwner,
}: {
  plans: Plan[];
  currentCode: string;
  isOwner: boolean;
}) {
  const t = useT(accountText);
  const locale = useLocale();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [amountError, setAmountError] = useState<string | undefined>();

  const start = async (key: string, body: { plan_code: string } | { amount: number }) => {
    setBusy(key);
    setError(null);
    try {
      const started = await api.post<Started>('/v1/payments', body);
      go(started.redirect_url);
    } catch (e) {
      setError(e);
      setBusy(null);
    }
  };

  const topUp = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget).get('amount') ?? '');
    const rial = amountToRial(typed, locale);
    if (rial === null || rial < MIN_TOP_UP_RIAL) {
      setAmountError(t('topup.invalid', { min: formatMoney(MIN_TOP_UP_RIAL, locale) }));
      return;
    }
    setAmountError(undefined);
    void start('balance', { amount: rial });
  };

  return (
    <div className="fr-stack">
      {!isOwner ? <Alert tone="info">{t('plan.ownerOnly')}</Alert> : null}
      <FormError error={error} />
      {busy ? <Alert tone="info">{t('plan.redirecting')}</Alert> : null}
      <div className={styles.plans}>
        {plans.map((plan) => {
          const current = plan.code === currentCode;
          return (
            <article
              key={plan.code}
              className={`fr-card ${styles.plan}`}
              data-current={current}
              data-testid="plan-card"
              data-plan={plan.code}
            >
              <div className="fr-row" style={{ justifyContent: 'space-between' }}>
                <h3 style={{ margin: 0 }}>{plan.name[locale]}</h3>
                {current ? <span className="fr-badge fr-badge-brand">{t('plan.yours')}</span> : null}
              </div>
              <div>
                <div className={styles.price}>
                  {plan.price === 0 ? t('plan.free') : formatMoney(plan.price, locale)}
                </div>
                {plan.price > 0 ? (
                  <div className="fr-small fr-muted">
                    {t('plan.perPeriod', { days: formatNumber(plan.period_days, locale) })}
                  </div>
                ) : null}
              </div>
              <PlanFeatures plan={plan} />
              {plan.price > 0 && isOwner ? (
                <Button
                  variant={current ? 'secondary' : 'primary'}
                  block
                  busy={busy === plan.code}
                  disabled={busy !== null}
                  onClick={() => start(plan.code, { plan_code: plan.code })}
                  data-testid="buy-plan"
                >
                  {current ? t('plan.renew') : t('plan.buy')}
                </Button>
              ) : null}
            </article>
          );
        })}
      </div>
      {isOwner ? (
        <section className="fr-card">
          <h2 className="fr-card-title">{t('topup.title')}</h2>
          <p className="fr-muted">{t('topup.lead')}</p>
          <form className="fr-row" style={{ alignItems: 'flex-end' }} onSubmit={topUp} noValidate>
            <div style={{ flex: '1 1 220px' }}>
              <TextField
                label={t('topup.amount')}
                name="amount"
                inputMode="numeric"
                dir="ltr"
                hint={t('topup.min', { min: formatMoney(MIN_TOP_UP_RIAL, locale) })}
                error={amountError}
                data-testid="topup-amount"
              />
            </div>
            <Button type="submit" variant="primary" busy={busy === 'balance'} disabled={busy !== null}>
              {t('topup.submit')}
            </Button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
