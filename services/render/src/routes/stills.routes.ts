import { type HttpServer, requirePrincipal } from '@flatrender/platform';
import type { JobService } from '../job.service';
import type { SnapshotService } from '../snapshot.service';
import {
  acceptedSchema,
  idParams,
  mockupBody,
  snapshotBody,
  snapshotQuery,
  snapshotSchema,
  voiceoverBody,
} from './render.schemas';
import { jobView, snapshotView, type ViewContext } from './render.views';

/** `/v1/snapshots` (stills, polled or long-polled by id), `/v1/mockups` and `/v1/voiceovers` (one-item jobs). */
export function registerStillRoutes(
  app: HttpServer,
  deps: { snapshots: SnapshotService; jobs: JobService; view: ViewContext },
): void {
  const { snapshots, jobs, view } = deps;

  app.post(
    '/v1/snapshots',
    {
      schema: {
        tags: ['snapshots'],
        summary: 'A still of a project or a template at an instant; poll the returned link until `ready`',
        body: snapshotBody,
        response: { 202: snapshotSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { scope: 'renders:write' });
      const row = await snapshots.request(principal, req.body);
      reply.code(202).header('location', `/v1/snapshots/${row.id}`);
      return snapshotView(view, row);
    },
  );

  app.get(
    '/v1/snapshots/:id',
    {
      schema: {
        tags: ['snapshots'],
        summary:
          'A snapshot: its status and, once ready, a signed link to the image; `wait` holds the answer until it is ready or failed',
        params: idParams,
        querystring: snapshotQuery,
        response: { 200: snapshotSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'renders:read' });
      const wait = req.query.wait ?? 0;
      const row =
        wait > 0
          ? await snapshots.getSettled(principal, req.params.id, wait * 1000)
          : await snapshots.get(principal, req.params.id);
      return snapshotView(view, row);
    },
  );

  app.post(
    '/v1/mockups',
    {
      schema: {
        tags: ['renders'],
        summary: 'Place an uploaded image into a phone, laptop or poster mockup (a one-item render job)',
        body: mockupBody,
        response: { 202: acceptedSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { scope: 'renders:write' });
      const result = await jobs.createMockup(principal, req.body);
      reply.code(202).header('location', `/v1/renders/${result.job.id}`);
      return { job: jobView(view, result.job, undefined), quote: result.quote, cached: false };
    },
  );

  app.post(
    '/v1/voiceovers',
    {
      schema: {
        tags: ['renders'],
        summary:
          'Speak a Persian or English text into an audio file usable as a voice-over (a one-item render job)',
        body: voiceoverBody,
        response: { 202: acceptedSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { scope: 'renders:write' });
      const result = await jobs.createVoiceover(principal, req.body);
      reply.code(202).header('location', `/v1/renders/${result.job.id}`);
      return { job: jobView(view, result.job, undefined), quote: result.quote, cached: false };
    },
  );
}
