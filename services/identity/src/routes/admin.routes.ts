import {
  planCodeSchema,
  planLimitsSchema,
  REFUND_REASONS,
  TENANT_SUSPENSION_REASONS,
  timestampSchema,
  USER_BAN_REASONS,
  uuidSchema,
} from '@flatrender/contracts';
import { type HttpServer, requirePrincipal } from '@flatrender/platform';
import { z } from 'zod';
import type { AccountManager } from '../account.manager';
import { type BillingManager, paymentView } from '../billing.manager';
import * as billing from '../billing.repository';
import { type IdentityDeps, tenantView, userView } from '../identity.deps';
import type { TenantManager } from '../tenant.manager';
import * as tenantRepo from '../tenant.repository';
import * as userRepo from '../user.repository';
import {
  decodeCursor,
  idParamsSchema,
  page,
  pageOf,
  pageQuerySchema,
  paymentSchema,
  planSchema,
  tenantSchema,
  userSchema,
} from './schemas';

const adminUserSchema = userSchema.extend({
  banned: z.boolean(),
  banned_until: z.string().nullable(),
  ban_reason: z.string().nullable(),
  last_login_at: z.string().nullable(),
});
const adminTenantSchema = tenantSchema.omit({ role: true }).extend({
  balance: z.int(),
  suspended_until: z.string().nullable(),
  suspension_reason: z.string().nullable(),
  created_at: z.string(),
});
const nameSchema = z.object({ fa: z.string().min(1).max(100), en: z.string().min(1).max(100) });

export function registerAdminRoutes(
  app: HttpServer,
  deps: IdentityDeps,
  accounts: AccountManager,
  tenants: TenantManager,
  billingManager: BillingManager,
) {
  const admin = { platformAdmin: true, userOnly: true } as const;
  const tags = ['admin'];

  app.get(
    '/v1/admin/users',
    {
      schema: {
        tags,
        summary: 'Users, newest first',
        querystring: pageQuerySchema.extend({
          q: z.string().max(100).optional().describe('Part of the email or name'),
          banned: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: page(adminUserSchema) },
      },
    },
    async (req) => {
      requirePrincipal(req, admin);
      const { limit, cursor, q, banned } = req.query;
      const after = decodeCursor(cursor);
      const rows = await deps.db.asSystem((tx) =>
        userRepo.listUsers(tx, {
          limit: limit + 1,
          ...(q ? { search: q } : {}),
          ...(banned ? { banned: banned === 'true' } : {}),
          ...(after ? { after } : {}),
        }),
      );
      return pageOf({ rows: rows.slice(0, limit), more: rows.length > limit }, (u) => ({
        ...userView(u),
        banned: userRepo.isBanned(u),
        banned_until: u.banned_until?.toISOString() ?? null,
        ban_reason: u.ban_reason,
        last_login_at: u.last_login_at?.toISOString() ?? null,
      }));
    },
  );

  app.post(
    '/v1/admin/users/:id/ban',
    {
      schema: {
        tags,
        summary: 'Ban a user: sessions end now, tokens are refused within their lifetime',
        params: idParamsSchema,
        body: z.object({
          reason_code: z.enum(USER_BAN_REASONS),
          note: z.string().max(1000).optional(),
          until: timestampSchema.optional().describe('End of the ban; omitted = permanent'),
        }),
        response: { 200: userSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, admin);
      return accounts.ban(principal.userId, req.params.id, {
        reasonCode: req.body.reason_code,
        ...(req.body.note ? { note: req.body.note } : {}),
        ...(req.body.until ? { until: new Date(req.body.until) } : {}),
      });
    },
  );

  app.post(
    '/v1/admin/users/:id/unban',
    { schema: { tags, summary: 'Lift a ban', params: idParamsSchema, response: { 200: userSchema } } },
    async (req) => {
      requirePrincipal(req, admin);
      return accounts.unban(req.params.id);
    },
  );

  app.get(
    '/v1/admin/tenants',
    {
      schema: {
        tags,
        summary: 'Tenants, newest first',
        querystring: pageQuerySchema.extend({
          q: z.string().max(100).optional().describe('Part of the slug or name'),
          suspended: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: page(adminTenantSchema) },
      },
    },
    async (req) => {
      requirePrincipal(req, admin);
      const { limit, cursor, q, suspended } = req.query;
      const after = decodeCursor(cursor);
      const rows = await deps.db.asSystem((tx) =>
        tenantRepo.listTenants(tx, {
          limit: limit + 1,
          ...(q ? { search: q } : {}),
          ...(suspended ? { suspended: suspended === 'true' } : {}),
          ...(after ? { after } : {}),
        }),
      );
      return pageOf({ rows: rows.slice(0, limit), more: rows.length > limit }, (t) => {
        const { role: _, ...view } = tenantView(t, 'owner');
        return {
          ...view,
          balance: Number(t.balance),
          suspended_until: t.suspended_until?.toISOString() ?? null,
          suspension_reason: t.suspension_reason,
          created_at: t.created_at.toISOString(),
        };
      });
    },
  );

  app.post(
    '/v1/admin/tenants/:id/suspend',
    {
      schema: {
        tags,
        summary: 'Suspend a tenant: no new renders or uploads',
        params: idParamsSchema,
        body: z.object({
          reason_code: z.enum(TENANT_SUSPENSION_REASONS),
          note: z.string().max(1000).optional(),
          until: timestampSchema.optional().describe('Automatic end; omitted = until lifted'),
        }),
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, admin);
      await tenants.suspend(principal.userId, req.params.id, {
        reasonCode: req.body.reason_code,
        ...(req.body.note ? { note: req.body.note } : {}),
        ...(req.body.until ? { until: new Date(req.body.until) } : {}),
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/admin/tenants/:id/unsuspend',
    { schema: { tags, summary: 'Lift a suspension', params: idParamsSchema } },
    async (req, reply) => {
      requirePrincipal(req, admin);
      await tenants.unsuspend(req.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/admin/plans',
    {
      schema: {
        tags,
        summary: 'Every plan, inactive ones too',
        response: { 200: z.object({ items: z.array(planSchema) }) },
      },
    },
    async (req) => {
      requirePrincipal(req, admin);
      return { items: await billingManager.listPlans(true) };
    },
  );

  app.post(
    '/v1/admin/plans',
    {
      schema: {
        tags,
        summary: 'Add a plan',
        body: z.object({
          code: planCodeSchema,
          name: nameSchema,
          limits: planLimitsSchema,
          price: z.int().min(0),
          period_days: z.int().min(1).max(3660),
          sort: z.int().optional(),
        }),
        response: { 201: planSchema },
      },
    },
    async (req, reply) => {
      requirePrincipal(req, admin);
      const b = req.body;
      const plan = await billingManager.createPlan({
        code: b.code,
        name: b.name,
        limits: b.limits,
        price: b.price,
        periodDays: b.period_days,
        ...(b.sort !== undefined ? { sort: b.sort } : {}),
      });
      return reply.code(201).send(plan);
    },
  );

  app.patch(
    '/v1/admin/plans/:code',
    {
      schema: {
        tags,
        summary: 'Edit a plan; tenants on it get its new limits at once',
        params: z.object({ code: planCodeSchema }),
        body: z.object({
          name: nameSchema.optional(),
          limits: planLimitsSchema.partial().optional(),
          price: z.int().min(0).optional(),
          period_days: z.int().min(1).max(3660).optional(),
          active: z.boolean().optional(),
          sort: z.int().optional(),
        }),
        response: { 200: planSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, admin);
      const b = req.body;
      return billingManager.editPlan(
        req.params.code,
        {
          ...(b.name ? { name: b.name } : {}),
          ...(b.limits ? { limits: b.limits as never } : {}),
          ...(b.price !== undefined ? { price: b.price } : {}),
          ...(b.period_days !== undefined ? { periodDays: b.period_days } : {}),
          ...(b.active !== undefined ? { active: b.active } : {}),
          ...(b.sort !== undefined ? { sort: b.sort } : {}),
        },
        principal.userId,
      );
    },
  );

  app.get(
    '/v1/admin/payments',
    {
      schema: {
        tags,
        summary: 'Payments of every tenant (or one), newest first',
        querystring: pageQuerySchema.extend({ tenant_id: uuidSchema.optional() }),
        response: { 200: page(paymentSchema) },
      },
    },
    async (req) => {
      requirePrincipal(req, admin);
      const { limit, cursor, tenant_id } = req.query;
      const after = decodeCursor(cursor);
      const rows = await deps.db.asSystem((tx) =>
        billing.listPayments(tx, {
          limit: limit + 1,
          ...(tenant_id ? { tenantId: tenant_id } : {}),
          ...(after ? { after } : {}),
        }),
      );
      return pageOf({ rows: rows.slice(0, limit), more: rows.length > limit }, paymentView);
    },
  );

  app.post(
    '/v1/admin/payments',
    {
      schema: {
        tags,
        summary: 'Record a manual payment: a plan period or a balance credit',
        body: z
          .object({
            tenant_id: uuidSchema,
            plan_code: planCodeSchema.optional().describe('Plan to activate; omitted = balance credit'),
            amount: z
              .int()
              .min(1)
              .max(10_000_000_000)
              .optional()
              .describe('Rial; default for a plan: its price'),
            reference: z.string().min(1).max(100).optional().describe('Bank or receipt reference'),
            note: z.string().max(1000).optional(),
          })
          .refine((b) => b.plan_code !== undefined || b.amount !== undefined, {
            message: 'give plan_code or amount',
            path: ['amount'],
          }),
        response: { 201: paymentSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, admin);
      const b = req.body;
      const payment = await billingManager.recordManualPayment({
        tenantId: b.tenant_id,
        adminId: principal.userId,
        ...(b.plan_code ? { planCode: b.plan_code } : {}),
        ...(b.amount ? { amount: b.amount } : {}),
        ...(b.reference ? { reference: b.reference } : {}),
        ...(b.note ? { note: b.note } : {}),
      });
      return reply.code(201).send(payment);
    },
  );

  app.post(
    '/v1/admin/payments/:id/refund',
    {
      schema: {
        tags,
        summary: 'Record a refund (all of what is left by default)',
        params: idParamsSchema,
        body: z.object({ amount: z.int().min(1).optional(), reason_code: z.enum(REFUND_REASONS) }),
        response: { 200: paymentSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, admin);
      return billingManager.refund({
        paymentId: req.params.id,
        adminId: principal.userId,
        reasonCode: req.body.reason_code,
        ...(req.body.amount ? { amount: req.body.amount } : {}),
      });
    },
  );
}
