import type { Metadata } from 'next';
import { EmptyState, PageHeader } from '@/components/ui/feedback';
import styles from '@/features/account/account.module.css';
import type { Page, Payment } from '@/features/account/account-types';
import { PaymentsTable } from '@/features/account/payment-views';
import { RoleNotice } from '@/features/account/role-gate';
import { accountText } from '@/i18n/dictionaries/account';
import { getLocale, getT } from '@/i18n/server';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: accountText[await getLocale()]['payments.title'] };
}

export default async function PaymentsPage() {
  const session = await requireSession('/account/payments');
  const t = await getT(accountText);
  const header = <PageHeader title={t('payments.title')} description={t('payments.lead')} />;
  const gate = await RoleNotice({ session, minimum: 'admin' });
  if (gate)
    return (
      <>
        {header}
        {gate}
      </>
    );
  const payments = await serverGet<Page<Payment>>('/v1/payments?limit=50');
  return (
    <>
      {header}
      {payments.items.length === 0 ? (
        <EmptyState title={t('payments.empty')} />
      ) : (
        <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
          <PaymentsTable payments={payments.items} />
        </div>
      )}
    </>
  );
}
