import { LinkButton } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/feedback';
import { commonText } from '@/i18n/dictionaries/common';
import { getT } from '@/i18n/server';

export default async function NotFound() {
  const t = await getT(commonText);
  return (
    <div className="fr-container fr-page">
      <EmptyState title={t('notFoundTitle')}>
        <p>{t('notFoundBody')}</p>
        <LinkButton href="/" variant="primary">
          {t('home')}
        </LinkButton>
      </EmptyState>
    </div>
  );
}
