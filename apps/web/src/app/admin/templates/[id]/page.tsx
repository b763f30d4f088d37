import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LinkButton } from '@/components/ui/button';
import { Badge, PageHeader } from '@/components/ui/feedback';
import { TemplateEditor, type Validation } from '@/features/admin/template-editor';
import { adminText } from '@/i18n/dictionaries/admin';
import { commonText } from '@/i18n/dictionaries/common';
import { formatNumber } from '@/i18n/format';
import { getLocale, getT } from '@/i18n/server';
import { ApiError } from '@/lib/api/errors';
import { requireAdmin, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: adminText[await getLocale()]['editor.title'] };
}

interface Draft {
  id: string;
  slug: string;
  status: 'draft' | 'published' | 'unpublished';
  document: Record<string, unknown>;
  validation: Validation;
}

interface Detail {
  id: string;
  slug: string;
  status: 'draft' | 'published' | 'unpublished';
  current: { version: number } | null;
  draft: { has_unpublished_changes: boolean } | null;
}

export default async function EditTemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/templates/${id}`);
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const t = await getT(adminText);
  const common = await getT(commonText);
  const locale = await getLocale();
  let detail: Detail;
  let draft: Draft;
  try {
    [detail, draft] = await Promise.all([
      serverGet<Detail>(`/v1/admin/templates/${id}`),
      serverGet<Draft>(`/v1/admin/templates/${id}/draft`),
    ]);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) notFound();
    throw error;
  }
  return (
    <>
      <PageHeader
        title={
          <>
            {t('editor.title')} <span className="fr-ltr">{detail.slug}</span>
          </>
        }
        description={
          <span className="fr-row" style={{ gap: 6 }}>
            <Badge>{t(`templates.status.${detail.status}`)}</Badge>
            {detail.current ? (
              <Badge tone="success">
                {t('templates.version', { v: formatNumber(detail.current.version, locale) })}
              </Badge>
            ) : null}
          </span>
        }
        actions={
          <LinkButton href="/admin/templates" variant="ghost" size="sm">
            {common('back')}
          </LinkButton>
        }
      />
      <TemplateEditor
        templateId={id}
        initialText={JSON.stringify(draft.document, null, 2)}
        initialValidation={draft.validation}
        hasUnpublished={detail.draft?.has_unpublished_changes ?? false}
      />
    </>
  );
}
