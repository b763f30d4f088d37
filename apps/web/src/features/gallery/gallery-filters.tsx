'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { useLocale, useT } from '@/i18n/client';
import { CATEGORY_NAMES, galleryText } from '@/i18n/dictionaries/gallery';
import styles from './gallery.module.css';

const ASPECTS = ['16:9', '9:16', '1:1', '4:5'] as const;

/** Search (fa or en, debounced), category and aspect: all kept in the URL so results can be shared. */
export function GalleryFilters({ categories }: { categories: string[] }) {
  const t = useT(galleryText);
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(params.get('q') ?? '');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const apply = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete('page');
    const qs = next.toString();
    startTransition(() => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  };

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <search className={styles.filters} aria-busy={pending || undefined}>
      <TextField
        label={t('search')}
        type="search"
        dir="auto"
        placeholder={t('searchPlaceholder')}
        value={q}
        data-testid="gallery-search"
        onChange={(event) => {
          const value = event.target.value;
          setQ(value);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => apply({ q: value.trim() }), 300);
        }}
      />
      <SelectField
        label={t('category')}
        value={params.get('category') ?? ''}
        onChange={(event) => apply({ category: event.target.value })}
        options={[
          { value: '', label: t('allCategories') },
          ...categories.map((c) => ({ value: c, label: CATEGORY_NAMES[c]?.[locale] ?? c })),
        ]}
      />
      <SelectField
        label={t('aspect')}
        value={params.get('aspect') ?? ''}
        onChange={(event) => apply({ aspect: event.target.value })}
        options={[
          { value: '', label: t('allAspects') },
          ...ASPECTS.map((a) => ({ value: a, label: t(`aspect.${a}`) })),
        ]}
      />
      <Button
        variant="ghost"
        onClick={() => {
          setQ('');
          apply({ q: '', category: '', aspect: '' });
        }}
      >
        {t('clearFilters')}
      </Button>
    </search>
  );
}
