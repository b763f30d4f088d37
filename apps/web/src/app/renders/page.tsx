import type { Metadata } from 'next';
import { LinkButton } from '@/components/ui/button';
import { EmptyState, PageHeader } from '@/components/ui/feedback';
import type { RenderList } from '@/features/renders/render-types';
import { RendersList, type TemplateTitles } from '@/features/renders/renders-list';
import { rendersText } from '@/i18n/dictionaries/renders';
import { getLocale, getT } from '@/i18n/server';
import type { Catalogue } from '@/lib/api/types';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: rendersText[await getLocale()].title };
}

export default async function RendersPage() {
  await requireSession('/renders');
  const t = await getT(rendersText);
  const [list, catalogue] = await Promise.all([
    serverGet<RenderList>('/v1/renders?limit=50'),
    serverGet<Catalogue>('/v1/templates?limit=100&status=any'),
  ]);
  const titles: TemplateTitles = Object.fromEntries(catalogue.items.map((item) => [item.id, item.title]));
  return (
    <div className="fr-container fr-page">
      <PageHeader title={t('title')} description={t('lead')} />
      {list.items.length === 0 ? (
        <EmptyState title={t('empty')}>
          <p>{t('emptyHint')}</p>
          <LinkButton href="/templates" variant="primary">
            {t('browse')}
          </LinkButton>
        </EmptyState>
      ) : (
        <RendersList initial={list.items} titles={titles} />
      )}
    </div>
  );
}
