import * as fontkit from 'fontkit';

/*
 * What an uploaded font file really is, read from its bytes: format by magic number, family, weight
 * and style from the OS/2 and name tables, and which scripts its cmap covers. Anything that does not
 * add up is refused with a code the uploader can act on; nothing is guessed.
 *
 * Decisions (docs/services/content.md, "Fonts"):
 * - The format is what the magic number says. A file whose name or declared type claims another
 *   font format is mislabelled and refused (a WOFF2 called .ttf is served with the wrong type).
 * - The weight is OS/2 usWeightClass (what browsers and Skia match on), rounded to the nearest 100.
 *   When the name table claims a weight word ("Bold") that maps to another weight, the file is
 *   refused: a studio showing "Bold" and a node drawing 400 would disagree. The uploader may settle
 *   it by sending `weight` explicitly; the explicit value is then recorded. Italic works the same.
 * - Variable fonts and collections are refused: the engine draws one static face per family+weight.
 */

export const SERVED_FONT_FORMATS = ['ttf', 'otf', 'woff2'] as const;
export type ServedFontFormat = (typeof SERVED_FONT_FORMATS)[number];
export type FontStyle = 'normal' | 'italic';
export type FontScript = 'arabic' | 'latin' | 'digits';

export const FONT_MIME: Record<ServedFontFormat, string> = {
  ttf: 'font/ttf',
  otf: 'font/otf',
  woff2: 'font/woff2',
};

export type FontRejection =
  | 'font_wrong_magic'
  | 'font_unsupported_format'
  | 'font_mislabelled'
  | 'font_unreadable'
  | 'font_variable'
  | 'font_weight_mismatch'
  | 'font_style_mismatch'
  | 'font_family_invalid'
  | 'font_no_supported_script';

export class FontRejectedError extends Error {
  constructor(
    readonly code: FontRejection,
    message: string,
    readonly field = 'file',
  ) {
    super(message);
  }
}

export interface FontCoverage {
  /** The Arabic letters shared by Arabic and Persian. */
  arabic: boolean;
  /** Every letter of the Persian alphabet, پ چ ژ گ ک ی included. */
  persian: boolean;
  /** ۰ to ۹. */
  persian_digits: boolean;
  /** A to Z and a to z. */
  latin: boolean;
  /** Persian letters and digits without a glyph. */
  missing_persian: string[];
}

export interface FontClaims {
  fileName?: string;
  contentType?: string;
  /** Explicit values from the uploader; they settle a conflict between OS/2 and the name table. */
  family?: string;
  weight?: number;
  style?: FontStyle;
}

export interface InspectedFont {
  format: ServedFontFormat;
  family: string;
  weight: number;
  style: FontStyle;
  scripts: FontScript[];
  coverage: FontCoverage;
  codepointRanges: [number, number][];
  postscriptName: string | null;
  fullName: string | null;
  version: string | null;
}

/** A family name templates can reference (`Family:weight` in the engine's font spec). */
export const FONT_FAMILY = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,62}$/;

type Sniffed = ServedFontFormat | 'woff' | 'collection';

/** The font format by magic number, or null when the bytes are not a font at all. */
export function sniffFontFormat(bytes: Uint8Array): Sniffed | null {
  if (bytes.length < 4) return null;
  const tag = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (tag === '\u0000\u0001\u0000\u0000' || tag === 'true') return 'ttf';
  if (tag === 'OTTO') return 'otf';
  if (tag === 'wOF2') return 'woff2';
  if (tag === 'wOFF') return 'woff';
  if (tag === 'ttcf') return 'collection';
  return null;
}

const EXTENSIONS: Record<string, Sniffed> = {
  ttf: 'ttf',
  otf: 'otf',
  woff2: 'woff2',
  woff: 'woff',
  ttc: 'collection',
  otc: 'collection',
};
const MIME_FORMATS: Record<string, Sniffed> = {
  'font/ttf': 'ttf',
  'font/sfnt': 'ttf',
  'application/x-font-ttf': 'ttf',
  'application/x-font-truetype': 'ttf',
  'font/otf': 'otf',
  'application/x-font-otf': 'otf',
  'application/x-font-opentype': 'otf',
  'font/woff2': 'woff2',
  'font/woff': 'woff',
  'application/font-woff': 'woff',
  'font/collection': 'collection',
};

/** The font format a name or media type claims, if it claims one. */
function claimedFormat(claims: FontClaims): { format: Sniffed; by: string } | undefined {
  const ext = claims.fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext && EXTENSIONS[ext]) return { format: EXTENSIONS[ext], by: `the file name "${claims.fileName}"` };
  const mime = claims.contentType?.toLowerCase().split(';')[0]?.trim();
  if (mime && MIME_FORMATS[mime]) return { format: MIME_FORMATS[mime], by: `the type "${mime}"` };
  return undefined;
}

// Longest words first so "extrabold" is not read as "bold".
const WEIGHT_WORDS: [string, number][] = [
  ['extralight', 200],
  ['ultralight', 200],
  ['extrabold', 800],
  ['ultrabold', 800],
  ['semibold', 600],
  ['demibold', 600],
  ['hairline', 100],
  ['regular', 400],
  ['medium', 500],
  ['normal', 400],
  ['black', 900],
  ['heavy', 900],
  ['light', 300],
  ['thin', 100],
  ['bold', 700],
  ['book', 400],
];

/** The weight a style name claims ("ExtraBold Italic" -> 800), if any. */
export function weightFromName(name: string): number | undefined {
  const folded = name.toLowerCase().replace(/[\s_-]+/g, '');
  for (const [word, weight] of WEIGHT_WORDS) if (folded.includes(word)) return weight;
  return undefined;
}

function italicFromName(name: string): boolean {
  return /italic|oblique/i.test(name);
}

/** Sorted code points as inclusive ranges. */
export function toRanges(codepoints: Iterable<number>): [number, number][] {
  const sorted = [...new Set(codepoints)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const cp of sorted) {
    const last = ranges.at(-1);
    if (last && cp === last[1] + 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

/** Whether `cp` lies in one of the sorted ranges (binary search). */
export function rangesCover(ranges: readonly (readonly [number, number])[], cp: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid]!;
    if (cp < first) hi = mid - 1;
    else if (cp > last) lo = mid + 1;
    else return true;
  }
  return false;
}

const ARABIC_BASE = 'ابتثجحخدذرزسشصضطظعغفقلمنهو';
const PERSIAN_EXTRA = 'آپچژکگی';
const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const LATIN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function fontCoverage(has: (cp: number) => boolean): FontCoverage {
  const missing = (chars: string) => [...chars].filter((c) => !has(c.codePointAt(0)!));
  const arabicMissing = missing(ARABIC_BASE);
  const persianMissing = [...arabicMissing, ...missing(PERSIAN_EXTRA)];
  const digitsMissing = missing(PERSIAN_DIGITS);
  return {
    // Either kaf and either yeh: an Arabic font has ك ي where a Persian one has ک ی.
    arabic: arabicMissing.length === 0 && (has(0x06a9) || has(0x0643)) && (has(0x06cc) || has(0x064a)),
    persian: persianMissing.length === 0,
    persian_digits: digitsMissing.length === 0,
    latin: missing(LATIN).length === 0,
    missing_persian: [...persianMissing, ...digitsMissing],
  };
}

export function scriptsOf(coverage: FontCoverage): FontScript[] {
  const scripts: FontScript[] = [];
  if (coverage.arabic) scripts.push('arabic');
  if (coverage.latin) scripts.push('latin');
  if (coverage.persian_digits) scripts.push('digits');
  return scripts;
}

const REQUIRED_TABLES = ['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2'];

/** The sfnt table directory must lie inside the file: a truncated upload fails here, not on a node. */
function checkTableBounds(bytes: Buffer): void {
  const numTables = bytes.readUInt16BE(4);
  if (12 + numTables * 16 > bytes.length) throw new Error('the table directory is cut off');
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    const tag = bytes.toString('latin1', at, at + 4);
    const offset = bytes.readUInt32BE(at + 8);
    const length = bytes.readUInt32BE(at + 12);
    if (offset + length > bytes.length)
      throw new Error(`table "${tag.trim()}" lies beyond the end of the file`);
  }
}

interface FontkitFace {
  familyName: string | null;
  subfamilyName: string | null;
  fullName: string | null;
  postscriptName: string | null;
  version: string | null;
  characterSet: number[];
  italicAngle: number;
  directory: { tables: Record<string, unknown> };
  name: { records: Record<string, Record<string, string> | undefined> };
  'OS/2': { usWeightClass: number; fsSelection: { italic: boolean; oblique: boolean } };
  head: { macStyle: { italic: boolean } };
  glyphForCodePoint(cp: number): { path: { commands: unknown[] } };
}

function nameRecord(face: FontkitFace, key: string): string | undefined {
  const record = face.name?.records?.[key];
  if (!record) return undefined;
  const value = record.en ?? Object.values(record)[0];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function parse(bytes: Buffer, format: ServedFontFormat): FontkitFace {
  if (format !== 'woff2') checkTableBounds(bytes);
  const created = fontkit.create(bytes) as unknown as FontkitFace & { fonts?: unknown };
  if (created.fonts) throw new Error('a font collection');
  const tables = Object.keys(created.directory?.tables ?? {});
  const absent = REQUIRED_TABLES.filter((t) => !tables.includes(t));
  if (!tables.includes('glyf') && !tables.includes('CFF ') && !tables.includes('CFF2'))
    absent.push('glyf or CFF');
  if (absent.length) throw new Error(`missing table${absent.length > 1 ? 's' : ''} ${absent.join(', ')}`);
  // Touch what serving and drawing read, so a damaged file fails now.
  if (created.characterSet.length === 0) throw new Error('its character map is empty');
  const probe = created.characterSet.find((cp) => cp > 0x20) ?? created.characterSet[0]!;
  void created.glyphForCodePoint(probe).path.commands.length;
  void created['OS/2'].usWeightClass;
  return created;
}

/** Reads and checks a font file; throws FontRejectedError naming what is wrong. */
export function inspectFont(bytes: Buffer, claims: FontClaims = {}): InspectedFont {
  const sniffed = sniffFontFormat(bytes);
  if (sniffed === null)
    throw new FontRejectedError(
      'font_wrong_magic',
      'file is not a font: it does not start with a TrueType, OpenType or WOFF2 signature',
    );
  if (sniffed === 'woff' || sniffed === 'collection')
    throw new FontRejectedError(
      'font_unsupported_format',
      `file is a ${sniffed === 'woff' ? 'WOFF (version 1)' : 'font collection'}; upload TTF, OTF or WOFF2`,
    );
  const claimed = claimedFormat(claims);
  if (claimed && claimed.format !== sniffed)
    throw new FontRejectedError(
      'font_mislabelled',
      `file is ${sniffed.toUpperCase()} but ${claimed.by} says ${claimed.format.toUpperCase()}`,
    );

  let face: FontkitFace;
  try {
    face = parse(bytes, sniffed);
  } catch (error) {
    throw new FontRejectedError(
      'font_unreadable',
      `file cannot be read as a font: ${(error as Error).message}`,
    );
  }
  if ('fvar' in face.directory.tables)
    throw new FontRejectedError(
      'font_variable',
      'file is a variable font; upload its static instances (one file per weight)',
    );

  const fullName = nameRecord(face, 'fullName') ?? null;
  const nameFamily =
    nameRecord(face, 'preferredFamily') ?? stripStyleWords(nameRecord(face, 'fontFamily') ?? '');
  const family = (claims.family ?? nameFamily).trim();
  if (!FONT_FAMILY.test(family))
    throw new FontRejectedError(
      'font_family_invalid',
      `family: "${family}" cannot be referenced by templates (Latin letters, digits, space, "_" and "-", at most 63); send "family"`,
      'family',
    );

  // The style part of the names: the typographic subfamily, else the full name after the family
  // ("Vazirmatn ExtraBold" -> "ExtraBold"), else the legacy subfamily (often just "Regular").
  const subfamily = nameRecord(face, 'fontSubfamily');
  const afterFamily =
    fullName && nameFamily && fullName.startsWith(nameFamily) ? fullName.slice(nameFamily.length).trim() : '';
  const styleName = nameRecord(face, 'preferredSubfamily') ?? (afterFamily || subfamily) ?? '';

  const os2Weight = Math.min(900, Math.max(100, Math.round((face['OS/2'].usWeightClass || 400) / 100) * 100));
  const namedWeight = weightFromName(styleName);
  let weight = os2Weight;
  if (claims.weight !== undefined) weight = claims.weight;
  else if (namedWeight !== undefined && namedWeight !== os2Weight)
    throw new FontRejectedError(
      'font_weight_mismatch',
      `weight: the name table says "${styleName}" (${namedWeight}) but OS/2 usWeightClass is ${face['OS/2'].usWeightClass}; send "weight" to say which is right`,
      'weight',
    );

  const flaggedItalic =
    face['OS/2'].fsSelection.italic || face['OS/2'].fsSelection.oblique || face.head.macStyle.italic;
  const namedItalic = italicFromName(styleName) || (subfamily !== undefined && italicFromName(subfamily));
  let style: FontStyle = flaggedItalic ? 'italic' : 'normal';
  if (claims.style !== undefined) style = claims.style;
  else if (namedItalic !== flaggedItalic)
    throw new FontRejectedError(
      'font_style_mismatch',
      `style: the name table says "${styleName}" but the italic flags say ${flaggedItalic ? 'italic' : 'upright'}; send "style" to say which is right`,
      'style',
    );

  const codepointRanges = toRanges(face.characterSet);
  const coverage = fontCoverage((cp) => rangesCover(codepointRanges, cp));
  const scripts = scriptsOf(coverage);
  if (scripts.length === 0)
    throw new FontRejectedError(
      'font_no_supported_script',
      'file covers neither the Arabic script, nor Latin letters, nor Persian digits',
    );

  return {
    format: sniffed,
    family,
    weight,
    style,
    scripts,
    coverage,
    codepointRanges,
    postscriptName: nameRecord(face, 'postscriptName') ?? null,
    fullName,
    version: nameRecord(face, 'version') ?? null,
  };
}

/** "Vazirmatn ExtraBold" -> "Vazirmatn": legacy family names carry the style when no typographic family is given. */
function stripStyleWords(family: string): string {
  const words = family.split(/\s+/);
  while (words.length > 1) {
    const last = words.at(-1)!;
    if (weightFromName(last) === undefined && !italicFromName(last)) break;
    words.pop();
  }
  return words.join(' ');
}
