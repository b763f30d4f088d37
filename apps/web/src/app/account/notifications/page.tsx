import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { Preferences } from '@/features/account/account-types';
import { NotificationSettings } from '@/features/account/notification-settings';
import { notificationsText } from '@/i18n/dictionaries/notifications';
import { getLocale, getT } from '@/i18n/server';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: notificationsText[await getLocale()]['prefs.title'] };
}

export default async function NotificationSettingsPage() {
  await requireSession('/account/notifications');
  const t = await getT(notificationsText);
  const prefs = await serverGet<Preferences>('/v1/notifications/preferences');
  return (
    <>
      <PageHeader title={t('prefs.title')} description={t('prefs.lead')} />
      <NotificationSettings initial={prefs} />
    </>
  );
}
