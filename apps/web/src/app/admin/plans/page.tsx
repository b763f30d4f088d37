import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { Plan } from '@/features/account/account-types';
import { PlansAdmin } from '@/features/admin/plans-admin';
import { adminText } from '@/i18n/dictionaries/admin';
import { getLocale, getT } from '@/i18n/server';
import { requireAdmin, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: adminText[await getLocale()]['plans.title'] };
}

export default async function AdminPlansPage() {
  await requireAdmin('/admin/plans');
  const t = await getT(adminText);
  const plans = await serverGet<{ items: Plan[] }>('/v1/admin/plans');
  return (
    <>
      <PageHeader title={t('plans.title')} description={t('plans.lead')} />
      <PlansAdmin initial={plans.items} />
    </>
  );
}
