import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/ui/feedback';
import { RenderDetail } from '@/features/renders/render-detail';
import type { RenderJob } from '@/features/renders/render-types';
import { rendersText } from '@/i18n/dictionaries/renders';
import { getLocale, getT } from '@/i18n/server';
import { ApiError } from '@/lib/api/errors';
import type { TemplateDetail } from '@/lib/api/types';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: rendersText[await getLocale()].title };
}

export default async function RenderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireSession(`/renders/${id}`);
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const t = await getT(rendersText);
  const locale = await getLocale();
  let job: RenderJob;
  try {
    job = await serverGet<RenderJob>(`/v1/renders/${id}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  const template = job.template
    ? await serverGet<TemplateDetail>(`/v1/templates/${job.template.template_id}`).catch(() => null)
    : null;
  const title = template?.current?.title[locale];
  return (
    <div className="fr-container fr-page">
      <PageHeader title={title ?? t('title')} actions={<Link href="/renders">{t('backToList')}</Link>} />
      <RenderDetail initial={job} />
    </div>
  );
}
