/*
 * Catalogue search without trigram or full-text dictionaries: the searchable text of a template and
 * every query are folded to one spelling, then each query word must occur in the folded text.
 * Persian is typed in several ways that must find each other: Arabic ي/ى and ك against Persian ی and
 * ک (Arabic keyboard layouts), with or without the zero-width non-joiner (می‌خواهم, میخواهم,
 * می خواهم), with diacritics or tatweel, with Persian, Arabic-Indic or Latin digits.
 */

const LETTER_FOLDS: Record<string, string> = {
  '\u064A': '\u06CC', // ي Arabic yeh -> ی Farsi yeh
  '\u0649': '\u06CC', // ى alef maksura -> ی
  '\u0643': '\u06A9', // ك Arabic kaf -> ک keheh
  '\u0629': '\u0647', // ة teh marbuta -> ه
  '\u0623': '\u0627', // أ -> ا
  '\u0625': '\u0627', // إ -> ا
  '\u0671': '\u0627', // ٱ -> ا
  '\u0624': '\u0648', // ؤ -> و
};

// Harakat, superscript alef, tatweel; zero-width and bidi controls (ZWNJ included: it only shapes).
const DROPPED = /[\u064B-\u065F\u0670\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const FOLDED = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');
const PERSIAN_DIGITS = /[\u06F0-\u06F9]/g;
const ARABIC_DIGITS = /[\u0660-\u0669]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;

/** The one spelling stored and searched: lower case, folded letters and digits, single spaces. */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(DROPPED, '')
    .replace(FOLDED, (c) => LETTER_FOLDS[c] ?? c)
    .replace(PERSIAN_DIGITS, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(ARABIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(SEPARATORS, ' ')
    .trim();
}

/** The words of a query, each to be found (as a substring) in the normalised text; at most 8. */
export function searchTerms(query: string): string[] {
  const words = normalizeSearchText(query).split(' ').filter(Boolean);
  return [...new Set(words)].slice(0, 8);
}

/** A LIKE pattern matching `term` anywhere, with LIKE's wildcards escaped (escape character `\`). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
