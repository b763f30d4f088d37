import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { AdminTenant } from '@/features/admin/admin-types';
import { TenantsAdmin } from '@/features/admin/people-admin';
import { adminText } from '@/i18n/dictionaries/admin';
import { getLocale, getT } from '@/i18n/server';
import { requireAdmin, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: adminText[await getLocale()]['tenants.title'] };
}

export default async function AdminTenantsPage() {
  await requireAdmin('/admin/tenants');
  const t = await getT(adminText);
  const tenants = await serverGet<{ items: AdminTenant[]; next_cursor: string | null }>(
    '/v1/admin/tenants?limit=50',
  );
  return (
    <>
      <PageHeader title={t('tenants.title')} description={t('tenants.lead')} />
      <TenantsAdmin initial={tenants} />
    </>
  );
}
