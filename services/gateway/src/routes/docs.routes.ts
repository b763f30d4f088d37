import swaggerUi from '@fastify/swagger-ui';
import {
  type HttpServer,
  type HttpServiceName,
  INTERNAL_OPENAPI_PATH,
  type InternalClient,
  type Logger,
  mergeOpenApi,
  type OpenApiDocument,
} from '@flatrender/platform';

export interface DocsDeps {
  internal: InternalClient;
  logger: Logger;
  /** Services running in other processes, whose documents are fetched and merged in. */
  remote: () => readonly HttpServiceName[];
  cacheMs?: number;
}

/**
 * The API description: in one process the server already knows every route; distributed, the
 * gateway merges its own document with each service's `/internal/openapi.json` (cached briefly; a
 * service that does not answer is left out and listed in `x-unavailable-services`).
 */
export class OpenApiAggregator {
  private cached: { doc: OpenApiDocument; at: number } | undefined;
  private inFlight: Promise<OpenApiDocument> | undefined;

  constructor(
    private readonly app: HttpServer,
    private readonly deps: DocsDeps,
  ) {}

  /** The last merged document (served synchronously by the UI), the server's own until one exists. */
  current(): OpenApiDocument {
    return this.cached?.doc ?? (this.app.swagger() as OpenApiDocument);
  }

  async document(): Promise<OpenApiDocument> {
    if (this.cached && Date.now() - this.cached.at < (this.deps.cacheMs ?? 30_000)) return this.cached.doc;
    this.inFlight ??= this.build().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async build(): Promise<OpenApiDocument> {
    const base = this.app.swagger() as OpenApiDocument;
    const remote = this.deps.remote();
    const unavailable: string[] = [];
    const parts = await Promise.all(
      remote.map(async (service) => {
        try {
          const res = await this.deps.internal.request<OpenApiDocument>(service, {
            method: 'GET',
            path: INTERNAL_OPENAPI_PATH,
          });
          if (res.status === 200) return res.body;
          unavailable.push(service);
        } catch (error) {
          this.deps.logger.warn({ err: error, service }, 'could not fetch the service API description');
          unavailable.push(service);
        }
        return undefined;
      }),
    );
    const doc = mergeOpenApi(
      base,
      parts.filter((p): p is OpenApiDocument => p !== undefined),
    );
    if (unavailable.length > 0)
      (doc as Record<string, unknown>)['x-unavailable-services'] = unavailable.sort();
    // A partial document is kept only briefly, so a service that comes up appears soon.
    this.cached = {
      doc,
      at: unavailable.length > 0 ? Date.now() - (this.deps.cacheMs ?? 30_000) + 5000 : Date.now(),
    };
    return doc;
  }
}

/** `/docs` (Swagger UI, served from this server — no CDN) and `/docs/openapi.json`. */
export async function registerDocsRoutes(app: HttpServer, docs: OpenApiAggregator): Promise<void> {
  app.get('/docs/openapi.json', { schema: { hide: true } }, async () => docs.document());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The plugin's own policy adds upgrade-insecure-requests, which breaks self-hosted plain-HTTP
    // installs; everything the UI loads comes from this server.
    staticCSP:
      "default-src 'self'; base-uri 'self'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'",
    uiConfig: { deepLinking: true, persistAuthorization: false },
    uiHooks: {
      // The UI's own /docs/json is answered synchronously; bring the merged document up to date first.
      onRequest: async (request) => {
        if (request.url.startsWith('/docs/json') || request.url.startsWith('/docs/yaml'))
          await docs.document();
      },
    },
    transformSpecification: () => docs.current(),
    transformSpecificationClone: false,
  });
}
