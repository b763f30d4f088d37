import type { Metadata } from 'next';
import { Alert, PageHeader } from '@/components/ui/feedback';
import type { Invitation, Member, Page, TenantDetails } from '@/features/account/account-types';
import { roleAtLeast } from '@/features/account/catalog';
import { TeamMembers, Workspaces } from '@/features/account/team';
import { accountText } from '@/i18n/dictionaries/account';
import { getLocale, getT } from '@/i18n/server';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: accountText[await getLocale()]['team.title'] };
}

export default async function TeamPage() {
  const session = await requireSession('/account/team');
  const t = await getT(accountText);
  const id = session.tenant.id;
  const team = session.tenant.kind === 'organization';
  const [members, invitations, tenant] = await Promise.all([
    serverGet<Page<Member>>(`/v1/tenants/${id}/members?limit=100`),
    team && roleAtLeast(session.tenant.role, 'admin')
      ? serverGet<Page<Invitation>>(`/v1/tenants/${id}/invitations?limit=100`)
      : Promise.resolve(null),
    serverGet<TenantDetails>(`/v1/tenants/${id}`),
  ]);
  const seats = typeof tenant.plan.limits.team_seats === 'number' ? tenant.plan.limits.team_seats : null;
  return (
    <>
      <PageHeader
        title={t('team.title')}
        description={
          <>
            {t('team.lead')} <strong dir="auto">{t('workspace', { name: session.tenant.name })}</strong>
          </>
        }
      />
      <div className="fr-stack">
        {!team ? <Alert tone="info">{t('team.personal')}</Alert> : null}
        <TeamMembers
          session={session}
          members={members.items}
          invitations={invitations?.items ?? null}
          seats={team ? seats : null}
        />
        <Workspaces tenants={session.tenants} currentId={id} />
      </div>
    </>
  );
}
