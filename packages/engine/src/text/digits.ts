import type { Digits, Locale } from '../template/template.schema';

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';

/** Whether Persian digits are used for a digits setting in a locale. */
export function usesPersianDigits(digits: Digits | undefined, locale: Locale): boolean {
  return digits === 'persian' || ((digits ?? 'auto') === 'auto' && locale === 'fa');
}

/** Latin (0-9) and Arabic-Indic (٠-٩) digits to Persian (۰-۹); every other character kept. */
export function toPersianDigits(text: string): string {
  return text.replace(/[0-9\u0660-\u0669]/g, (d) => {
    const code = d.charCodeAt(0);
    return PERSIAN[code >= 0x0660 ? code - 0x0660 : code - 48]!;
  });
}

/** Persian and Arabic-Indic digits to Latin. */
export function toLatinDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

export function applyDigits(text: string, persian: boolean): string {
  return persian ? toPersianDigits(text) : text;
}

export interface NumberFormat {
  decimals?: number;
  grouping?: boolean;
  persian: boolean;
}

/**
 * Formats a number with fixed decimals and thousands grouping. Persian uses the Persian thousands
 * separator (U+066C) and decimal separator (U+066B). Written out rather than Intl so the browser
 * and render nodes produce the same characters regardless of their ICU data.
 */
export function formatNumber(
  value: number,
  { decimals = 0, grouping = true, persian }: NumberFormat,
): string {
  const negative = value < 0;
  const fixed = Math.abs(value).toFixed(decimals);
  const [intPart = '0', frac] = fixed.split('.');
  const grouped = grouping ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, persian ? '\u066C' : ',') : intPart;
  const body = frac ? `${grouped}${persian ? '\u066B' : '.'}${frac}` : grouped;
  const signed = negative && Number(fixed) !== 0 ? `${persian ? '\u2212' : '-'}${body}` : body;
  return persian ? toPersianDigits(signed) : signed;
}
