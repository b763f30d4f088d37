import styles from '@/features/account/account.module.css';
import { type SectionLink, SectionNav } from '@/features/account/section-nav';
import { adminText } from '@/i18n/dictionaries/admin';
import { getT } from '@/i18n/server';
import { requireAdmin } from '@/lib/server/api';

/** Platform administrators only: anyone else gets the not-found page (the API refuses them too). */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin('/admin');
  const t = await getT(adminText);
  const items: SectionLink[] = [
    { href: '/admin', label: t('nav.farm') },
    { href: '/admin/templates', label: t('nav.templates') },
    { href: '/admin/fonts', label: t('nav.fonts') },
    { href: '/admin/users', label: t('nav.users') },
    { href: '/admin/tenants', label: t('nav.tenants') },
    { href: '/admin/plans', label: t('nav.plans') },
  ];
  return (
    <div className="fr-container fr-page">
      <div className={styles.shell}>
        <SectionNav items={items} label={t('nav.label')} exact="/admin" />
        <div className={styles.content}>{children}</div>
      </div>
    </div>
  );
}
