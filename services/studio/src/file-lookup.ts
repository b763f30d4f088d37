import { HttpError, type InternalClient, type Logger, type Principal } from '@flatrender/platform';
import { z } from 'zod';

/**
 * What file's `GET /internal/files/:id` answers that the checks use (extra keys are ignored). 404
 * means the caller's tenant has no such file; `deleting` means it is on its way out.
 */
const fileInfoSchema = z.looseObject({
  id: z.uuid(),
  kind: z.string(),
  mime: z.string().min(3),
  width: z.number().int().positive().nullish(),
  height: z.number().int().positive().nullish(),
  duration_seconds: z.number().nonnegative().nullish(),
  status: z.string(),
});

export type FileInfo = z.infer<typeof fileInfoSchema>;

/** Looks up uploaded files for one caller; each id is asked once per lookup. */
export class FileLookup {
  private readonly known = new Map<string, Promise<FileInfo | null>>();

  constructor(
    private readonly internal: InternalClient,
    private readonly principal: Principal,
    private readonly logger: Logger,
  ) {}

  /** The file's facts, or null when the tenant has no such file (never uploaded, or deleted). */
  get(id: string): Promise<FileInfo | null> {
    let info = this.known.get(id);
    if (!info) {
      info = this.fetch(id);
      this.known.set(id, info);
    }
    return info;
  }

  private async fetch(id: string): Promise<FileInfo | null> {
    let response: { status: number; body: unknown };
    try {
      response = await this.internal.request('file', {
        method: 'GET',
        path: `/internal/files/${id}`,
        principal: this.principal,
      });
    } catch (error) {
      this.logger.warn({ err: error, fileId: id }, 'file service unreachable');
      throw fileServiceUnavailable();
    }
    if (response.status === 404) return null;
    const parsed = response.status === 200 ? fileInfoSchema.safeParse(response.body) : undefined;
    if (!parsed?.success) {
      this.logger.warn({ status: response.status, fileId: id }, 'unexpected answer from the file service');
      throw fileServiceUnavailable();
    }
    return parsed.data.status === 'ready' ? parsed.data : null;
  }
}

const fileServiceUnavailable = () =>
  new HttpError(
    503,
    'file_service_unavailable',
    'Uploaded files cannot be checked right now; try again shortly.',
  );
