import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPlatformConfig } from '../config';
import { createLogger } from '../log';
import { createInternalClient } from '../service/internal-client';
import { createHttpServer } from './http-server';
import { INTERNAL_OPENAPI_PATH, mergeOpenApi, type OpenApiDocument, registerOpenApi } from './openapi';

const secret = 'x'.repeat(40);

async function describedApp() {
  const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
  await registerOpenApi(app, { secret });
  app.get(
    '/v1/widgets/:id',
    { schema: { params: z.object({ id: z.uuid() }), response: { 200: z.object({ name: z.string() }) } } },
    async () => ({ name: 'w' }),
  );
  app.get('/internal/widgets', async () => []);
  app.get('/v1/catch-all/*', { config: { openapi: false } }, async () => ({}));
  await app.ready();
  return app;
}

describe('OpenAPI', () => {
  it('describes public routes from their zod schemas and leaves internal ones out', async () => {
    const app = await describedApp();
    const internal = createInternalClient({
      secret,
      config: loadPlatformConfig({}),
      local: ['content'],
      app,
    });
    const res = await internal.request<OpenApiDocument>('content', {
      method: 'GET',
      path: INTERNAL_OPENAPI_PATH,
    });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths ?? {})).toEqual(['/v1/widgets/{id}']);
    const op = doc.paths?.['/v1/widgets/{id}']?.get;
    expect(op?.parameters?.[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(doc.components?.securitySchemes).toHaveProperty('apiKey');
  });

  it('serves its document only to signed internal callers', async () => {
    const app = await describedApp();
    const res = await app.inject({ url: INTERNAL_OPENAPI_PATH });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('internal_only');
  });

  it('merges documents, the first claim of a path winning', () => {
    const base: OpenApiDocument = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: { '/v1/events/stream': { get: { summary: 'gateway', responses: {} } } },
    };
    const merged = mergeOpenApi(base, [
      {
        openapi: '3.1.0',
        info: { title: 'identity', version: '1' },
        paths: {
          '/v1/me': { get: { summary: 'me', responses: {} } },
          '/v1/events/stream': { get: { summary: 'imposter', responses: {} } },
        },
        components: { schemas: { User: { type: 'object' } } },
      },
    ]);
    expect(Object.keys(merged.paths ?? {}).sort()).toEqual(['/v1/events/stream', '/v1/me']);
    expect(merged.paths?.['/v1/events/stream']?.get?.summary).toBe('gateway');
    expect(merged.components?.schemas).toHaveProperty('User');
    expect(base.paths).not.toHaveProperty('/v1/me');
  });
});
