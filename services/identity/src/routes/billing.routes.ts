import { planCodeSchema } from '@flatrender/contracts';
import { type HttpServer, notFound, requirePrincipal } from '@flatrender/platform';
import { z } from 'zod';
import type { AccountManager } from '../account.manager';
import type { BillingManager } from '../billing.manager';
import { paymentView } from '../billing.manager';
import * as billing from '../billing.repository';
import type { IdentityDeps } from '../identity.deps';
import {
  decodeCursor,
  idParamsSchema,
  page,
  pageOf,
  pageQuerySchema,
  paymentSchema,
  planSchema,
} from './schemas';

export function registerBillingRoutes(
  app: HttpServer,
  deps: IdentityDeps,
  billingManager: BillingManager,
  accounts: AccountManager,
) {
  app.get(
    '/v1/plans',
    {
      schema: {
        tags: ['plans'],
        summary: 'Plans on offer, with their limits and prices',
        response: { 200: z.object({ items: z.array(planSchema) }) },
      },
    },
    async () => ({ items: await billingManager.listPlans() }),
  );

  const tags = ['payments'];

  app.post(
    '/v1/payments',
    {
      schema: {
        tags,
        summary: 'Start paying for a plan period or a balance credit; send the payer to redirect_url',
        body: z.union([
          z.object({ plan_code: planCodeSchema }).strict(),
          z
            .object({ amount: z.int().min(10_000).max(10_000_000_000).describe('Balance credit in rial') })
            .strict(),
        ]),
        response: { 201: z.object({ payment: paymentSchema, redirect_url: z.string() }) },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req, { userOnly: true, role: 'owner' });
      const user = await accounts.profile(principal.userId);
      const body = req.body as { plan_code?: string; amount?: number };
      const result = await billingManager.startPayment(principal.tenantId, principal.userId, {
        ...(body.plan_code ? { planCode: body.plan_code } : {}),
        ...(body.amount ? { amount: body.amount } : {}),
        email: user.email,
      });
      return reply.code(201).send({ payment: result.payment, redirect_url: result.redirectUrl });
    },
  );

  app.get(
    '/v1/payments',
    {
      schema: {
        tags,
        summary: "The current tenant's payments, newest first",
        querystring: pageQuerySchema,
        response: { 200: page(paymentSchema) },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { userOnly: true, role: 'admin' });
      const after = decodeCursor(req.query.cursor);
      const rows = await deps.db.withTenant(principal.tenantId, (tx) =>
        billing.listPayments(tx, {
          tenantId: principal.tenantId,
          limit: req.query.limit + 1,
          ...(after ? { after } : {}),
        }),
      );
      return pageOf(
        { rows: rows.slice(0, req.query.limit), more: rows.length > req.query.limit },
        paymentView,
      );
    },
  );

  app.get(
    '/v1/payments/callback',
    {
      schema: {
        tags,
        summary: "The payment broker's return (browser redirect); verified with the broker, never trusted",
        querystring: z.object({
          Authority: z.string().min(1).max(100),
          Status: z.string().max(10).optional(),
        }),
      },
    },
    async (req, reply) => {
      const payment = await billingManager.handleCallback(req.query.Authority, req.query.Status);
      if (!payment) throw notFound('Payment');
      const target = new URL(deps.paymentReturnUrl);
      target.searchParams.set('payment_id', payment.id);
      target.searchParams.set('status', payment.status);
      return reply.redirect(target.toString(), 303);
    },
  );

  app.get(
    '/v1/payments/:id',
    {
      schema: {
        tags,
        summary: 'One payment of the current tenant',
        params: idParamsSchema,
        response: { 200: paymentSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { userOnly: true, role: 'admin' });
      const payment = await deps.db.withTenant(principal.tenantId, (tx) =>
        billing.findPayment(tx, req.params.id),
      );
      if (!payment) throw notFound('Payment');
      return paymentView(payment);
    },
  );
}
