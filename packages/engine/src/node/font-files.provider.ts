import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import * as fontkit from 'fontkit';
import { type FontProvider, fontAlias, type InstalledFont, isIgnorableCodepoint } from '../fonts/font-spec';

const WEIGHT_NAMES: Record<number, string> = {
  100: 'Thin',
  200: 'ExtraLight',
  300: 'Light',
  400: 'Regular',
  500: 'Medium',
  600: 'SemiBold',
  700: 'Bold',
  800: 'ExtraBold',
  900: 'Black',
};

export interface FontFile extends InstalledFont {
  path: string;
}

/** The fonts shipped with the engine: Vazirmatn (OFL) from the `vazirmatn` npm package, every weight. */
export function bundledFontFiles(): FontFile[] {
  const root = dirname(createRequire(import.meta.url).resolve('vazirmatn/package.json'));
  return Object.entries(WEIGHT_NAMES).map(([weight, name]) => ({
    family: 'Vazirmatn',
    weight: Number(weight),
    path: join(root, 'fonts', 'ttf', `Vazirmatn-${name}.ttf`),
  }));
}

interface Registered extends FontFile {
  covers: Set<number>;
}

// Process-wide, like @napi-rs/canvas's own font registry that it mirrors.
const registered = new Map<string, Registered>();

/** The code points a font file has glyphs for, read from its cmap with fontkit. */
export function fontCoverage(path: string): Set<number> {
  const font = fontkit.create(readFileSync(path));
  if (!('characterSet' in font)) throw new Error(`${path} is a font collection; register one face`);
  return new Set(font.characterSet);
}

/**
 * Registers a font file under its own family alias ("Family 700"). With @napi-rs/canvas, weights
 * registered under one family name make the last registered weight win for all text.
 */
export function registerFontFile(file: FontFile): void {
  const alias = fontAlias(file.family, file.weight);
  if (registered.has(alias)) return;
  if (!GlobalFonts.registerFromPath(file.path, alias)) throw new Error(`cannot register font ${file.path}`);
  registered.set(alias, { ...file, covers: fontCoverage(file.path) });
}

/** Registers the bundled Vazirmatn weights (idempotent) and returns the node's font provider. */
export function registerBundledFonts(): FontProvider {
  for (const file of bundledFontFiles()) registerFontFile(file);
  return nodeFontProvider();
}

/** Fonts registered in this process, with glyph coverage from their files. */
export function nodeFontProvider(): FontProvider {
  const find = (family: string, weight: number) => registered.get(fontAlias(family, weight));
  return {
    list: () => [...registered.values()].map(({ family, weight }) => ({ family, weight })),
    has: (family, weight) => find(family, weight) !== undefined,
    missingCodepoints(family, weight, text) {
      const font = find(family, weight);
      const missing = new Set<number>();
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (!isIgnorableCodepoint(cp) && !font?.covers.has(cp)) missing.add(cp);
      }
      return [...missing];
    },
  };
}
