'use client';

import { createContext, useContext, useMemo } from 'react';
import type { Dictionary } from './dictionary';
import { DEFAULT_LOCALE, type Locale } from './locale';
import { type Translate, translator } from './translate';

const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function LocaleProvider({ locale, children }: { locale: Locale; children: React.ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

/** `t` for a client component: `const t = useT(studioText)`. */
export function useT<K extends string>(dictionary: Dictionary<K>): Translate<K> {
  const locale = useLocale();
  return useMemo(() => translator(dictionary, locale), [dictionary, locale]);
}
