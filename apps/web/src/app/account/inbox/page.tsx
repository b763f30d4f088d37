import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { InboxPage } from '@/features/account/account-types';
import { InboxList } from '@/features/account/inbox-list';
import { notificationsText } from '@/i18n/dictionaries/notifications';
import { getLocale, getT } from '@/i18n/server';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: notificationsText[await getLocale()]['inbox.title'] };
}

export default async function InboxRoute() {
  await requireSession('/account/inbox');
  const t = await getT(notificationsText);
  const page = await serverGet<InboxPage>('/v1/notifications?limit=30');
  return (
    <>
      <PageHeader title={t('inbox.title')} description={t('inbox.lead')} />
      <InboxList initial={page} />
    </>
  );
}
