import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import { FontsAdmin } from '@/features/admin/fonts-admin';
import { adminText } from '@/i18n/dictionaries/admin';
import { getLocale, getT } from '@/i18n/server';
import type { FontFaceView } from '@/lib/api/types';
import { requireAdmin, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: adminText[await getLocale()]['fonts.title'] };
}

export default async function AdminFontsPage() {
  await requireAdmin('/admin/fonts');
  const t = await getT(adminText);
  const fonts = await serverGet<{ items: FontFaceView[] }>('/v1/admin/fonts');
  return (
    <>
      <PageHeader title={t('fonts.title')} description={t('fonts.lead')} />
      <FontsAdmin initial={fonts.items} />
    </>
  );
}
