import { Alert } from '@/components/ui/feedback';
import { accountText } from '@/i18n/dictionaries/account';
import { getT } from '@/i18n/server';
import type { Me } from '@/lib/api/types';
import { type Role, roleAtLeast } from './catalog';

/**
 * Says, instead of the section, that the person's role is not enough for it (the API would refuse
 * with 403 insufficient_role anyway); null when the role suffices.
 */
export async function RoleNotice({ session, minimum }: { session: Me; minimum: Role }) {
  if (roleAtLeast(session.tenant.role, minimum)) return null;
  const t = await getT(accountText);
  return (
    <Alert tone="warning">
      {t('needsRole', { role: t(`role.${minimum}`), mine: t(`role.${session.tenant.role}`) })}
    </Alert>
  );
}
