import type { commonText } from '@/i18n/dictionaries/common';
import type { KeysOf } from '@/i18n/dictionary';

/**
 * The main navigation. Add an entry here to put a page in the header (label: a key of
 * `commonText`); `audience` hides it from visitors or from non-admins (pages still guard themselves
 * server side with requireSession/requireAdmin).
 */
export interface NavItem {
  href: string;
  label: KeysOf<typeof commonText>;
  audience: 'everyone' | 'user' | 'admin';
}

export const NAV_ITEMS: NavItem[] = [
  { href: '/templates', label: 'navGallery', audience: 'user' },
  { href: '/renders', label: 'navRenders', audience: 'user' },
  { href: '/account/projects', label: 'navProjects', audience: 'user' },
  { href: '/admin', label: 'navAdmin', audience: 'admin' },
];

export function visibleNavItems(signedIn: boolean, admin: boolean): NavItem[] {
  return NAV_ITEMS.filter(
    (item) => item.audience === 'everyone' || (item.audience === 'user' && signedIn) || admin,
  );
}
