/** The languages of the web app. Persian is the default and is written right to left. */
export const LOCALES = ['fa', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fa';

/** The chosen language lives in this cookie (readable by scripts: it is not a secret). */
export const LOCALE_COOKIE = 'fr_locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function localeOrDefault(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

export function directionOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'fa' ? 'rtl' : 'ltr';
}

/** BCP 47 tag for Intl: Persian with the Persian (Jalali) calendar and Persian digits. */
export function intlLocale(locale: Locale): string {
  return locale === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-GB';
}
