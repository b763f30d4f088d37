import { describe, expect, it } from 'vitest';
import { defineDictionary } from './dictionary';
import {
  formatBytes,
  formatClock,
  formatDate,
  formatMoney,
  formatNumber,
  latinDigits,
  localizeDigits,
} from './format';
import { translator } from './translate';

describe('formatting for people', () => {
  it('writes Persian digits in fa and Latin ones in en', () => {
    expect(formatNumber(1404, 'fa', { useGrouping: false })).toBe('۱۴۰۴');
    expect(formatNumber(1404, 'en', { useGrouping: false })).toBe('1404');
    expect(localizeDigits('16:9', 'fa')).toBe('۱۶:۹');
    expect(localizeDigits('16:9', 'en')).toBe('16:9');
    expect(latinDigits('۱۲٫۵ و ٣')).toBe('12٫5 و 3');
  });

  it('dates in the Jalali calendar in fa and the Gregorian one in en', () => {
    const nowruz = new Date('2025-03-21T12:00:00Z');
    expect(formatDate(nowruz, 'fa')).toBe('۱ فروردین ۱۴۰۴');
    expect(formatDate(nowruz, 'en')).toBe('21 March 2025');
  });

  it('sizes, clocks and money', () => {
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024, 'fa')).toBe('۵ مگابایت');
    expect(formatClock(75.25, 'en', true)).toBe('1:15.3');
    expect(formatClock(75, 'fa')).toBe('۱:۱۵');
    expect(formatMoney(250_000, 'fa')).toBe('۲۵٬۰۰۰ تومان');
    expect(formatMoney(250_000, 'en')).toBe('250,000 IRR');
  });

  it('fills placeholders with locale digits', () => {
    const text = defineDictionary({ fa: { n: '{n} قالب از {who}' }, en: { n: '{n} templates by {who}' } });
    expect(translator(text, 'fa')('n', { n: 12, who: 'Sara' })).toBe('۱۲ قالب از Sara');
    expect(translator(text, 'en')('n', { n: 12, who: 'Sara' })).toBe('12 templates by Sara');
  });
});
