import { type HttpServer, requirePrincipal } from '@flatrender/platform';
import type { ProjectService } from '../project.service';
import type { SnapshotRow } from '../snapshot.repository';
import { projectParams, snapshotBody, snapshotListQuery, snapshotSchema } from './project.schemas';

function snapshotView(row: SnapshotRow) {
  return {
    snapshot_id: row.id,
    project_id: row.project_id,
    project_revision: row.project_revision,
    status: 'requested' as const,
    aspect: row.aspect,
    time_seconds: row.time_seconds,
    format: row.format,
    width: row.width,
    height: row.height,
    requested_at: new Date(row.requested_at).toISOString(),
    // The image itself is the render service's: GET /v1/snapshots/:id.
    links: { self: `/v1/snapshots/${row.id}` },
  };
}

export function registerSnapshotRoutes(app: HttpServer, projects: ProjectService): void {
  app.post(
    '/v1/projects/:id/snapshots',
    {
      schema: {
        tags: ['projects'],
        summary: 'Request a still of the project at a time and aspect; poll the returned link',
        params: projectParams,
        body: snapshotBody,
        response: { 202: snapshotSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { scope: 'projects:write' });
      const row = await projects.requestSnapshot(principal, req.params.id, req.body);
      reply.code(202).header('location', `/v1/snapshots/${row.id}`);
      return snapshotView(row);
    },
  );

  app.get(
    '/v1/projects/:id/snapshots',
    {
      schema: {
        tags: ['projects'],
        summary: 'Snapshot requests of the project, newest first',
        params: projectParams,
        querystring: snapshotListQuery,
        response: { 200: snapshotSchema.array() },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'projects:read' });
      return (await projects.listSnapshots(principal, req.params.id, req.query.limit)).map(snapshotView);
    },
  );
}
