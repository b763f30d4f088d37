import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { Page, Webhook } from '@/features/account/account-types';
import { roleAtLeast } from '@/features/account/catalog';
import { WebhooksList } from '@/features/account/webhooks';
import { developerText } from '@/i18n/dictionaries/developer';
import { getLocale, getT } from '@/i18n/server';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: developerText[await getLocale()]['hooks.title'] };
}

export default async function WebhooksPage() {
  const session = await requireSession('/account/webhooks');
  const t = await getT(developerText);
  const hooks = await serverGet<Page<Webhook>>('/v1/webhooks?limit=100');
  return (
    <>
      <PageHeader title={t('hooks.title')} description={t('hooks.lead')} />
      <WebhooksList initial={hooks.items} canWrite={roleAtLeast(session.tenant.role, 'admin')} />
    </>
  );
}
