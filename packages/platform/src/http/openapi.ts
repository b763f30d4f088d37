import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 } from 'openapi-types';
import { requireInternal } from '../service/internal-client';
import type { HttpServer } from './http-server';

export type OpenApiDocument = OpenAPIV3_1.Document;

/** Where a service process publishes its part of the API description for the gateway to merge. */
export const INTERNAL_OPENAPI_PATH = '/internal/openapi.json';

/** Both credentials travel as `Authorization: Bearer ...`; the prefix `fr_` tells an API key apart. */
export const SECURITY_SCHEMES: Record<string, OpenAPIV3_1.SecuritySchemeObject> = {
  accessToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Short-lived access token from POST /v1/auth/login or /v1/auth/refresh.',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'fr_…',
    description: 'API key created under /v1/api-keys, sent as "Authorization: Bearer fr_…". Never in URLs.',
  },
};

export interface OpenApiOptions {
  /** Signs `/internal/openapi.json` requests (only the gateway reads it). */
  secret: string;
  version?: string;
}

/**
 * Describes every route of this server in OpenAPI 3.1 from its zod schemas. Must be registered before
 * any route (it collects them as they are added). Internal routes and routes marked `hide` stay out.
 * The document is served at `/internal/openapi.json` for the gateway, which publishes `/docs`.
 */
export async function registerOpenApi(app: HttpServer, options: OpenApiOptions): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'FlatRender API',
        version: options.version ?? '1',
        description:
          'Template-based video and image rendering. Errors are `{ "error": { "code", "message", "field"? } }`.',
      },
      components: { securitySchemes: SECURITY_SCHEMES },
      security: [{ accessToken: [] }, { apiKey: [] }],
    },
    transform: (input) => {
      // Catch-all routes (`/v1/blobs/*`) have no OpenAPI form; they are described in prose instead.
      if (
        input.url.startsWith('/internal/') ||
        input.url.includes('*') ||
        input.route.config?.openapi === false
      ) {
        return { schema: { hide: true }, url: input.url };
      }
      return jsonSchemaTransform(input);
    },
  });
  app.get(INTERNAL_OPENAPI_PATH, { schema: { hide: true } }, async (request) => {
    requireInternal(request, options.secret);
    return app.swagger();
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` keeps a route out of the API description (proxy catch-alls, plumbing). */
    openapi?: boolean;
  }
}

/**
 * One document from the gateway's own and each service's: paths and component schemas are joined;
 * a path claimed twice keeps the first (the gateway's, then services in the order given).
 */
export function mergeOpenApi(base: OpenApiDocument, parts: readonly OpenApiDocument[]): OpenApiDocument {
  const merged: OpenApiDocument = structuredClone(base);
  merged.paths ??= {};
  merged.components ??= {};
  merged.components.schemas ??= {};
  for (const part of parts) {
    for (const [path, item] of Object.entries(part.paths ?? {})) {
      if (!(path in merged.paths)) merged.paths[path] = item;
    }
    for (const [name, schema] of Object.entries(part.components?.schemas ?? {})) {
      if (!(name in merged.components.schemas)) merged.components.schemas[name] = schema;
    }
  }
  return merged;
}
