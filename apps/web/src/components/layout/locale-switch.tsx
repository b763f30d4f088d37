'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useLocale, useT } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';
import { LOCALE_COOKIE, type Locale } from '@/i18n/locale';
import { api } from '@/lib/api/client';

/** Switches fa <-> en: the cookie for pages, and the profile (for emails) when signed in. */
export function LocaleSwitch({ signedIn }: { signedIn: boolean }) {
  const locale = useLocale();
  const t = useT(commonText);
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const other: Locale = locale === 'fa' ? 'en' : 'fa';
  return (
    <button
      type="button"
      className="fr-btn fr-btn-ghost fr-btn-sm"
      lang={other}
      aria-label={`${t('language')}: ${t('switchToOther')}`}
      disabled={pending}
      data-testid="locale-switch"
      onClick={() => {
        // biome-ignore lint/suspicious/noDocumentCookie: the language cookie is meant to be script-visible.
        document.cookie = `${LOCALE_COOKIE}=${other}; path=/; max-age=31536000; samesite=lax`;
        if (signedIn) api.patch('/v1/me', { locale: other }).catch(() => undefined);
        startTransition(() => router.refresh());
      }}
    >
      {t('switchToOther')}
    </button>
  );
}
