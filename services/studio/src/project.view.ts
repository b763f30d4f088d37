import type { AspectRatio } from '@flatrender/contracts';
import type { ProjectRow } from './project.repository';

/** A project as the API shows it (the JSON body of GET /v1/projects/:id). */
export interface ProjectView {
  id: string;
  name: string;
  template: {
    template_id: string;
    version: number;
    slug: string;
    title: { fa: string; en: string };
    latest_version: number | null;
  };
  aspect: AspectRatio;
  locale: 'fa' | 'en';
  values: {
    fields: Record<string, unknown>;
    durations: Record<string, number>;
    scenes: { id: string; block?: string }[] | null;
  };
  revision: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export function projectView(row: ProjectRow): ProjectView {
  return {
    id: row.id,
    name: row.name,
    template: {
      template_id: row.template_id,
      version: row.template_version,
      slug: row.template_slug,
      title: row.template_title,
      latest_version: row.latest_version === null ? null : Number(row.latest_version),
    },
    aspect: row.aspect,
    locale: row.locale,
    values: { fields: row.fields, durations: row.durations, scenes: row.scenes },
    revision: row.revision,
    created_by: row.created_by,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
