import { localeSchema } from '@flatrender/contracts';
import { badRequest, type HttpServer, requirePrincipal } from '@flatrender/platform';
import { z } from 'zod';
import type { AccountManager } from '../account.manager';
import { userView } from '../identity.deps';
import type { TenantManager } from '../tenant.manager';
import { displayNameSchema, passwordSchema, tenantSchema, userSchema } from './schemas';

export function registerMeRoutes(app: HttpServer, accounts: AccountManager, tenants: TenantManager) {
  const tags = ['account'];

  app.get(
    '/v1/me',
    {
      schema: {
        tags,
        summary: 'The signed-in user, the current tenant and the scopes of this session',
        response: {
          200: z.object({
            user: userSchema,
            tenant: tenantSchema,
            scopes: z.array(z.string()),
            tenants: z.array(tenantSchema.extend({ current: z.boolean() })),
          }),
        },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req);
      const user = await accounts.profile(principal.userId);
      const mine = await tenants.listMine(principal.userId, principal.tenantId);
      const current = mine.find((t) => t.current);
      if (!current)
        throw badRequest('tenant_gone', 'You are no longer a member of this tenant; switch tenant.');
      const { current: _, ...tenant } = current;
      return { user: userView(user), tenant, scopes: [...principal.scopes], tenants: mine };
    },
  );

  app.patch(
    '/v1/me',
    {
      schema: {
        tags,
        summary: 'Update the profile',
        body: z
          .object({ display_name: displayNameSchema.optional(), locale: localeSchema.optional() })
          .refine((b) => b.display_name !== undefined || b.locale !== undefined, {
            message: 'give display_name or locale',
          }),
        response: { 200: userSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { userOnly: true });
      return accounts.updateProfile(principal.userId, {
        ...(req.body.display_name ? { displayName: req.body.display_name } : {}),
        ...(req.body.locale ? { locale: req.body.locale } : {}),
      });
    },
  );

  app.post(
    '/v1/me/password',
    {
      schema: {
        tags,
        summary: 'Change the password (ends the other sessions)',
        body: z.object({ current_password: passwordSchema, new_password: passwordSchema }),
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { userOnly: true });
      await accounts.changePassword(
        principal.userId,
        principal.sessionId,
        req.body.current_password,
        req.body.new_password,
      );
      return reply.code(204).send();
    },
  );
}
