'use client';

import { useEffect, useState } from 'react';
import { LinkButton } from '@/components/ui/button';
import { Alert, Badge, Spinner } from '@/components/ui/feedback';
import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { formatDate, formatMoney } from '@/i18n/format';
import { api } from '@/lib/api/client';
import type { Payment, PaymentStatus } from './account-types';

const TONE: Record<PaymentStatus, 'neutral' | 'brand' | 'success' | 'danger'> = {
  pending: 'neutral',
  verifying: 'brand',
  succeeded: 'success',
  failed: 'danger',
};

const FAILURES = [
  'cancelled_by_user',
  'insufficient_funds',
  'declined',
  'verification_failed',
  'expired',
  'provider_error',
] as const;

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  const t = useT(accountText);
  return (
    <Badge tone={TONE[status]}>
      <span data-testid="payment-status" data-status={status}>
        {t(`paymentStatus.${status}`)}
      </span>
    </Badge>
  );
}

export function usePaymentFailure() {
  const t = useT(accountText);
  return (code: string | null) =>
    code && (FAILURES as readonly string[]).includes(code)
      ? t(`failure.${code as (typeof FAILURES)[number]}`)
      : null;
}

export function PaymentsTable({ payments }: { payments: Payment[] }) {
  const t = useT(accountText);
  const locale = useLocale();
  const failure = usePaymentFailure();
  return (
    <table className="fr-table" data-testid="payments-table">
      <thead>
        <tr>
          <th>{t('payments.date')}</th>
          <th>{t('payments.what')}</th>
          <th>{t('payments.amount')}</th>
          <th>{t('payments.status')}</th>
          <th>{t('payments.reference')}</th>
        </tr>
      </thead>
      <tbody>
        {payments.map((p) => (
          <tr key={p.id}>
            <td>{formatDate(p.created_at, locale, 'datetime')}</td>
            <td>
              {p.kind === 'plan'
                ? t('payments.forPlan', { plan: p.plan_code ?? '' })
                : t('payments.forBalance')}
            </td>
            <td>
              {formatMoney(p.amount, locale)}
              {p.refunded_amount > 0 ? (
                <div className="fr-small fr-muted">
                  {t('payments.refunded', { amount: formatMoney(p.refunded_amount, locale) })}
                </div>
              ) : null}
            </td>
            <td>
              <PaymentStatusBadge status={p.status} />
              {p.status === 'failed' && failure(p.failure_code) ? (
                <div className="fr-small fr-muted">{failure(p.failure_code)}</div>
              ) : null}
            </td>
            <td>
              <span className="fr-ltr fr-small">{p.provider_reference ?? '—'}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The outcome of a payment as the server verified it with the provider (the return URL's own
 * `status` is never believed). An open payment is asked again until it settles.
 */
export function PaymentResult({ initial, planName }: { initial: Payment; planName: string | null }) {
  const t = useT(accountText);
  const locale = useLocale();
  const failure = usePaymentFailure();
  const [payment, setPayment] = useState(initial);
  const open = payment.status === 'pending' || payment.status === 'verifying';

  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(async () => {
      try {
        setPayment(await api.get<Payment>(`/v1/payments/${payment.id}`));
      } catch {
        // Asked again on the next tick.
      }
    }, 2000);
    return () => clearTimeout(timer);
  }, [open, payment]);

  return (
    <div className="fr-stack" data-testid="payment-result" data-status={payment.status}>
      {payment.status === 'succeeded' ? (
        <Alert tone="success" title={t('result.succeeded')}>
          {payment.kind === 'plan'
            ? t('result.succeededPlan', { plan: planName ?? payment.plan_code ?? '' })
            : t('result.succeededBalance', { amount: formatMoney(payment.amount, locale) })}
        </Alert>
      ) : payment.status === 'failed' ? (
        <Alert tone="error" title={t('result.failed')}>
          {failure(payment.failure_code) ?? ''} {t('result.failedBody')}
        </Alert>
      ) : (
        <Alert tone="info" title={t('result.pending')}>
          <div className="fr-row">
            <Spinner />
            {t('result.pendingBody')}
          </div>
        </Alert>
      )}
      <dl
        className="fr-card"
        style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '8px 24px', margin: 0 }}
      >
        <dt className="fr-muted">{t('payments.what')}</dt>
        <dd style={{ margin: 0 }}>
          {payment.kind === 'plan'
            ? t('payments.forPlan', { plan: planName ?? payment.plan_code ?? '' })
            : t('payments.forBalance')}
        </dd>
        <dt className="fr-muted">{t('payments.amount')}</dt>
        <dd style={{ margin: 0 }}>{formatMoney(payment.amount, locale)}</dd>
        <dt className="fr-muted">{t('payments.status')}</dt>
        <dd style={{ margin: 0 }}>
          <PaymentStatusBadge status={payment.status} />
        </dd>
        <dt className="fr-muted">{t('payments.reference')}</dt>
        <dd style={{ margin: 0 }} className="fr-ltr">
          {payment.provider_reference ?? '—'}
          {payment.card_mask ? ` · ${payment.card_mask}` : ''}
        </dd>
        <dt className="fr-muted">{t('payments.date')}</dt>
        <dd style={{ margin: 0 }}>{formatDate(payment.paid_at ?? payment.created_at, locale, 'datetime')}</dd>
      </dl>
      <p className="fr-small fr-muted">{t('result.verifiedNote')}</p>
      <div className="fr-row">
        <LinkButton href="/account/plan" variant="primary">
          {t('result.toPlan')}
        </LinkButton>
        <LinkButton href="/account/payments">{t('result.toPayments')}</LinkButton>
      </div>
    </div>
  );
}
