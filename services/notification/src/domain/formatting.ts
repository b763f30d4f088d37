import type { Locale } from '@flatrender/contracts';
import { formatDate, formatNumber, toPersianDigits } from '@flatrender/engine';

/**
 * How values read in a message: Jalali dates and Persian digits in fa, Gregorian and Latin digits in
 * en, both in the operator's time zone. Dates and numbers come from the engine's formatters, so a
 * message and a rendered video spell them the same way.
 */
export interface Formatter {
  readonly locale: Locale;
  /** The calendar day of an instant in the configured time zone ("۲۱ اسفند ۱۴۰۳", "March 11, 2025"). */
  date(iso: string | Date): string;
  /** Day and time of day ("۲۱ اسفند ۱۴۰۳، ساعت ۱۴:۰۵", "March 11, 2025, 14:05"). */
  dateTime(iso: string | Date): string;
  number(value: number, decimals?: number): string;
  /** Rial amounts ("۱۲۰٬۰۰۰ ریال", "120,000 IRR"). */
  money(rial: number): string;
  /** Sizes in B, KB, MB, GB (powers of 1024, one decimal above KB). */
  bytes(value: number): string;
  /** A duration in seconds ("۱۲ ثانیه", "1 min 5 s"). */
  seconds(value: number): string;
  /** Digits of free text in the locale's digits. */
  digits(text: string): string;
}

function localParts(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

export function createFormatter(locale: Locale, timeZone: string): Formatter {
  const persian = locale === 'fa';
  const digits = (text: string) => (persian ? toPersianDigits(text) : text);
  const number = (value: number, decimals = 0) => formatNumber(value, { decimals, persian });
  const date = (iso: string | Date) =>
    formatDate(localParts(new Date(iso), timeZone).day, { locale, style: 'long' });
  return {
    locale,
    date,
    dateTime(iso) {
      const { time } = localParts(new Date(iso), timeZone);
      return persian ? `${date(iso)}، ساعت ${digits(time)}` : `${date(iso)}, ${time}`;
    },
    number,
    money: (rial) => (persian ? `${number(rial)} ریال` : `${number(rial)} IRR`),
    bytes(value) {
      const units = persian
        ? ['بایت', 'کیلوبایت', 'مگابایت', 'گیگابایت', 'ترابایت']
        : ['B', 'KB', 'MB', 'GB', 'TB'];
      let n = value;
      let unit = 0;
      while (n >= 1024 && unit < units.length - 1) {
        n /= 1024;
        unit++;
      }
      const decimals = unit === 0 || n >= 100 ? 0 : 1;
      return `${number(Number(n.toFixed(decimals)), decimals)} ${units[unit]}`;
    },
    seconds(value) {
      const total = Math.round(value);
      const minutes = Math.floor(total / 60);
      const rest = total % 60;
      if (persian) {
        if (minutes === 0) return `${number(rest)} ثانیه`;
        return rest === 0 ? `${number(minutes)} دقیقه` : `${number(minutes)} دقیقه و ${number(rest)} ثانیه`;
      }
      if (minutes === 0) return `${rest} s`;
      return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
    },
    digits,
  };
}
