import type { ComponentType } from 'react';
import { NotificationBell } from '@/features/account/notification-bell';
import type { Me } from '@/lib/api/types';

/**
 * Extra controls at the end of the header for signed-in users (the notification bell, a tenant
 * switcher...). Each is rendered with the session, before the user menu, in this order.
 */
export const HEADER_SLOTS: Array<ComponentType<{ session: Me }>> = [NotificationBell];

/** Links added to the user menu, between the name and "sign out". */
export interface UserMenuLink {
  href: string;
  label: { fa: string; en: string };
  adminOnly?: boolean;
}

export const USER_MENU_LINKS: UserMenuLink[] = [
  { href: '/renders', label: { fa: 'خروجی‌های من', en: 'My renders' } },
  { href: '/account/plan', label: { fa: 'طرح و مصرف', en: 'Plan and usage' } },
  { href: '/account/files', label: { fa: 'فایل‌ها', en: 'Files' } },
  { href: '/account/team', label: { fa: 'اعضای تیم', en: 'Team' } },
  { href: '/account/notifications', label: { fa: 'تنظیمات اعلان', en: 'Notification settings' } },
  { href: '/admin', label: { fa: 'مدیریت سامانه', en: 'Platform admin' }, adminOnly: true },
];
