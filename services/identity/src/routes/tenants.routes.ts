import { localeSchema, uuidSchema } from '@flatrender/contracts';
import { type HttpServer, requirePrincipal } from '@flatrender/platform';
import { z } from 'zod';
import { invitationView, type TenantManager } from '../tenant.manager';
import {
  decodeCursor,
  emailSchema,
  idParamsSchema,
  page,
  pageOf,
  pageQuerySchema,
  tenantSchema,
  tokenParamSchema,
} from './schemas';

const invitableRole = z.enum(['admin', 'editor', 'viewer']);
const memberSchema = z.object({
  user_id: uuidSchema,
  email: z.string(),
  display_name: z.string(),
  role: z.enum(['owner', 'admin', 'editor', 'viewer']),
  joined_at: z.string(),
});
const invitationSchema = z.object({
  id: uuidSchema,
  email: z.string(),
  role: invitableRole,
  invited_by: uuidSchema,
  expires_at: z.string(),
  created_at: z.string(),
});
const tenantDetailsSchema = tenantSchema.extend({
  locale: localeSchema,
  balance: z.int().describe('Balance in rial'),
  currency: z.literal('IRR'),
  plan: z.object({
    code: z.string(),
    name: z.object({ fa: z.string(), en: z.string() }),
    limits: z.record(z.string(), z.unknown()),
    subscription_id: uuidSchema,
    starts_at: z.string(),
    expires_at: z.string().nullable(),
  }),
  usage: z.object({ period: z.string(), totals: z.record(z.string(), z.number()) }),
  created_at: z.string(),
});

export function registerTenantRoutes(app: HttpServer, tenants: TenantManager) {
  const tags = ['tenants'];

  app.get(
    '/v1/tenants',
    {
      schema: {
        tags,
        summary: "The caller's tenants (switch with POST /v1/auth/switch-tenant)",
        response: { 200: z.object({ items: z.array(tenantSchema.extend({ current: z.boolean() })) }) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { userOnly: true });
      return { items: await tenants.listMine(principal.userId, principal.tenantId) };
    },
  );

  app.post(
    '/v1/tenants',
    {
      schema: {
        tags,
        summary: 'Create a team tenant owned by the caller (on the free plan)',
        body: z.object({ name: z.string().trim().min(1).max(100), locale: localeSchema.optional() }),
        response: { 201: tenantSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { userOnly: true });
      return reply.code(201).send(await tenants.createTeam(principal, req.body.name, req.body.locale));
    },
  );

  app.get(
    '/v1/tenants/:id',
    {
      schema: {
        tags,
        summary: 'The current tenant with its plan, balance and usage',
        params: idParamsSchema,
        response: { 200: tenantDetailsSchema },
      },
    },
    async (req) => tenants.details(requirePrincipal(req, { userOnly: true }), req.params.id),
  );

  app.patch(
    '/v1/tenants/:id',
    {
      schema: {
        tags,
        summary: 'Rename the current tenant',
        params: idParamsSchema,
        body: z.object({ name: z.string().trim().min(1).max(100) }),
        response: { 200: tenantSchema },
      },
    },
    async (req) =>
      tenants.rename(requirePrincipal(req, { userOnly: true, role: 'admin' }), req.params.id, req.body.name),
  );

  app.get(
    '/v1/tenants/:id/members',
    {
      schema: {
        tags,
        summary: 'Members of the current tenant',
        params: idParamsSchema,
        querystring: z.object({
          limit: pageQuerySchema.shape.limit,
          cursor: uuidSchema.optional().describe('`next_cursor` of the previous page'),
        }),
        response: { 200: page(memberSchema) },
      },
    },
    async (req) =>
      tenants.listMembers(
        requirePrincipal(req, { userOnly: true }),
        req.params.id,
        req.query.limit,
        req.query.cursor,
      ),
  );

  app.patch(
    '/v1/tenants/:id/members/:userId',
    {
      schema: {
        tags,
        summary: "Change a member's role (owners: any but owner; admins: editor and viewer)",
        params: z.object({ id: uuidSchema, userId: uuidSchema }),
        body: z.object({ role: invitableRole }),
        response: { 200: z.object({ user_id: uuidSchema, role: invitableRole }) },
      },
    },
    async (req) =>
      tenants.changeRole(
        requirePrincipal(req, { userOnly: true, role: 'admin' }),
        req.params.id,
        req.params.userId,
        req.body.role,
      ),
  );

  app.delete(
    '/v1/tenants/:id/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member (admins), or leave (anyone but the owner)',
        params: z.object({ id: uuidSchema, userId: uuidSchema }),
      },
    },
    async (req, reply) => {
      await tenants.removeMember(requirePrincipal(req, { userOnly: true }), req.params.id, req.params.userId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/tenants/:id/invitations',
    {
      schema: {
        tags,
        summary: 'Open invitations of the current tenant',
        params: idParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: page(invitationSchema) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { userOnly: true, role: 'admin' });
      const result = await tenants.listInvitations(
        principal,
        req.params.id,
        req.query.limit,
        decodeCursor(req.query.cursor),
      );
      return pageOf(result, invitationView);
    },
  );

  app.post(
    '/v1/tenants/:id/invitations',
    {
      schema: {
        tags,
        summary: 'Invite someone by email (mails them a link)',
        params: idParamsSchema,
        body: z.object({ email: emailSchema, role: invitableRole.default('editor') }),
        response: { 201: invitationSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { userOnly: true, role: 'admin' });
      return reply
        .code(201)
        .send(await tenants.invite(principal, req.params.id, req.body.email, req.body.role));
    },
  );

  app.delete(
    '/v1/tenants/:id/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Withdraw an open invitation',
        params: z.object({ id: uuidSchema, invitationId: uuidSchema }),
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { userOnly: true, role: 'admin' });
      await tenants.revokeInvitation(principal, req.params.id, req.params.invitationId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation sent to your email address',
        params: z.object({ token: tokenParamSchema }),
        response: { 200: tenantSchema },
      },
    },
    async (req) => tenants.accept(requirePrincipal(req, { userOnly: true }), req.params.token),
  );
}
