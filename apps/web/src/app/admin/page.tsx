import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { QueueDepth, RenderNode } from '@/features/admin/admin-types';
import { FarmLive } from '@/features/admin/farm-live';
import { adminText } from '@/i18n/dictionaries/admin';
import { getLocale, getT } from '@/i18n/server';
import { requireAdmin, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: adminText[await getLocale()].title };
}

export default async function AdminHome() {
  await requireAdmin('/admin');
  const t = await getT(adminText);
  const [nodes, queues] = await Promise.all([
    serverGet<{ items: RenderNode[] }>('/v1/admin/nodes'),
    serverGet<{ items: QueueDepth[] }>('/v1/admin/queues'),
  ]);
  return (
    <>
      <PageHeader title={t('farm.title')} description={t('farm.lead')} />
      <FarmLive initialNodes={nodes.items} initialQueues={queues.items} />
    </>
  );
}
