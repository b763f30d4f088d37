import Link from 'next/link';
import { commonText } from '@/i18n/dictionaries/common';
import { getT } from '@/i18n/server';
import type { Me } from '@/lib/api/types';
import { HEADER_SLOTS } from './header-slots';
import { LocaleSwitch } from './locale-switch';
import { visibleNavItems } from './nav-items';
import { NavLinks } from './nav-links';
import { UserMenu } from './user-menu';

export async function AppHeader({ session }: { session: Me | null }) {
  const t = await getT(commonText);
  const items = visibleNavItems(Boolean(session), Boolean(session?.user.platform_admin));
  return (
    <header className="fr-header">
      <div className="fr-container fr-header-inner">
        <Link href="/" className="fr-logo">
          <span className="fr-logo-mark" aria-hidden="true">
            ▶
          </span>
          {t('appName')}
        </Link>
        <NavLinks items={items} />
        <div className="fr-header-end">
          <LocaleSwitch signedIn={Boolean(session)} />
          {session ? (
            <>
              {HEADER_SLOTS.map((Slot, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the slot list is static.
                <Slot key={i} session={session} />
              ))}
              <UserMenu session={session} />
            </>
          ) : (
            <>
              <Link href="/login" className="fr-btn fr-btn-ghost fr-btn-sm">
                {t('signIn')}
              </Link>
              <Link href="/register" className="fr-btn fr-btn-primary fr-btn-sm">
                {t('signUp')}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
