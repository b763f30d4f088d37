/**
 * Folds a project name for search, so a query finds a name however it was typed: Arabic and
 * Persian letter forms (ي/ی, ك/ک, ة/ه, أ/إ/آ/ا), Arabic-Indic and Persian digits, ZWNJ and other
 * invisible joiners, tatweel and short-vowel marks, letter case and runs of spaces.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u064A\u0649]/g, '\u06CC')
    .replace(/\u0643/g, '\u06A9')
    .replace(/\u0629/g, '\u0647')
    .replace(/[\u0623\u0625\u0622]/g, '\u0627')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u200B-\u200F\u2060\uFEFF\u0640\u064B-\u065F\u0670]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A LIKE pattern matching `folded` anywhere, with LIKE's own wildcards taken literally. */
export function containsPattern(folded: string): string {
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
