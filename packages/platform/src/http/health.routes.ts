import type { Registry } from 'prom-client';
import type { HttpServer } from './http-server';

/** A readiness check throws (or rejects) when its dependency cannot serve. */
export type ReadinessCheck = () => Promise<void>;

export interface HealthOptions {
  checks: Record<string, ReadinessCheck>;
  metrics?: Registry;
  /** Set while shutting down so load balancers stop sending traffic before connections close. */
  isDraining?: () => boolean;
  checkTimeoutMs?: number;
}

/** `/healthz` (the process lives), `/readyz` (its dependencies answer), `/metrics` (Prometheus). */
export function registerHealthRoutes(app: HttpServer, options: HealthOptions): void {
  const timeoutMs = options.checkTimeoutMs ?? 2000;

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const results: Record<string, { ok: boolean; error?: string; ms: number }> = {};
    await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        const started = performance.now();
        try {
          await withTimeout(check(), timeoutMs);
          results[name] = { ok: true, ms: Math.round(performance.now() - started) };
        } catch (error) {
          results[name] = {
            ok: false,
            error: error instanceof Error ? error.message : String(error),
            ms: Math.round(performance.now() - started),
          };
        }
      }),
    );
    const draining = options.isDraining?.() ?? false;
    const ready = !draining && Object.values(results).every((r) => r.ok);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : draining ? 'draining' : 'unavailable', checks: results });
  });

  if (options.metrics) {
    const registry = options.metrics;
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
