import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import { STARTER_TEMPLATE } from '@/features/admin/starter-template';
import { TemplateEditor } from '@/features/admin/template-editor';
import { adminText } from '@/i18n/dictionaries/admin';
import { getLocale, getT } from '@/i18n/server';
import { requireAdmin } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: adminText[await getLocale()]['editor.newTitle'] };
}

export default async function NewTemplatePage() {
  await requireAdmin('/admin/templates/new');
  const t = await getT(adminText);
  return (
    <>
      <PageHeader title={t('editor.newTitle')} description={t('editor.lead')} />
      <TemplateEditor
        templateId={null}
        initialText={JSON.stringify(STARTER_TEMPLATE, null, 2)}
        initialValidation={null}
      />
    </>
  );
}
