import { beforeAll, describe, expect, it } from 'vitest';
import { bundledFontFiles, fontCoverage, registerBundledFonts } from '../node/index';
import type { FontProvider } from './font-spec';

let fonts: FontProvider;
beforeAll(() => {
  fonts = registerBundledFonts();
});

describe('font coverage', () => {
  it('registers every Vazirmatn weight under its own alias', () => {
    expect(fonts.list()).toEqual(
      expect.arrayContaining([100, 400, 800, 900].map((weight) => ({ family: 'Vazirmatn', weight }))),
    );
    expect(bundledFontFiles()).toHaveLength(9);
    expect(fonts.has('Vazirmatn', 800)).toBe(true);
    expect(fonts.has('Vazirmatn', 850)).toBe(false);
  });

  it('reads glyph coverage from the cmap', () => {
    const cmap = fontCoverage(bundledFontFiles()[3]!.path);
    expect(cmap.has('پ'.codePointAt(0)!)).toBe(true);
    expect(cmap.has('A'.codePointAt(0)!)).toBe(true);
    expect(cmap.has('你'.codePointAt(0)!)).toBe(false);
  });

  it('lists the characters a font cannot draw, ignoring ZWNJ and spaces', () => {
    expect(fonts.missingCodepoints('Vazirmatn', 400, 'می‌خواهم Hello ۱۴۰۴')).toEqual([]);
    expect(fonts.missingCodepoints('Vazirmatn', 400, 'سلام 你好')).toEqual([
      '你'.codePointAt(0),
      '好'.codePointAt(0),
    ]);
    expect(fonts.missingCodepoints('NoSuchFont', 400, 'a')).toEqual(['a'.codePointAt(0)]);
  });
});
