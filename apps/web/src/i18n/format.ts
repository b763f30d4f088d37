import { intlLocale, type Locale } from './locale';

/*
 * Numbers, dates, sizes and durations for people: Persian digits and the Jalali calendar in fa
 * (both from the platform's ICU data), Latin digits and the Gregorian calendar in en.
 */

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

/** Replaces Latin digits in a string with Persian ones in fa; other text is kept as is. */
export function localizeDigits(text: string, locale: Locale): string {
  if (locale !== 'fa') return text;
  return text.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]!);
}

/** Persian or Arabic-Indic digits back to Latin ones (what inputs send to the API). */
export function latinDigits(text: string): string {
  return text
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

export function formatNumber(value: number, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(intlLocale(locale), options).format(value);
}

export function formatPercent(fraction: number, locale: Locale): string {
  return formatNumber(fraction, locale, { style: 'percent', maximumFractionDigits: 0 });
}

export function formatDate(
  value: string | Date,
  locale: Locale,
  style: 'date' | 'datetime' | 'time' = 'date',
): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  const options: Intl.DateTimeFormatOptions =
    style === 'time'
      ? { hour: '2-digit', minute: '2-digit' }
      : style === 'datetime'
        ? { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }
        : { year: 'numeric', month: 'long', day: 'numeric' };
  return new Intl.DateTimeFormat(intlLocale(locale), options).format(date);
}

const BYTE_UNITS = { fa: ['بایت', 'کیلوبایت', 'مگابایت', 'گیگابایت'], en: ['B', 'KB', 'MB', 'GB'] };

export function formatBytes(bytes: number, locale: Locale): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${formatNumber(value, locale, { maximumFractionDigits: digits })} ${BYTE_UNITS[locale][unit]}`;
}

/** Seconds as m:ss (or h:mm:ss), with the locale's digits. */
export function formatClock(seconds: number, locale: Locale, tenths = false): string {
  const safe = Math.max(0, seconds);
  const h = Math.floor(safe / 3600);
  const m = Math.floor((safe % 3600) / 60);
  const s = safe % 60;
  const sec = tenths ? s.toFixed(1).padStart(4, '0') : String(Math.floor(s)).padStart(2, '0');
  const text = h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
  return localizeDigits(text, locale);
}

/** A rough duration in words: "3 minutes", "۴۵ ثانیه". */
export function formatDuration(seconds: number, locale: Locale): string {
  const unit: Intl.NumberFormatOptions['unit'] = seconds >= 90 ? 'minute' : 'second';
  const value = seconds >= 90 ? Math.round(seconds / 60) : Math.max(1, Math.round(seconds));
  return formatNumber(value, locale, { style: 'unit', unit, unitDisplay: 'long' });
}

/** Amounts are kept in rial; people read toman in fa (1 toman = 10 rial) and rial in en. */
export function formatMoney(rial: number, locale: Locale): string {
  return locale === 'fa'
    ? `${formatNumber(Math.round(rial / 10), locale)} تومان`
    : `${formatNumber(rial, locale)} IRR`;
}

/** Replaces `{name}` placeholders; numbers are formatted for the locale. */
export function interpolate(
  text: string,
  vars: Record<string, string | number> | undefined,
  locale: Locale,
): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, locale) : value;
  });
}
