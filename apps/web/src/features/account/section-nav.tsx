'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import styles from './account.module.css';

export interface SectionLink {
  href: string;
  label: string;
}

/**
 * The side navigation of a console area (account, admin): a column beside the page on wide screens,
 * a row of tabs that scrolls sideways on narrow ones.
 */
export function SectionNav({
  items,
  label,
  exact,
}: {
  items: SectionLink[];
  label: string;
  /** A link that is active on its own path only (the area's home). */
  exact?: string;
}) {
  const pathname = usePathname();
  const active = items
    .filter((item) => pathname === item.href || (item.href !== exact && pathname.startsWith(`${item.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <nav className={styles.nav} aria-label={label}>
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={item === active ? 'page' : undefined}
          className={styles.navLink}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
