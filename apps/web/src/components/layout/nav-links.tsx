'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { useT } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';
import type { NavItem } from './nav-items';

export function NavLinks({ items }: { items: NavItem[] }) {
  const t = useT(commonText);
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  if (items.length === 0) return null;
  return (
    <>
      <button
        type="button"
        className="fr-btn fr-btn-ghost fr-btn-sm fr-menu-toggle"
        aria-expanded={open}
        aria-controls="fr-main-nav"
        onClick={() => setOpen((v) => !v)}
      >
        <span aria-hidden="true">☰</span>
        <span className="fr-visually-hidden">{t('menu')}</span>
      </button>
      <nav id="fr-main-nav" className="fr-nav" data-open={open} aria-label={t('menu')}>
        {items.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={active ? 'page' : undefined}
              onClick={() => setOpen(false)}
            >
              {t(item.label)}
            </Link>
          );
        })}
      </nav>
    </>
  );
}
