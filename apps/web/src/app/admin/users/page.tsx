import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { AdminUser } from '@/features/admin/admin-types';
import { UsersAdmin } from '@/features/admin/people-admin';
import { adminText } from '@/i18n/dictionaries/admin';
import { getLocale, getT } from '@/i18n/server';
import { requireAdmin, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: adminText[await getLocale()]['users.title'] };
}

export default async function AdminUsersPage() {
  const session = await requireAdmin('/admin/users');
  const t = await getT(adminText);
  const users = await serverGet<{ items: AdminUser[]; next_cursor: string | null }>(
    '/v1/admin/users?limit=50',
  );
  return (
    <>
      <PageHeader title={t('users.title')} description={t('users.lead')} />
      <UsersAdmin initial={users} selfId={session.user.id} />
    </>
  );
}
