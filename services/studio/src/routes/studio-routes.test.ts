import { routeOwner } from '@flatrender/contracts';
import { createHttpServer, createLogger, registerOpenApi, type ServiceContext } from '@flatrender/platform';
import { describe, expect, it } from 'vitest';
import type { ProjectService } from '../project.service';
import { registerInternalRoutes } from './internal.routes';
import { registerProjectRoutes } from './projects.routes';
import { registerSnapshotRoutes } from './snapshots.routes';

describe('studio routes', () => {
  it('stay under the prefix studio owns and describe themselves in OpenAPI', async () => {
    const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
    await registerOpenApi(app, { secret: 'test-secret' });
    // Describing the routes never calls the service.
    const projects = {} as ProjectService;
    registerProjectRoutes(app, projects);
    registerSnapshotRoutes(app, projects);
    registerInternalRoutes(app, { secret: 'test-secret' } as ServiceContext, projects);
    await app.ready();
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const paths = Object.keys(doc.paths);
    expect(paths.sort()).toEqual([
      '/v1/projects',
      '/v1/projects/{id}',
      '/v1/projects/{id}/checks',
      '/v1/projects/{id}/duplicate',
      '/v1/projects/{id}/snapshots',
      '/v1/projects/{id}/upgrade',
    ]);
    for (const path of paths) expect(routeOwner(path.replaceAll('{id}', 'x'))).toBe('studio');
    expect(Object.keys(doc.paths['/v1/projects/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
    expect(JSON.stringify(doc.paths['/v1/projects/{id}']!.patch)).toContain('if-match');
    await app.close();
  });
});
