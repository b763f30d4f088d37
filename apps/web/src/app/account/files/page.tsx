import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { Page, StorageUsage } from '@/features/account/account-types';
import { roleAtLeast } from '@/features/account/catalog';
import { FilesManager } from '@/features/account/files-manager';
import { accountText } from '@/i18n/dictionaries/account';
import { getLocale, getT } from '@/i18n/server';
import type { FileView } from '@/lib/api/types';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: accountText[await getLocale()]['files.title'] };
}

export default async function FilesPage() {
  const session = await requireSession('/account/files');
  const t = await getT(accountText);
  const [files, usage] = await Promise.all([
    serverGet<Page<FileView>>('/v1/files?limit=30'),
    serverGet<StorageUsage>('/v1/files/usage'),
  ]);
  return (
    <>
      <PageHeader title={t('files.title')} description={t('files.lead')} />
      <FilesManager
        initialFiles={files}
        initialUsage={usage}
        canWrite={roleAtLeast(session.tenant.role, 'editor')}
      />
    </>
  );
}
