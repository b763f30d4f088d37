'use client';

import { useLocale } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';
import type { Locale } from '@/i18n/locale';
import { ApiError } from '@/lib/api/errors';
import { Alert } from './feedback';

/**
 * A person-readable message for an API error: our translation of its code when we have one, else
 * the message the service wrote (services write English).
 */
export function errorMessage(error: unknown, locale: Locale): string {
  const table = commonText[locale] as Record<string, string>;
  if (error instanceof ApiError) {
    const known = table[`error.${error.code}`];
    if (known) return known;
    if (error.status === 429) return table['error.rate_limited']!;
    if (!error.message) return table.errorBody!;
    // Services write English; in Persian the detail follows our general sentence.
    return locale === 'en' ? error.message : `${table.errorBody} (${error.message})`;
  }
  if (error instanceof Error && error.name !== 'AbortError') return table.errorBody!;
  return table.errorBody!;
}

export function FormError({ error }: { error: unknown }) {
  const locale = useLocale();
  if (!error) return null;
  return <Alert tone="error">{errorMessage(error, locale)}</Alert>;
}
