import type { Locale } from './locale';

/**
 * A dictionary of one area of the app (common, auth, gallery, studio, renders, account, admin...).
 * The English table must have exactly the Persian table's keys: a missing translation is a type error.
 */
export type Dictionary<K extends string> = Record<Locale, Record<K, string>>;

export function defineDictionary<const K extends string>(tables: {
  fa: Record<K, string>;
  en: Record<NoInfer<K>, string>;
}): Dictionary<K> {
  return tables;
}

export type KeysOf<D> = D extends Dictionary<infer K> ? K : never;
