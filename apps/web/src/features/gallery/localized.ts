import type { Locale } from '@/i18n/locale';
import type { LocalizedOrNull, Preview } from '@/lib/api/types';

/** A text of the API in the page's language, else the other one. */
export function pick(text: LocalizedOrNull | { fa: string; en: string } | undefined, locale: Locale): string {
  if (!text) return '';
  return text[locale] ?? text[locale === 'fa' ? 'en' : 'fa'] ?? '';
}

const ASPECT_ORDER = ['16:9', '1:1', '4:5', '9:16'];

/** The preview shown on a card: the first ready one in a pleasant order (landscape first). */
export function cardPreview(previews: Preview[]): Preview | undefined {
  const ready = previews.filter((p) => p.status === 'ready');
  return [...ready].sort((a, b) => ASPECT_ORDER.indexOf(a.aspect) - ASPECT_ORDER.indexOf(b.aspect))[0];
}
