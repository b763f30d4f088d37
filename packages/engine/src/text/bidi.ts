export type Direction = 'ltr' | 'rtl';

// Letters of right-to-left scripts (strong R/AL in the Unicode bidi algorithm). Digits are not
// letters, so Persian and Arabic-Indic digits never decide a direction, as the standard says.
const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const LETTER = /\p{L}/u;

/** The direction of the first strong (letter) character, or undefined when there is none. */
export function strongDirection(text: string): Direction | undefined {
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    return RTL_LETTER.test(ch) ? 'rtl' : 'ltr';
  }
  return undefined;
}

/** Base direction of a paragraph: its first strong character, else the locale's direction. */
export function baseDirection(text: string, fallback: Direction): Direction {
  return strongDirection(text) ?? fallback;
}

/**
 * Visual left-to-right order of the words of one line, by the bidi algorithm applied to whole words
 * (each word is drawn as one unit, so its letters stay joined and its own runs are shaped by the
 * canvas). Words without strong characters (numbers, punctuation) take the direction of their
 * neighbours when both agree, else the paragraph's.
 */
export function visualWordOrder(
  words: readonly string[],
  base: Direction,
): { order: number[]; dirs: Direction[] } {
  const strong = words.map((w) => strongDirection(w));
  const dirs: Direction[] = strong.map((d, i) => {
    if (d) return d;
    let before: Direction | undefined;
    for (let j = i - 1; j >= 0 && !before; j--) before = strong[j];
    let after: Direction | undefined;
    for (let j = i + 1; j < strong.length && !after; j++) after = strong[j];
    return before && before === after ? before : base;
  });
  // Embedding levels: base 0 (ltr) or 1 (rtl); words against the base go one level up.
  const baseLevel = base === 'rtl' ? 1 : 0;
  const levels = dirs.map((d) => (d === base ? baseLevel : baseLevel + 1));
  const order = words.map((_, i) => i);
  const maxLevel = Math.max(baseLevel, ...levels);
  // L2: from the highest level down to the lowest odd level, reverse every run at or above it.
  for (let level = maxLevel; level >= 1; level--) {
    let i = 0;
    while (i < order.length) {
      if (levels[order[i]!]! >= level) {
        let j = i;
        while (j + 1 < order.length && levels[order[j + 1]!]! >= level) j++;
        const run = order.slice(i, j + 1).reverse();
        order.splice(i, run.length, ...run);
        i = j + 1;
      } else i++;
    }
  }
  return { order, dirs };
}
