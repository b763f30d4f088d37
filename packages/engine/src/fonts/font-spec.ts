/** A concrete font: family and weight, and the family alias it is registered under. */
export interface FontFace {
  family: string;
  weight: number;
  /**
   * Every weight is registered under its own family name ("Vazirmatn 800"): with @napi-rs/canvas,
   * weights registered under one family make the last one win for all text. Browsers load the
   * same files under the same aliases (FontFace("Vazirmatn 800", url)), so both draw alike.
   */
  alias: string;
}

export function parseFontSpec(spec: string): FontFace {
  const i = spec.lastIndexOf(':');
  const family = spec.slice(0, i).trim();
  const weight = Number(spec.slice(i + 1));
  return { family, weight, alias: fontAlias(family, weight) };
}

export function fontAlias(family: string, weight: number): string {
  return `${family} ${weight}`;
}

export function fontSpec(face: Pick<FontFace, 'family' | 'weight'>): string {
  return `${face.family}:${face.weight}`;
}

/** CSS font shorthand for a canvas. Sizes are rounded to 1/100 px so layouts are reproducible. */
export function cssFont(face: FontFace, sizePx: number): string {
  return `${Math.round(sizePx * 100) / 100}px "${face.alias}"`;
}

export interface InstalledFont {
  family: string;
  weight: number;
}

/**
 * What fonts exist where the text will be drawn, and which characters they cover. The node
 * implementation reads the font files' cmap tables (node/fonts.node.ts); the studio supplies one
 * backed by the same files.
 */
export interface FontProvider {
  list(): InstalledFont[];
  has(family: string, weight: number): boolean;
  /** Code points of `text` the font has no glyph for (ignorables such as ZWNJ excluded). */
  missingCodepoints(family: string, weight: number, text: string): number[];
}

// Characters a renderer never needs a glyph for: controls, whitespace, ZWNJ/ZWJ, bidi marks,
// variation selectors.
const IGNORABLE_RANGES: ReadonlyArray<[number, number]> = [
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x2069],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];
const CONTROL_OR_SPACE = /[\p{Cc}\p{White_Space}]/u;

export function isIgnorableCodepoint(cp: number): boolean {
  if (IGNORABLE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi)) return true;
  return CONTROL_OR_SPACE.test(String.fromCodePoint(cp));
}

/** A FontProvider over known coverage sets (used by tests and by clients that precomputed coverage). */
export function coverageFontProvider(
  fonts: Array<InstalledFont & { covers: (cp: number) => boolean }>,
): FontProvider {
  const find = (family: string, weight: number) =>
    fonts.find((f) => f.family === family && f.weight === weight);
  return {
    list: () => fonts.map(({ family, weight }) => ({ family, weight })),
    has: (family, weight) => find(family, weight) !== undefined,
    missingCodepoints(family, weight, text) {
      const font = find(family, weight);
      const missing = new Set<number>();
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (isIgnorableCodepoint(cp)) continue;
        if (!font?.covers(cp)) missing.add(cp);
      }
      return [...missing];
    },
  };
}
