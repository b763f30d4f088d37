'use client';

import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/feedback';
import { useT } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const t = useT(commonText);
  return (
    <div className="fr-container fr-page">
      <EmptyState title={t('errorTitle')}>
        <p>{t('errorBody')}</p>
        <Button variant="primary" onClick={reset}>
          {t('retry')}
        </Button>
      </EmptyState>
    </div>
  );
}
