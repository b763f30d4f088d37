import styles from '@/features/account/account.module.css';
import { roleAtLeast } from '@/features/account/catalog';
import { type SectionLink, SectionNav } from '@/features/account/section-nav';
import { accountText } from '@/i18n/dictionaries/account';
import { getT } from '@/i18n/server';
import { requireSession } from '@/lib/server/api';

export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const session = await requireSession('/account');
  const t = await getT(accountText);
  const admin = roleAtLeast(session.tenant.role, 'admin');
  const items: SectionLink[] = [
    { href: '/account/projects', label: t('nav.projects') },
    { href: '/account/files', label: t('nav.files') },
    { href: '/account/plan', label: t('nav.plan') },
    ...(admin ? [{ href: '/account/payments', label: t('nav.payments') }] : []),
    ...(admin ? [{ href: '/account/api-keys', label: t('nav.apiKeys') }] : []),
    { href: '/account/webhooks', label: t('nav.webhooks') },
    { href: '/account/inbox', label: t('nav.inbox') },
    { href: '/account/notifications', label: t('nav.notifications') },
    { href: '/account/team', label: t('nav.team') },
  ];
  return (
    <div className="fr-container fr-page">
      <div className={styles.shell}>
        <SectionNav items={items} label={t('nav.label')} />
        <div className={styles.content}>{children}</div>
      </div>
    </div>
  );
}
