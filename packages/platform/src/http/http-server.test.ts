import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../log/logger';
import { currentTrace } from '../log/trace-context';
import { createMetricsRegistry } from '../metrics/metrics';
import { registerHealthRoutes } from './health.routes';
import { badRequest } from './http-error';
import { createHttpServer, type HttpServer } from './http-server';

function server(lines: string[] = []) {
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const app = createHttpServer({
    logger: createLogger({ level: 'info', destination }),
    metrics,
    bodyLimitBytes: 1024,
  });
  return { app, metrics };
}

describe('http server', () => {
  let app: HttpServer | undefined;
  afterEach(async () => app?.close());

  it('answers validation failures with the error body naming the field', async () => {
    ({ app } = server());
    app.post(
      '/things',
      { schema: { body: z.object({ name: z.string().min(2), size: z.number().int() }) } },
      async () => ({ ok: true }),
    );
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x', size: 1 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.field).toBe('name');
    expect(body.error.message).toContain('name');
  });

  it('maps HttpError, malformed JSON, oversize bodies and unknown routes to 4xx bodies', async () => {
    ({ app } = server());
    app.post('/fail', async () => {
      throw badRequest('bad_colour', 'Field "brand" must be a colour like #e94560.', 'brand');
    });
    const own = await app.inject({ method: 'POST', url: '/fail', payload: {} });
    expect(own.statusCode).toBe(400);
    expect(own.json()).toEqual({
      error: { code: 'bad_colour', message: 'Field "brand" must be a colour like #e94560.', field: 'brand' },
    });

    const malformed = await app.inject({
      method: 'POST',
      url: '/fail',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('invalid_json');

    const big = await app.inject({ method: 'POST', url: '/fail', payload: { blob: 'x'.repeat(4096) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');

    const missing = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({ code: 'not_found', message: 'No route for GET /nowhere.' });
  });

  it('hides internal errors and logs them', async () => {
    const lines: string[] = [];
    ({ app } = server(lines));
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json().error.code).toBe('internal_error');
    expect(lines.join('')).toContain('unhandled error');
  });

  it('answers 400 for text PostgreSQL cannot store and 503 with Retry-After while the database is away', async () => {
    ({ app } = server());
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
    app.get('/nul', async () => {
      throw pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
    });
    app.get('/restarting', async () => {
      throw pgError('57P01', 'terminating connection due to administrator command');
    });
    app.get('/refused', async () => {
      throw new Error('query failed', {
        cause: pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      });
    });
    app.get('/lost', async () => {
      throw new Error('Connection terminated unexpectedly');
    });
    app.get('/bug', async () => {
      throw pgError('42P01', 'relation "nope" does not exist');
    });
    const nul = await app.inject({ url: '/nul' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.code).toBe('invalid_text');
    for (const url of ['/restarting', '/refused', '/lost']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.json().error.code).toBe('service_unavailable');
    }
    // Any other database error is still a bug of ours.
    expect((await app.inject({ url: '/bug' })).statusCode).toBe(500);
  });

  it('propagates a given trace id into the handler and logs, and echoes request ids', async () => {
    const lines: string[] = [];
    ({ app } = server(lines));
    app.get('/trace', async () => ({ trace: currentTrace()?.traceId }));
    const traceId = '6f1c2a8e-4b7d-4c1e-9a3f-2d5e8b7c1a90';
    const res = await app.inject({
      method: 'GET',
      url: '/trace',
      headers: { 'x-trace-id': traceId, 'x-request-id': 'req-42' },
    });
    expect(res.json().trace).toBe(traceId);
    expect(res.headers['x-trace-id']).toBe(traceId);
    expect(res.headers['x-request-id']).toBe('req-42');
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request');
    expect(logged.trace_id).toBe(traceId);

    const fresh = await app.inject({ method: 'GET', url: '/trace', headers: { 'x-trace-id': 'not-a-uuid' } });
    expect(fresh.json().trace).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.json().trace).not.toBe('not-a-uuid');
  });

  it('serves healthz, readyz with failing checks as 503, and metrics', async () => {
    let metrics: ReturnType<typeof createMetricsRegistry>;
    ({ app, metrics } = server());
    let dbUp = true;
    registerHealthRoutes(app, {
      checks: {
        db: async () => {
          if (!dbUp) throw new Error('connection refused');
        },
        bus: async () => {},
      },
      metrics,
    });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.db.ok).toBe(true);
    dbUp = false;
    const notReady = await app.inject('/readyz');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks.db).toMatchObject({ ok: false, error: 'connection refused' });
    const scraped = await app.inject('/metrics');
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('flatrender_http_request_duration_seconds_bucket');
    expect(scraped.body).toContain('route="/readyz"');
  });

  it('sets security headers', async () => {
    ({ app } = server());
    app.get('/x', async () => ({}));
    const res = await app.inject('/x');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});
