import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, PageHeader } from '@/components/ui/feedback';
import styles from '@/features/gallery/gallery.module.css';
import { GalleryFilters } from '@/features/gallery/gallery-filters';
import { TemplateCard } from '@/features/gallery/template-card';
import { galleryText } from '@/i18n/dictionaries/gallery';
import { getLocale, getT } from '@/i18n/server';
import type { Catalogue } from '@/lib/api/types';
import { remembered, requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: galleryText[await getLocale()].title };
}

const PAGE_SIZE = 24;

export default async function GalleryPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; category?: string; aspect?: string; page?: string }>;
}) {
  const session = await requireSession('/templates');
  const t = await getT(galleryText);
  const locale = await getLocale();
  const params = await searchParams;
  const page = Math.max(1, Number(params.page) || 1);
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), page: String(page), locale, sort: 'newest' });
  if (params.q) query.set('q', params.q);
  if (params.category) query.set('category', params.category);
  if (params.aspect) query.set('aspect', params.aspect);
  const [catalogue, everything] = await Promise.all([
    serverGet<Catalogue>(`/v1/templates?${query}`),
    // Categories are free text in the documents: the filter offers the ones in use (kept a minute).
    remembered(`categories:${session.tenant.id}`, 60_000, () =>
      serverGet<Catalogue>('/v1/templates?limit=100'),
    ),
  ]);
  const categories = [
    ...new Set(everything.items.map((i) => i.category).filter((c): c is string => !!c)),
  ].sort();
  const pages = Math.ceil(catalogue.total / PAGE_SIZE);
  const pageLink = (n: number) => {
    const next = new URLSearchParams(query);
    next.set('page', String(n));
    next.delete('limit');
    next.delete('locale');
    next.delete('sort');
    return `/templates?${next}`;
  };
  return (
    <div className="fr-container fr-page">
      <PageHeader title={t('title')} description={t('lead')} />
      <div className={styles.layout}>
        <GalleryFilters categories={categories} />
        <p className="fr-muted" style={{ margin: 0 }} data-testid="gallery-count">
          {t('results', { n: catalogue.total })}
        </p>
        {catalogue.items.length === 0 ? (
          <EmptyState title={t('noResults')}>
            <p>{t('noResultsHint')}</p>
          </EmptyState>
        ) : (
          <div className={styles.grid}>
            {catalogue.items.map((template) => (
              <TemplateCard key={template.id} template={template} />
            ))}
          </div>
        )}
        {pages > 1 ? (
          <nav className="fr-row" style={{ justifyContent: 'center' }} aria-label="pagination">
            {Array.from({ length: pages }, (_, i) => i + 1).map((n) => (
              <Link
                key={n}
                href={pageLink(n)}
                className={`fr-btn fr-btn-sm ${n === page ? 'fr-btn-primary' : 'fr-btn-secondary'}`}
                aria-current={n === page ? 'page' : undefined}
              >
                {new Intl.NumberFormat(locale === 'fa' ? 'fa-IR' : 'en').format(n)}
              </Link>
            ))}
          </nav>
        ) : null}
      </div>
    </div>
  );
}
