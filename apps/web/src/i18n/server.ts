import { cookies } from 'next/headers';
import { cache } from 'react';
import type { Dictionary } from './dictionary';
import { LOCALE_COOKIE, type Locale, localeOrDefault } from './locale';
import { type Translate, translator } from './translate';

/** The request's language: the cookie the language switch sets, else Persian. */
export const getLocale = cache(async (): Promise<Locale> => {
  const store = await cookies();
  return localeOrDefault(store.get(LOCALE_COOKIE)?.value);
});

/** `t` for a server component: `const t = await getT(galleryText)`. */
export async function getT<K extends string>(dictionary: Dictionary<K>): Promise<Translate<K>> {
  return translator(dictionary, await getLocale());
}
