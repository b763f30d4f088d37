import { randomUUID } from 'node:crypto';
import { fieldDefinitions } from '@flatrender/engine';
import type { ScopedDatabase } from '@flatrender/platform';
import { HttpError, type HttpServer, notFound, requirePrincipal } from '@flatrender/platform';
import { z } from 'zod';
import { type CellType, rowsFromCsv } from '../domain/batch-input';
import { isPreviewClip } from '../domain/preview-clip';
import type { JobRepository } from '../job.repository';
import type { AcceptedJob, JobService, RenderRequest } from '../job.service';
import type { RenderDb } from '../render.db';
import type { SnapshotRepository } from '../snapshot.repository';
import type { TemplateSource } from '../template-source';
import {
  acceptedSchema,
  batchBody,
  batchQuery,
  createRenderBody,
  errorDetails,
  idParams,
  jobSchema,
  listQuery,
} from './render.schemas';
import { jobView, type ViewContext } from './render.views';

export interface RenderRouteDeps {
  db: ScopedDatabase<RenderDb>;
  jobs: JobRepository;
  snapshots: SnapshotRepository;
  service: JobService;
  templates: TemplateSource;
  view: ViewContext;
  maxBatchRows: number;
}

const CELL_TYPES: Record<string, CellType> = { number: 'number', boolean: 'boolean', list: 'list' };

/** `/v1/renders`: create (from a project or a template with modifications), batch, list, get, cancel, retry. */
export function registerRenderRoutes(app: HttpServer, deps: RenderRouteDeps): void {
  const { db, jobs, snapshots, service, view } = deps;
  // CSV batches arrive as text; only this service's routes see this parser.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  const accepted = async (tenantId: string, a: AcceptedJob) => {
    const snapshot = a.job.snapshot_id
      ? await db.withTenant(tenantId, (tx) => snapshots.find(tx, a.job.snapshot_id as string))
      : undefined;
    return { job: jobView(view, a.job, snapshot), quote: a.quote, cached: a.cached };
  };

  app.post(
    '/v1/renders',
    {
      schema: {
        tags: ['renders'],
        summary: 'Render a project or a template with modifications; answers 202 with the job and its quote',
        description:
          'Refused before anything is queued: 403 `tenant_suspended`, 422 with field errors (values, files, fonts, text that does not fit, plan limits), 429 `concurrency_limit`, 402 `insufficient_allowance`. An identical earlier render completes at once from the render cache.',
        body: createRenderBody,
        response: { 202: acceptedSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { scope: 'renders:write' });
      const result = await service.create(principal, req.body as RenderRequest, {
        source: req.body.project_id ? 'studio' : 'api',
      });
      reply.code(202).header('location', `/v1/renders/${result.job.id}`);
      return accepted(principal.tenantId, result);
    },
  );

  app.post(
    '/v1/renders/batch',
    {
      schema: {
        tags: ['renders'],
        summary:
          'Many renders of one template: JSON rows of modifications, or CSV whose header names field paths',
        description:
          'Every row is checked as a single render would be; if any row fails, nothing is queued and 422 lists the problems by row. Jobs beyond the plan’s concurrency wait (stage `waiting`) and start as earlier ones finish. A `text/csv` body takes the template and output from the query string.',
        querystring: batchQuery,
        body: z.union([batchBody, z.string().min(1).describe('CSV text (Content-Type: text/csv)')]),
        response: {
          202: z.object({
            batch_id: z.uuid(),
            jobs: z.array(jobSchema),
            quote: z.object({ render_seconds: z.number(), cost: z.int() }),
          }),
        },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { scope: 'renders:write' });
      const body = typeof req.body === 'string' ? fromQuery(req.query, req.body) : req.body;
      if (!body.template_id)
        throw new HttpError(
          400,
          'invalid_request',
          'query field "template_id" is required with a CSV body',
          'template_id',
        );
      const loaded = await deps.templates.forNewJob(principal, body.template_id, body.template_version);
      let rows: {
        modifications: Record<string, unknown>;
        metadata?: Record<string, string | number | boolean | null> | undefined;
      }[];
      if (body.csv !== undefined) {
        const defs = fieldDefinitions(loaded.template, loaded.template.scenes);
        const parsed = rowsFromCsv(body.csv, (field) => {
          const def = defs.get(field);
          return def ? (CELL_TYPES[def.type] ?? 'text') : undefined;
        });
        if (parsed.problems.length > 0)
          throw new HttpError(
            422,
            'batch_invalid',
            parsed.problems[0]?.message ?? 'The CSV is invalid.',
            'csv',
            parsed.problems,
          );
        rows = parsed.rows.map((modifications) => ({ modifications }));
      } else {
        rows = body.rows ?? [];
      }
      if (rows.length > deps.maxBatchRows)
        throw new HttpError(
          422,
          'batch_too_large',
          `A batch holds at most ${deps.maxBatchRows} rows; this one has ${rows.length}.`,
          'rows',
        );
      const batchId = randomUUID();
      const requests: RenderRequest[] = rows.map((row) => ({
        template_id: body.template_id,
        template_version: loaded.version.version,
        modifications: row.modifications,
        aspect: body.aspect,
        locale: body.locale,
        output: body.output,
        webhook_url: body.webhook_url,
        metadata: row.metadata ?? body.metadata,
      }));
      const result = await service.createMany(principal, requests, {
        source: 'api',
        holdOverLimit: true,
        batch: { id: batchId, row: 0 },
      });
      if (result.problems.length > 0) {
        const details = result.problems.flatMap(({ row, error }) => {
          const inner = Array.isArray(error.details)
            ? (error.details as { field?: string; code?: string; message?: string }[])
            : [];
          return inner.length > 0
            ? inner.map((d) => ({
                row,
                code: d.code ?? error.code,
                message: `row ${row + 1}: ${d.message ?? error.message}`,
                ...(d.field ? { field: d.field } : {}),
              }))
            : [
                {
                  row,
                  code: error.code,
                  message: `row ${row + 1}: ${error.message}`,
                  ...(error.field ? { field: error.field } : {}),
                },
              ];
        });
        errorDetails.parse(details);
        // Limits of the tenant (suspension, allowance) are not problems of a row: they keep their status.
        throw new HttpError(
          422,
          'batch_invalid',
          details[0]?.message ?? 'Some rows cannot be rendered.',
          'rows',
          details,
        );
      }
      reply.code(202);
      const views = await Promise.all(result.accepted.map((a) => accepted(principal.tenantId, a)));
      return {
        batch_id: batchId,
        jobs: views.map((v) => v.job),
        quote: {
          render_seconds: result.accepted.reduce((n, a) => n + a.quote.render_seconds, 0),
          cost: result.accepted.reduce((n, a) => n + a.quote.cost, 0),
        },
      };
    },
  );

  app.get(
    '/v1/renders',
    {
      schema: {
        tags: ['renders'],
        summary: 'Render jobs of your team, newest first',
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(jobSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'renders:read' });
      const q = req.query;
      // Preview clips are rendered on the template owner's rows but are the platform's work.
      const rows = await db.withTenant(principal.tenantId, (tx) =>
        jobs.list(tx, { ...q, before_seq: q.cursor, purpose: 'render' }, q.limit + 1),
      );
      const page = rows.slice(0, q.limit);
      const snaps = await db.withTenant(principal.tenantId, (tx) =>
        Promise.all(
          page.map((j) => (j.snapshot_id ? snapshots.find(tx, j.snapshot_id) : Promise.resolve(undefined))),
        ),
      );
      return {
        items: page.map((j, i) => jobView(view, j, snaps[i])),
        next_cursor: rows.length > q.limit ? String(page.at(-1)?.seq) : null,
      };
    },
  );

  app.get(
    '/v1/renders/:id',
    {
      schema: {
        tags: ['renders'],
        summary: 'A render job: status, progress, ETA, output and snapshot links',
        params: idParams,
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'renders:read' });
      const found = await db.withTenant(principal.tenantId, async (tx) => {
        const job = await jobs.find(tx, req.params.id);
        const snapshot = job?.snapshot_id ? await snapshots.find(tx, job.snapshot_id) : undefined;
        return job ? { job, snapshot } : undefined;
      });
      if (!found || isPreviewClip(found.job)) throw notFound('The render', 'render_not_found');
      return jobView(view, found.job, found.snapshot);
    },
  );

  app.post(
    '/v1/renders/:id/cancel',
    {
      schema: {
        tags: ['renders'],
        summary:
          'Cancel a queued or rendering job; nodes stop within a second and the unused quote is refunded',
        params: idParams,
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'renders:write' });
      const job = await service.cancel(principal, req.params.id, 'user');
      return jobView(view, job, undefined);
    },
  );

  app.post(
    '/v1/renders/:id/retry',
    {
      schema: {
        tags: ['renders'],
        summary: 'Render a failed or cancelled job again (a new job with the same plan)',
        params: idParams,
        response: { 202: acceptedSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { scope: 'renders:write' });
      const result = await service.retry(principal, req.params.id);
      reply.code(202).header('location', `/v1/renders/${result.job.id}`);
      return accepted(principal.tenantId, result);
    },
  );
}

function fromQuery(query: z.infer<typeof batchQuery>, csv: string): z.infer<typeof batchBody> {
  return {
    template_id: query.template_id as string,
    template_version: query.template_version,
    aspect: query.aspect,
    locale: query.locale,
    output: {
      format: query.format ?? 'mp4',
      quality: query.quality ?? 'standard',
      resolution: query.resolution,
    },
    webhook_url: query.webhook_url,
    csv,
  };
}
