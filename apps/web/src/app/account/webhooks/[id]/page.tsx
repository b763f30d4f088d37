import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LinkButton } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/feedback';
import type { Page, Webhook, WebhookDelivery } from '@/features/account/account-types';
import { roleAtLeast } from '@/features/account/catalog';
import { WebhookDetail } from '@/features/account/webhooks';
import { commonText } from '@/i18n/dictionaries/common';
import { developerText } from '@/i18n/dictionaries/developer';
import { getLocale, getT } from '@/i18n/server';
import { ApiError } from '@/lib/api/errors';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: developerText[await getLocale()]['hooks.title'] };
}

/** How long a rotated-out secret keeps signing (the notification service's WEBHOOK_SECRET_GRACE_HOURS). */
const GRACE_HOURS = Number(process.env.WEBHOOK_SECRET_GRACE_HOURS ?? 24);

export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requireSession(`/account/webhooks/${id}`);
  const t = await getT(developerText);
  const common = await getT(commonText);
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  let hook: Webhook;
  let deliveries: Page<WebhookDelivery>;
  try {
    [hook, deliveries] = await Promise.all([
      serverGet<Webhook>(`/v1/webhooks/${id}`),
      serverGet<Page<WebhookDelivery>>(`/v1/webhooks/${id}/deliveries?limit=25`),
    ]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  return (
    <>
      <PageHeader
        title={hook.description ?? t('hooks.title')}
        description={
          <span className="fr-ltr" style={{ overflowWrap: 'anywhere', display: 'block' }}>
            {hook.url}
          </span>
        }
        actions={
          <LinkButton href="/account/webhooks" variant="ghost" size="sm">
            {common('back')}
          </LinkButton>
        }
      />
      <WebhookDetail
        initial={hook}
        deliveries={deliveries}
        canWrite={roleAtLeast(session.tenant.role, 'admin')}
        graceHours={Number.isFinite(GRACE_HOURS) ? GRACE_HOURS : 24}
      />
    </>
  );
}
