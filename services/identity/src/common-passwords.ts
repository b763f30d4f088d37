import { readFileSync } from 'node:fs';

let cached: ReadonlySet<string> | undefined;

/** The bundled list (data/common-passwords.txt, lowercase), read once per process. */
export function commonPasswords(): ReadonlySet<string> {
  cached ??= new Set(
    readFileSync(new URL('../data/common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.length > 0),
  );
  return cached;
}
