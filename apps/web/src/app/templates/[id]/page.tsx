import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { Alert, PageHeader } from '@/components/ui/feedback';
import { pick } from '@/features/gallery/localized';
import { TemplateDetailView } from '@/features/gallery/template-detail';
import { CATEGORY_NAMES, galleryText } from '@/i18n/dictionaries/gallery';
import { getLocale, getT } from '@/i18n/server';
import { ApiError } from '@/lib/api/errors';
import type { TemplateDetail } from '@/lib/api/types';
import { requireSession, serverGet } from '@/lib/server/api';

/** Once per request: the metadata and the page both need it. */
const load = cache(async (id: string): Promise<TemplateDetail> => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  try {
    return await serverGet<TemplateDetail>(`/v1/templates/${id}`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  const template = await load(id).catch(() => undefined);
  return { title: template?.current ? pick(template.current.title, await getLocale()) : undefined };
}

export default async function TemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireSession(`/templates/${id}`);
  const t = await getT(galleryText);
  const locale = await getLocale();
  const template = await load(id);
  const version = template.current;
  return (
    <div className="fr-container fr-page">
      <PageHeader
        title={version ? pick(version.title, locale) : template.slug}
        description={
          version?.category ? (CATEGORY_NAMES[version.category]?.[locale] ?? version.category) : undefined
        }
      />
      {version ? <TemplateDetailView version={version} /> : <Alert tone="warning">{t('notAvailable')}</Alert>}
    </div>
  );
}
