import { aspectRatioSchema } from '@flatrender/contracts';
import { HttpError, type InternalClient, type Logger, notFound, type Principal } from '@flatrender/platform';
import { z } from 'zod';

/** What file's `GET /internal/files/:id` answers that render uses (extra keys are ignored). */
const fileInfoSchema = z.looseObject({
  id: z.uuid(),
  kind: z.string(),
  mime: z.string().min(3),
  content_hash: z.string().regex(/^[a-f0-9]{64}$/),
  blob_key: z.string().min(1),
  size_bytes: z.number().int().nonnegative(),
  width: z.number().int().positive().nullish(),
  height: z.number().int().positive().nullish(),
  duration_seconds: z.number().nonnegative().nullish(),
  status: z.string(),
});
export type FileInfo = z.infer<typeof fileInfoSchema>;

/** What studio's `GET /internal/projects/:id` answers that render uses. */
const projectViewSchema = z.looseObject({
  project: z.looseObject({
    id: z.uuid(),
    aspect: z.enum(['16:9', '9:16', '1:1', '4:5']),
    locale: z.enum(['fa', 'en']),
    revision: z.int().min(1),
  }),
  template: z.looseObject({ template_id: z.uuid(), version: z.int().min(1) }),
  values: z.looseObject({
    fields: z.record(z.string(), z.unknown()).optional(),
    durations: z.record(z.string(), z.number()).optional(),
    scenes: z.array(z.object({ id: z.string(), block: z.string().optional() })).optional(),
  }),
});
export type ProjectView = z.infer<typeof projectViewSchema>;

/** What content's `GET /internal/previews/clips` answers: preview clips still wanted, oldest first. */
const pendingClipsSchema = z.looseObject({
  items: z.array(
    z.looseObject({
      template_id: z.uuid(),
      version: z.int().min(1),
      aspect: aspectRatioSchema,
      tenant_id: z.uuid(),
      document_key: z.string().min(1),
      content_hash: z.string().regex(/^[a-f0-9]{64}$/),
      requested_at: z.string(),
    }),
  ),
});
export type PendingClip = z.infer<typeof pendingClipsSchema>['items'][number];

/** The body of content's `PUT /internal/templates/:id/versions/:v/previews/:aspect/clip`. */
export interface ClipReport {
  blob_key: string;
  content_hash: string;
  size_bytes: number;
  mime: 'video/mp4';
  width: number;
  height: number;
  duration_seconds: number;
}

export interface RegisterOutput {
  tenant_id: string;
  file_id: string;
  blob_key: string;
  mime: string;
  size_bytes: number;
  content_hash: string;
  width: number | null;
  height: number | null;
  duration_seconds: number | null;
  name: string;
  job_id: string;
}

/**
 * Render's calls to the services that own what a job uses: studio (projects), file (uploads and the
 * registration of outputs) and identity (whether a suspension still holds). Each answer is checked
 * against the shape render relies on; an unreachable owner is a 503, never a guess.
 */
export class PeerServices {
  constructor(
    private readonly internal: InternalClient,
    private readonly logger: Logger,
  ) {}

  async project(principal: Principal, projectId: string): Promise<ProjectView> {
    const res = await this.call('studio', {
      method: 'GET',
      path: `/internal/projects/${projectId}`,
      principal,
    });
    if (res.status === 404) throw notFound('The project', 'project_not_found');
    const parsed = res.status === 200 ? projectViewSchema.safeParse(res.body) : undefined;
    if (!parsed?.success) {
      this.logger.warn({ status: res.status, projectId }, 'unexpected answer from studio');
      throw unavailable('studio_unavailable', 'Projects cannot be read right now; try again shortly.');
    }
    return parsed.data;
  }

  /** A file of the principal's tenant, or null when it has none by that id (or it is being deleted). */
  async file(principal: Principal, fileId: string): Promise<FileInfo | null> {
    const res = await this.call('file', { method: 'GET', path: `/internal/files/${fileId}`, principal });
    if (res.status === 404) return null;
    const parsed = res.status === 200 ? fileInfoSchema.safeParse(res.body) : undefined;
    if (!parsed?.success) {
      this.logger.warn({ status: res.status, fileId }, 'unexpected answer from the file service');
      throw unavailable(
        'file_service_unavailable',
        'Uploaded files cannot be read right now; try again shortly.',
      );
    }
    return parsed.data.status === 'ready' ? parsed.data : null;
  }

  /** Registers a finished output with the file service (idempotent by file id). */
  async registerOutput(output: RegisterOutput): Promise<void> {
    const res = await this.internal.request('file', {
      method: 'POST',
      path: '/internal/files',
      body: output,
    });
    if (res.status !== 200 && res.status !== 201)
      throw new Error(
        `file service refused output ${output.file_id}: ${res.status} ${JSON.stringify(res.body)}`,
      );
  }

  /** Preview clips content still wants (at most `limit`, oldest first); throws when content cannot answer. */
  async pendingClips(limit: number): Promise<PendingClip[]> {
    const res = await this.internal.request('content', {
      method: 'GET',
      path: `/internal/previews/clips?limit=${limit}`,
    });
    const parsed = res.status === 200 ? pendingClipsSchema.safeParse(res.body) : undefined;
    if (!parsed?.success)
      throw new Error(
        `content answered the pending preview clips with ${res.status}: ${JSON.stringify(res.body)}`,
      );
    return parsed.data.items;
  }

  /**
   * Reports a finished preview clip to content: `done` when content recorded it, `unknown` when content
   * has no such preview (the template is gone; nothing to report any more). Throws when content cannot
   * answer, so the report is owed and tried again.
   */
  async reportClip(
    clip: { template_id: string; version: number; aspect: string },
    report: ClipReport,
  ): Promise<'done' | 'unknown'> {
    const res = await this.internal.request('content', {
      method: 'PUT',
      path: `/internal/templates/${clip.template_id}/versions/${clip.version}/previews/${encodeURIComponent(clip.aspect)}/clip`,
      body: report,
    });
    if (res.status === 204 || res.status === 200) return 'done';
    if (res.status === 404) return 'unknown';
    throw new Error(`content refused the preview clip: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /**
   * Whether identity still holds the tenant suspended. No event announces a lifted suspension, so a
   * refusal asks first; when identity cannot answer, the suspension stands.
   */
  async stillSuspended(tenantId: string): Promise<boolean> {
    try {
      const res = await this.internal.request<{ suspended?: boolean }>('identity', {
        method: 'GET',
        path: `/internal/tenants/${tenantId}/status`,
      });
      if (res.status === 200 && typeof res.body?.suspended === 'boolean') return res.body.suspended;
    } catch (error) {
      this.logger.debug({ err: error, tenantId }, 'identity unreachable; the suspension stands');
    }
    return true;
  }

  private async call(
    service: 'studio' | 'file',
    request: Parameters<InternalClient['request']>[1],
  ): Promise<{ status: number; body: unknown }> {
    try {
      return await this.internal.request(service, request);
    } catch (error) {
      this.logger.warn({ err: error, service, path: request.path }, 'service unreachable');
      throw unavailable(
        `${service === 'file' ? 'file_service' : service}_unavailable`,
        `The ${service} service cannot be reached; try again shortly.`,
      );
    }
  }
}

const unavailable = (code: string, message: string) => new HttpError(503, code, message);
