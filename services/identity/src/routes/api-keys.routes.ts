import { API_KEY_SCOPES, timestampSchema } from '@flatrender/contracts';
import { type HttpServer, requirePrincipal } from '@flatrender/platform';
import { z } from 'zod';
import { type ApiKeyManager, apiKeyView } from '../api-key.manager';
import { apiKeySchema, decodeCursor, idParamsSchema, page, pageOf, pageQuerySchema } from './schemas';

export function registerApiKeyRoutes(app: HttpServer, apiKeys: ApiKeyManager) {
  const tags = ['api-keys'];

  app.post(
    '/v1/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key for the current tenant; the key is shown in this answer only',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
          expires_at: timestampSchema.optional().describe('Expiry; omitted = until revoked'),
        }),
        response: {
          201: z.object({ key: z.string().describe('Shown once; store it now'), api_key: apiKeySchema }),
        },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { userOnly: true, role: 'admin' });
      const created = await apiKeys.create(principal, {
        name: req.body.name,
        scopes: req.body.scopes,
        ...(req.body.expires_at ? { expiresAt: new Date(req.body.expires_at) } : {}),
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/api-keys',
    {
      schema: {
        tags,
        summary: 'API keys of the current tenant (prefix, scopes, last use; never the key)',
        querystring: pageQuerySchema,
        response: { 200: page(apiKeySchema) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { userOnly: true, role: 'admin' });
      return pageOf(
        await apiKeys.list(principal, req.query.limit, decodeCursor(req.query.cursor)),
        apiKeyView,
      );
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      schema: { tags, summary: 'Revoke an API key', params: idParamsSchema, response: { 200: apiKeySchema } },
    },
    async (req) => apiKeys.revoke(requirePrincipal(req, { userOnly: true, role: 'admin' }), req.params.id),
  );
}
