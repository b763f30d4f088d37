import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { StudioApp } from '@/features/studio/studio-app';
import { ApiError } from '@/lib/api/errors';
import type { FontFaceView, Project } from '@/lib/api/types';
import { requireSession, serverGet } from '@/lib/server/api';

export const metadata: Metadata = { title: 'Studio' };

export default async function StudioPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requireSession(`/studio/${id}`);
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  let project: Project;
  try {
    project = await serverGet<Project>(`/v1/projects/${id}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  const { template_id, version } = project.template;
  const [document, fonts, tenant] = await Promise.all([
    serverGet<unknown>(`/v1/templates/${template_id}/versions/${version}/document`),
    serverGet<{ items: FontFaceView[] }>('/v1/fonts'),
    serverGet<{ plan: { limits: { watermark?: boolean; max_short_side_px?: number } } }>(
      `/v1/tenants/${session.tenant.id}`,
    ),
  ]);
  const output = {
    watermark: tenant.plan.limits.watermark ?? false,
    maxShortSide: tenant.plan.limits.max_short_side_px ?? 4096,
  };
  return (
    <StudioApp
      project={project}
      tenantId={session.tenant.id}
      document={document}
      fonts={fonts.items}
      output={output}
    />
  );
}
