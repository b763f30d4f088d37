import { beforeAll, describe, expect, it } from 'vitest';
import { parseFontSpec } from '../fonts/font-spec';
import { canvasContext, createCanvas, registerBundledFonts } from '../node/index';
import type { TextMeasurer } from '../render/canvas.types';
import { fitText, paragraphs, type TextSpec } from './text-layout';

let m: TextMeasurer;
const font = parseFontSpec('Vazirmatn:800');
const spec = (over: Partial<TextSpec>): TextSpec => ({
  text: '',
  font,
  maxSize: 100,
  minSize: 20,
  width: 800,
  height: 400,
  maxLines: 3,
  lineHeight: 1.3,
  layoutDirection: 'rtl',
  ...over,
});

beforeAll(() => {
  registerBundledFonts();
  m = canvasContext(createCanvas(1, 1));
});

describe('paragraphs', () => {
  it('breaks only at spaces, keeping ZWNJ and no-break spaces inside words', () => {
    expect(paragraphs('می‌خواهم  یک\u00a0ویدیو', false)).toEqual([['می‌خواهم', 'یک\u00a0ویدیو']]);
    expect(paragraphs('سطر اول\nسطر دوم', true)).toEqual([
      ['سطر', 'اول'],
      ['سطر', 'دوم'],
    ]);
    expect(paragraphs('a\nb', false)).toEqual([['a', 'b']]);
  });
});

describe('fitText', () => {
  it('keeps the largest size when the text fits on one line', () => {
    const f = fitText(m, spec({ text: 'سلام' }));
    expect(f.fits).toBe(true);
    expect(f.size).toBe(100);
    expect(f.lines).toHaveLength(1);
    expect(f.dir).toBe('rtl');
  });

  it('wraps before shrinking, and shrinks when wrapping is not enough', () => {
    const text = 'ایده‌ها را سریع به ویدیو تبدیل کن';
    const wrapped = fitText(m, spec({ text, width: 700 }));
    expect(wrapped.fits).toBe(true);
    expect(wrapped.size).toBe(100);
    expect(wrapped.lines.length).toBeGreaterThan(1);
    const oneLine = fitText(m, spec({ text, width: 700, maxLines: 1 }));
    expect(oneLine.fits).toBe(true);
    expect(oneLine.size).toBeLessThan(100);
    expect(oneLine.size).toBeGreaterThanOrEqual(20);
    expect(oneLine.lines).toHaveLength(1);
    expect(oneLine.width).toBeLessThanOrEqual(700);
  });

  it('never splits a word and reports a text that cannot fit at the minimum size', () => {
    const f = fitText(
      m,
      spec({ text: 'بسیاربسیاربسیارطولانی‌ترین‌واژه‌ای‌که‌جا‌نمی‌شود', width: 300, minSize: 40 }),
    );
    expect(f.fits).toBe(false);
    expect(f.size).toBe(40);
    expect(f.lines.every((l) => l.words.length === 1)).toBe(true);
  });

  it('keeps ZWNJ inside words and every character of the text', () => {
    const text = 'می‌خواهم کتاب‌ها را بخوانم';
    const f = fitText(m, spec({ text, width: 260 }));
    const words = f.lines.flatMap((l) => l.words.map((w) => w.text));
    expect(words).toContain('می‌خواهم');
    expect(words).toContain('کتاب‌ها');
    expect(f.lines.map((l) => l.text).join(' ')).toBe(text);
    // Reading-order indexes let per-word animation stagger words in the order they are read.
    expect(f.lines.flatMap((l) => l.words.map((w) => w.index))).toEqual([0, 1, 2, 3]);
  });

  it('balances title lines', () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    const greedy = fitText(m, spec({ text, width: 1500, layoutDirection: 'ltr' }));
    const even = fitText(m, spec({ text, width: 1500, balance: true, layoutDirection: 'ltr' }));
    expect(even.lines).toHaveLength(greedy.lines.length);
    const spread = (f: typeof even) =>
      Math.max(...f.lines.map((l) => l.width)) - Math.min(...f.lines.map((l) => l.width));
    expect(spread(even)).toBeLessThan(spread(greedy));
  });

  it('places mixed Persian and English words in bidi order', () => {
    const f = fitText(m, spec({ text: 'من با FlatRender کار می‌کنم', width: 2000 }));
    const line = f.lines[0]!;
    const x = (w: string) => line.words.find((word) => word.text === w)!.x;
    // Right to left: "من" is rightmost, the English word sits between "با" and "کار".
    expect(x('من')).toBeGreaterThan(x('با'));
    expect(x('با')).toBeGreaterThan(x('FlatRender'));
    expect(x('FlatRender')).toBeGreaterThan(x('کار'));
    expect(x('کار')).toBeGreaterThan(x('می‌کنم'));
    expect(line.words.find((w) => w.text === 'FlatRender')!.dir).toBe('ltr');
  });
});
