import type { Dictionary } from './dictionary';
import { interpolate } from './format';
import type { Locale } from './locale';

export type Translate<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

/** `t(key, vars)` over one dictionary in one language. */
export function translator<K extends string>(dictionary: Dictionary<K>, locale: Locale): Translate<K> {
  const table = dictionary[locale];
  return (key, vars) => interpolate(table[key], vars, locale);
}
