'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useLocale, useT } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';
import { authCall } from '@/lib/api/client';
import type { Me } from '@/lib/api/types';
import { USER_MENU_LINKS } from './header-slots';

export function UserMenu({ session }: { session: Me }) {
  const t = useT(commonText);
  const locale = useLocale();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const initial = session.user.display_name.trim().charAt(0) || '?';
  return (
    <div className="fr-menu" ref={ref}>
      <button
        type="button"
        className="fr-btn fr-btn-ghost fr-btn-sm"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('userMenu')}
        onClick={() => setOpen((v) => !v)}
        data-testid="user-menu"
      >
        <span
          aria-hidden="true"
          style={{
            inlineSize: 28,
            blockSize: 28,
            borderRadius: '50%',
            background: 'var(--c-brand-soft)',
            color: 'var(--c-brand)',
            display: 'grid',
            placeItems: 'center',
            fontWeight: 800,
          }}
        >
          {initial}
        </span>
        <span className="fr-hide-mobile">{session.user.display_name}</span>
      </button>
      {open ? (
        <div className="fr-menu-list" role="menu">
          <div className="fr-menu-head">
            <strong>{session.user.display_name}</strong>
            <div className="fr-small fr-muted fr-ltr">{session.user.email}</div>
            <div className="fr-small fr-muted">{session.tenant.name}</div>
          </div>
          {USER_MENU_LINKS.filter((l) => !l.adminOnly || session.user.platform_admin).map((link) => (
            <Link key={link.href} href={link.href} role="menuitem" onClick={() => setOpen(false)}>
              {link.label[locale]}
            </Link>
          ))}
          <button
            type="button"
            role="menuitem"
            data-testid="sign-out"
            onClick={async () => {
              await authCall('logout').catch(() => undefined);
              setOpen(false);
              router.push('/');
              router.refresh();
            }}
          >
            {t('signOut')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
