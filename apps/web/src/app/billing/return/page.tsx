import type { Metadata } from 'next';
import { LinkButton } from '@/components/ui/button';
import { EmptyState, PageHeader } from '@/components/ui/feedback';
import type { Payment, Plan } from '@/features/account/account-types';
import { PaymentResult } from '@/features/account/payment-views';
import { accountText } from '@/i18n/dictionaries/account';
import { getLocale, getT } from '@/i18n/server';
import { ApiError } from '@/lib/api/errors';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: accountText[await getLocale()]['result.title'] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where the payment provider sends the payer back (identity's IDENTITY_PAYMENT_RETURN_URL, after it
 * verified the payment server-side). Only the payment id is taken from the URL; the outcome shown is
 * the one identity recorded.
 */
export default async function PaymentReturnPage({
  searchParams,
}: {
  searchParams: Promise<{ payment_id?: string }>;
}) {
  const { payment_id: id } = await searchParams;
  await requireSession(`/billing/return${id ? `?payment_id=${encodeURIComponent(id)}` : ''}`);
  const t = await getT(accountText);
  const locale = await getLocale();
  let payment: Payment | null = null;
  if (id && UUID.test(id)) {
    try {
      payment = await serverGet<Payment>(`/v1/payments/${id}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
    }
  }
  let planName: string | null = null;
  if (payment?.plan_code) {
    const plans = await serverGet<{ items: Plan[] }>('/v1/plans').catch(() => ({ items: [] as Plan[] }));
    planName = plans.items.find((p) => p.code === payment?.plan_code)?.name[locale] ?? null;
  }
  return (
    <div className="fr-container fr-page" style={{ maxInlineSize: 720 }}>
      <PageHeader title={t('result.title')} />
      {payment ? (
        <PaymentResult initial={payment} planName={planName} />
      ) : (
        <EmptyState title={t('result.unknown')}>
          <LinkButton href="/account/payments">{t('result.toPayments')}</LinkButton>
        </EmptyState>
      )}
    </div>
  );
}
