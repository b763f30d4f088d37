import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const vazirmatn = dirname(require.resolve('vazirmatn/package.json'));
const fontsource = dirname(require.resolve('@fontsource/vazirmatn/package.json'));

/** Real font files from installed packages: Vazirmatn (full, Persian + Latin) and Fontsource subsets. */
export const fontFixtures = {
  vazirmatnBoldTtf: () => readFileSync(join(vazirmatn, 'fonts/ttf/Vazirmatn-Bold.ttf')),
  vazirmatnRegularTtf: () => readFileSync(join(vazirmatn, 'fonts/ttf/Vazirmatn-Regular.ttf')),
  vazirmatnExtraBoldTtf: () => readFileSync(join(vazirmatn, 'fonts/ttf/Vazirmatn-ExtraBold.ttf')),
  vazirmatnBlackWoff2: () => readFileSync(join(vazirmatn, 'fonts/webfonts/Vazirmatn-Black.woff2')),
  vazirmatnVariableTtf: () => readFileSync(join(vazirmatn, 'fonts/variable/Vazirmatn[wght].ttf')),
  /** Latin letters only (no Arabic script, no Persian digits). */
  latinSubsetWoff2: () => readFileSync(join(fontsource, 'files/vazirmatn-latin-700-normal.woff2')),
  latinSubset400Woff2: () => readFileSync(join(fontsource, 'files/vazirmatn-latin-400-normal.woff2')),
  /** Arabic script and Persian digits, no Latin letters. */
  arabicSubsetWoff2: () => readFileSync(join(fontsource, 'files/vazirmatn-arabic-400-normal.woff2')),
  /** WOFF version 1 (not accepted). */
  latinSubsetWoff: () => readFileSync(join(fontsource, 'files/vazirmatn-latin-400-normal.woff')),
};

/** A copy of an sfnt (TTF/OTF) file with OS/2 usWeightClass set to `weight`. */
export function withWeightClass(font: Buffer, weight: number): Buffer {
  const copy = Buffer.from(font);
  const numTables = copy.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    if (copy.toString('latin1', at, at + 4) === 'OS/2') {
      copy.writeUInt16BE(weight, copy.readUInt32BE(at + 8) + 4);
      return copy;
    }
  }
  throw new Error('no OS/2 table');
}
