import type { ComponentType } from 'react';
import type { Me } from '@/lib/api/types';

/**
 * Extra controls at the end of the header for signed-in users (the notification bell, a tenant
 * switcher...). Each is rendered with the session, before the user menu, in this order.
 */
export const HEADER_SLOTS: Array<ComponentType<{ session: Me }>> = [];

/** Links added to the user menu, between the name and "sign out". */
export interface UserMenuLink {
  href: string;
  label: { fa: string; en: string };
  adminOnly?: boolean;
}

export const USER_MENU_LINKS: UserMenuLink[] = [
  { href: '/renders', label: { fa: 'خروجی‌های من', en: 'My renders' } },
];
