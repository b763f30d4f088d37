import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import { roleAtLeast } from '@/features/account/catalog';
import { ProjectsList } from '@/features/account/projects-list';
import { accountText } from '@/i18n/dictionaries/account';
import { getLocale, getT } from '@/i18n/server';
import type { ProjectPage } from '@/lib/api/types';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: accountText[await getLocale()]['projects.title'] };
}

export default async function ProjectsPage() {
  const session = await requireSession('/account/projects');
  const t = await getT(accountText);
  const page = await serverGet<ProjectPage>('/v1/projects?limit=24');
  return (
    <>
      <PageHeader title={t('projects.title')} description={t('projects.lead')} />
      <ProjectsList initial={page} canEdit={roleAtLeast(session.tenant.role, 'editor')} />
    </>
  );
}
