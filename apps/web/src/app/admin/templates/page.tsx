import type { Metadata } from 'next';
import Link from 'next/link';
import { LinkButton } from '@/components/ui/button';
import { Badge, EmptyState, PageHeader } from '@/components/ui/feedback';
import styles from '@/features/account/account.module.css';
import { adminText } from '@/i18n/dictionaries/admin';
import { formatDate, formatNumber, localizeDigits } from '@/i18n/format';
import { getLocale, getT } from '@/i18n/server';
import type { Catalogue } from '@/lib/api/types';
import { requireAdmin, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: adminText[await getLocale()]['templates.title'] };
}

const TONE = { draft: 'neutral', published: 'success', unpublished: 'warning' } as const;

export default async function AdminTemplatesPage() {
  await requireAdmin('/admin/templates');
  const t = await getT(adminText);
  const locale = await getLocale();
  const catalogue = await serverGet<Catalogue>('/v1/admin/templates?limit=100&sort=newest');
  return (
    <>
      <PageHeader
        title={t('templates.title')}
        description={t('templates.lead')}
        actions={
          <LinkButton href="/admin/templates/new" variant="primary">
            {t('templates.new')}
          </LinkButton>
        }
      />
      {catalogue.items.length === 0 ? (
        <EmptyState title={t('none')} />
      ) : (
        <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
          <table className="fr-table" data-testid="admin-templates">
            <thead>
              <tr>
                <th>{t('nav.templates')}</th>
                <th>{t('farm.status')}</th>
                <th>{t('templates.version', { v: '' })}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {catalogue.items.map((item) => (
                <tr key={item.id} data-slug={item.slug}>
                  <td>
                    <Link href={`/admin/templates/${item.id}`} style={{ fontWeight: 700 }}>
                      {item.title?.[locale] ?? item.title?.fa ?? item.slug}
                    </Link>
                    <div className="fr-small fr-muted fr-ltr">{item.slug}</div>
                  </td>
                  <td>
                    <Badge tone={TONE[item.status]}>{t(`templates.status.${item.status}`)}</Badge>
                  </td>
                  <td>
                    {item.version === null ? t('templates.noVersion') : formatNumber(item.version, locale)}
                    {item.published_at ? (
                      <div className="fr-small fr-muted">{formatDate(item.published_at, locale)}</div>
                    ) : null}
                    <div className="fr-small fr-muted">
                      {item.aspects.map((a) => localizeDigits(a, locale)).join(' · ')}
                    </div>
                  </td>
                  <td>
                    <LinkButton href={`/admin/templates/${item.id}`} size="sm">
                      {t('templates.edit')}
                    </LinkButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
