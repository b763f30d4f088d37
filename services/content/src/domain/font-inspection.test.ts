import { describe, expect, it } from 'vitest';
import { fontFixtures, withWeightClass } from '../../test/font-fixtures';
import {
  FontRejectedError,
  inspectFont,
  rangesCover,
  sniffFontFormat,
  toRanges,
  weightFromName,
} from './font-inspection';

function rejection(run: () => unknown): FontRejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof FontRejectedError) return error;
    throw error;
  }
  throw new Error('expected the font to be refused');
}

describe('inspectFont', () => {
  it('reads a Vazirmatn TTF: family, weight, style and full Persian coverage', () => {
    const font = inspectFont(fontFixtures.vazirmatnBoldTtf(), { fileName: 'Vazirmatn-Bold.ttf' });
    expect(font).toMatchObject({
      format: 'ttf',
      family: 'Vazirmatn',
      weight: 700,
      style: 'normal',
      scripts: ['arabic', 'latin', 'digits'],
      postscriptName: 'Vazirmatn-Bold',
    });
    expect(font.coverage).toEqual({
      arabic: true,
      persian: true,
      persian_digits: true,
      latin: true,
      missing_persian: [],
    });
    expect(rangesCover(font.codepointRanges, 'گ'.codePointAt(0)!)).toBe(true);
    expect(rangesCover(font.codepointRanges, 0x4e00)).toBe(false);
  });

  it('reads WOFF2 and reports a Latin-only subset as Latin without Persian', () => {
    const black = inspectFont(fontFixtures.vazirmatnBlackWoff2(), { contentType: 'font/woff2' });
    expect(black).toMatchObject({ format: 'woff2', family: 'Vazirmatn', weight: 900 });
    const latin = inspectFont(fontFixtures.latinSubsetWoff2());
    expect(latin.scripts).toEqual(['latin']);
    expect(latin.coverage.persian).toBe(false);
    expect(latin.coverage.missing_persian).toEqual(expect.arrayContaining(['پ', 'چ', 'ژ', 'گ', '۴']));
  });

  it('reports an Arabic-script subset as Arabic with Persian letters and digits but no Latin', () => {
    const arabic = inspectFont(fontFixtures.arabicSubsetWoff2());
    expect(arabic.scripts).toEqual(['arabic', 'digits']);
    expect(arabic.coverage).toMatchObject({ persian: true, latin: false });
  });

  it('refuses bytes that are not a font, WOFF 1 and a mislabelled file', () => {
    expect(rejection(() => inspectFont(Buffer.from('%PDF-1.7 not a font'))).code).toBe('font_wrong_magic');
    expect(rejection(() => inspectFont(fontFixtures.latinSubsetWoff())).code).toBe('font_unsupported_format');
    const mislabelled = rejection(() =>
      inspectFont(fontFixtures.vazirmatnBlackWoff2(), { fileName: 'Vazirmatn-Black.ttf' }),
    );
    expect(mislabelled.code).toBe('font_mislabelled');
    expect(mislabelled.message).toContain('WOFF2');
  });

  it('refuses a truncated file whose tables lie beyond its end', () => {
    const whole = fontFixtures.vazirmatnBoldTtf();
    for (const size of [12, 300, 40_000]) {
      expect(rejection(() => inspectFont(whole.subarray(0, size))).code).toBe('font_unreadable');
    }
  });

  it('refuses a variable font', () => {
    expect(rejection(() => inspectFont(fontFixtures.vazirmatnVariableTtf())).code).toBe('font_variable');
  });

  it('refuses a face named Bold whose OS/2 weight is 400, unless the weight is given explicitly', () => {
    const lying = withWeightClass(fontFixtures.vazirmatnBoldTtf(), 400);
    const refused = rejection(() => inspectFont(lying));
    expect(refused).toMatchObject({ code: 'font_weight_mismatch', field: 'weight' });
    expect(refused.message).toContain('"Bold" (700)');
    expect(refused.message).toContain('usWeightClass is 400');
    expect(inspectFont(lying, { weight: 700 }).weight).toBe(700);
  });

  it('rounds an OS/2 weight between hundreds and takes an explicit family', () => {
    const odd = withWeightClass(fontFixtures.vazirmatnRegularTtf(), 420);
    expect(inspectFont(odd).weight).toBe(400);
    expect(inspectFont(odd, { family: 'Brand Sans' }).family).toBe('Brand Sans');
  });
});

describe('helpers', () => {
  it('sniffs formats by magic number', () => {
    expect(sniffFontFormat(Buffer.from([0, 1, 0, 0, 9]))).toBe('ttf');
    expect(sniffFontFormat(Buffer.from('OTTO...'))).toBe('otf');
    expect(sniffFontFormat(Buffer.from('wOF2...'))).toBe('woff2');
    expect(sniffFontFormat(Buffer.from('ttcf...'))).toBe('collection');
    expect(sniffFontFormat(Buffer.from('GIF8'))).toBeNull();
  });

  it('reads weights from style names, longest word first', () => {
    expect(weightFromName('ExtraBold Italic')).toBe(800);
    expect(weightFromName('Semi Bold')).toBe(600);
    expect(weightFromName('Bold')).toBe(700);
    expect(weightFromName('Italic')).toBeUndefined();
  });

  it('builds and searches code point ranges', () => {
    const ranges = toRanges([5, 1, 2, 3, 10, 11, 3]);
    expect(ranges).toEqual([
      [1, 3],
      [5, 5],
      [10, 11],
    ]);
    expect([0, 1, 4, 5, 11, 12].map((cp) => rangesCover(ranges, cp))).toEqual([
      false,
      true,
      false,
      true,
      true,
      false,
    ]);
  });
});
