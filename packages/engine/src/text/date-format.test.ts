import { describe, expect, it } from 'vitest';
import { formatDate, parseIsoDate } from './date-format';
import { formatNumber, toLatinDigits, toPersianDigits, usesPersianDigits } from './digits';

describe('Persian digits', () => {
  it('converts Latin and Arabic-Indic digits and nothing else', () => {
    expect(toPersianDigits('Nowruz 1404, ٢٠٢٥!')).toBe('Nowruz ۱۴۰۴, ۲۰۲۵!');
    expect(toLatinDigits('۱۴۰۴/۰۱/۰۱')).toBe('1404/01/01');
    expect(usesPersianDigits('auto', 'fa')).toBe(true);
    expect(usesPersianDigits('auto', 'en')).toBe(false);
    expect(usesPersianDigits('persian', 'en')).toBe(true);
    expect(usesPersianDigits('latin', 'fa')).toBe(false);
  });

  it('formats numbers with the Persian separators', () => {
    expect(formatNumber(1234567.891, { decimals: 2, persian: true })).toBe('۱٬۲۳۴٬۵۶۷٫۸۹');
    expect(formatNumber(1234567.891, { decimals: 2, persian: false })).toBe('1,234,567.89');
    expect(formatNumber(-42, { persian: true })).toBe('−۴۲');
    expect(formatNumber(-0.001, { persian: false })).toBe('0');
    expect(formatNumber(1000, { persian: false, grouping: false })).toBe('1000');
  });
});

describe('dates', () => {
  it('gives Jalali dates in Persian and Gregorian in English', () => {
    // Nowruz 1404 fell on 21 March 2025; Nowruz 1403 on 20 March 2024.
    expect(formatDate('2025-03-21', { locale: 'fa' })).toBe('۱ فروردین ۱۴۰۴');
    expect(formatDate('2024-03-20', { locale: 'fa' })).toBe('۱ فروردین ۱۴۰۳');
    expect(formatDate('2025-03-20', { locale: 'fa' })).toBe('۳۰ اسفند ۱۴۰۳');
    expect(formatDate('2025-03-21', { locale: 'en' })).toBe('March 21, 2025');
    expect(formatDate('2025-03-21', { locale: 'fa', style: 'short' })).toBe('۱۴۰۴/۰۱/۰۱');
    expect(formatDate('2025-03-21', { locale: 'fa', style: 'weekday' })).toBe('جمعه، ۱ فروردین ۱۴۰۴');
    expect(formatDate('2025-03-21', { locale: 'en', style: 'weekday' })).toBe('Friday, March 21, 2025');
    expect(formatDate('2025-03-21', { locale: 'en', calendar: 'jalali' })).toBe('1 Farvardin 1404');
    expect(formatDate('2025-03-21', { locale: 'fa', calendar: 'gregorian' })).toBe('۲۱ مارس ۲۰۲۵');
    expect(formatDate('2025-03-21', { locale: 'fa', persianDigits: false })).toBe('1 فروردین 1404');
  });

  it('rejects dates that do not exist', () => {
    expect(parseIsoDate('2025-02-29')).toBeUndefined();
    expect(parseIsoDate('2024-02-29')).toEqual({ y: 2024, m: 2, d: 29 });
    expect(parseIsoDate('21/03/2025')).toBeUndefined();
    expect(() => formatDate('2025-13-01', { locale: 'fa' })).toThrow(/not a date/);
  });
});
