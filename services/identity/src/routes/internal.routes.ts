import { type HttpServer, notFound, requireInternal } from '@flatrender/platform';
import { z } from 'zod';
import type { ApiKeyManager } from '../api-key.manager';
import type { IdentityDeps } from '../identity.deps';
import * as tenantRepo from '../tenant.repository';
import * as userRepo from '../user.repository';
import { idParamsSchema } from './schemas';

/** JWKS (public and internal), the API key exchange, and ban/suspension state for deny lists. */
export function registerKeyRoutes(app: HttpServer, deps: IdentityDeps, apiKeys: ApiKeyManager) {
  app.get(
    '/.well-known/jwks.json',
    { schema: { tags: ['auth'], summary: 'Public keys that verify access tokens (JWKS)' } },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return deps.keys.publicKeys();
    },
  );

  app.get('/internal/jwks', { schema: { hide: true } }, async (req) => {
    requireInternal(req, deps.ctx.secret);
    return deps.keys.publicKeys();
  });

  app.post(
    '/internal/api-keys/exchange',
    { schema: { hide: true, body: z.object({ key: z.string().min(1).max(200) }) } },
    async (req) => {
      requireInternal(req, deps.ctx.secret);
      return apiKeys.exchange(req.body.key);
    },
  );

  // The gateway's deny list learns bans and suspensions from events; there is no event when they are
  // lifted, so it asks here before keeping an entry (identity never mints tokens for a banned user).
  app.get('/internal/users/:id/status', { schema: { hide: true, params: idParamsSchema } }, async (req) => {
    requireInternal(req, deps.ctx.secret);
    const user = await deps.db.asSystem((tx) => userRepo.findUser(tx, req.params.id));
    if (!user) throw notFound('User');
    return {
      banned: userRepo.isBanned(user),
      banned_at: user.banned_at?.toISOString() ?? null,
      banned_until: user.banned_until?.toISOString() ?? null,
    };
  });

  // Notification learns contacts from identity's events; these answer for a user or tenant it has not
  // heard of (an event that reached it before the registration, or a notification deployed later).
  app.get('/internal/users/:id/contact', { schema: { hide: true, params: idParamsSchema } }, async (req) => {
    requireInternal(req, deps.ctx.secret);
    const user = await deps.db.asSystem((tx) => userRepo.findUser(tx, req.params.id));
    if (!user) throw notFound('User');
    return {
      user_id: user.id,
      email: user.email,
      display_name: user.display_name,
      locale: user.locale,
      email_verified: user.email_verified_at !== null,
      personal_tenant_id: user.personal_tenant_id,
    };
  });

  app.get(
    '/internal/tenants/:id/contact',
    { schema: { hide: true, params: idParamsSchema } },
    async (req) => {
      requireInternal(req, deps.ctx.secret);
      const found = await deps.db.asSystem(async (tx) => {
        const tenant = await tenantRepo.findTenant(tx, req.params.id);
        const owner = await tx
          .selectFrom('memberships')
          .select('user_id')
          .where('tenant_id', '=', req.params.id)
          .where('role', '=', 'owner')
          .executeTakeFirst();
        return tenant && owner ? { tenant, owner: owner.user_id } : undefined;
      });
      if (!found) throw notFound('Tenant');
      return {
        tenant_id: found.tenant.id,
        name: found.tenant.name,
        kind: found.tenant.kind,
        owner_user_id: found.owner,
        locale: found.tenant.locale,
      };
    },
  );

  app.get('/internal/tenants/:id/status', { schema: { hide: true, params: idParamsSchema } }, async (req) => {
    requireInternal(req, deps.ctx.secret);
    const tenant = await deps.db.asSystem((tx) => tenantRepo.findTenant(tx, req.params.id));
    if (!tenant) throw notFound('Tenant');
    return {
      suspended: tenantRepo.isSuspended(tenant),
      suspended_at: tenant.suspended_at?.toISOString() ?? null,
      suspended_until: tenant.suspended_until?.toISOString() ?? null,
    };
  });
}
