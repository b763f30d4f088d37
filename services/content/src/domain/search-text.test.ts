import { describe, expect, it } from 'vitest';
import { containsPattern, normalizeSearchText, searchTerms } from './search-text';

describe('normalizeSearchText', () => {
  it('folds Arabic yeh and kaf to the Persian letters', () => {
    expect(normalizeSearchText('كيك')).toBe('کیک');
    expect(normalizeSearchText('كيك')).toBe(normalizeSearchText('کیک'));
    expect(normalizeSearchText('مصطفى')).toBe('مصطفی');
  });

  it('drops the zero-width non-joiner, diacritics and tatweel', () => {
    expect(normalizeSearchText('می\u200Cخواهم')).toBe('میخواهم');
    expect(normalizeSearchText('مُبارَك')).toBe('مبارک');
    expect(normalizeSearchText('تبريـــک')).toBe('تبریک');
  });

  it('reads Persian and Arabic-Indic digits as Latin digits', () => {
    expect(normalizeSearchText('نوروز ۱۴۰۴')).toBe('نوروز 1404');
    expect(normalizeSearchText('٢٠٢٥')).toBe('2025');
  });

  it('lower-cases Latin text, folds presentation forms and turns punctuation into single spaces', () => {
    expect(normalizeSearchText('  Happy—Nowruz!!  Greeting ')).toBe('happy nowruz greeting');
    expect(normalizeSearchText('\uFEFB')).toBe('لا');
    expect(normalizeSearchText('«تبریک»، نوروز')).toBe('تبریک نوروز');
  });
});

describe('searchTerms', () => {
  it('splits a query into distinct normalised words', () => {
    expect(searchTerms('تبريك  نوروز تبريك')).toEqual(['تبریک', 'نوروز']);
    expect(searchTerms('   ')).toEqual([]);
  });

  it('finds a ZWNJ spelling with or without the joiner or with a space', () => {
    const stored = normalizeSearchText('کارت می‌خواهم');
    for (const query of ['میخواهم', 'می‌خواهم', 'می خواهم']) {
      expect(searchTerms(query).every((t) => stored.includes(t))).toBe(true);
    }
  });

  it('keeps at most eight words', () => {
    expect(searchTerms('a b c d e f g h i j')).toHaveLength(8);
  });
});

describe('containsPattern', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
