import { localeSchema, uuidSchema } from '@flatrender/contracts';
import { badRequest, type HttpServer, requirePrincipal } from '@flatrender/platform';
import { parse as parseCookie } from 'cookie';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AccountManager } from '../account.manager';
import type { SessionManager } from '../session.manager';
import {
  acceptedSchema,
  displayNameSchema,
  emailSchema,
  passwordSchema,
  tokenParamSchema,
  tokenResponseSchema,
} from './schemas';

/** The web app keeps the refresh token in this httpOnly cookie. */
export const REFRESH_COOKIE = 'fr_refresh';

const refreshBody = z
  .object({ refresh_token: z.string().min(16).max(256).optional() })
  .nullish()
  .describe(`The refresh token; may instead come in the ${REFRESH_COOKIE} cookie (the body wins)`);

/** The body's refresh token, else the cookie's. */
function refreshTokenOf(
  req: FastifyRequest,
  body: { refresh_token?: string | undefined } | null | undefined,
): string | undefined {
  if (body?.refresh_token) return body.refresh_token;
  const header = req.headers.cookie;
  if (!header) return undefined;
  const value = parseCookie(header)[REFRESH_COOKIE];
  return value && value.length >= 16 && value.length <= 256 ? value : undefined;
}

export function registerAuthRoutes(app: HttpServer, accounts: AccountManager, sessions: SessionManager) {
  const tags = ['auth'];

  app.post(
    '/v1/auth/register',
    {
      schema: {
        tags,
        summary: 'Create an account (answers the same whether or not the email is taken)',
        body: z.object({
          email: emailSchema,
          password: passwordSchema,
          display_name: displayNameSchema,
          locale: localeSchema.default('fa'),
          invitation_token: tokenParamSchema
            .optional()
            .describe('Token of a team invitation sent to this email'),
        }),
        response: { 202: acceptedSchema },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const result = await accounts.register({
        email: b.email,
        password: b.password,
        displayName: b.display_name,
        locale: b.locale,
        ...(b.invitation_token ? { invitationToken: b.invitation_token } : {}),
      });
      return reply.code(202).send(result);
    },
  );

  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with email and password',
        body: z.object({
          email: emailSchema,
          password: passwordSchema,
          tenant_id: uuidSchema.optional().describe('Tenant to act in; default: the last one used'),
        }),
        response: { 200: tokenResponseSchema },
      },
    },
    async (req) => sessions.login(req.body.email, req.body.password, req.body.tenant_id),
  );

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags,
        summary: 'Rotate the refresh token and get a new access token',
        body: refreshBody,
        response: { 200: tokenResponseSchema },
      },
    },
    async (req) => {
      const token = refreshTokenOf(req, req.body);
      if (!token)
        throw badRequest('invalid_request', 'body field "refresh_token" is required.', 'refresh_token');
      return sessions.refresh(token);
    },
  );

  app.post(
    '/v1/auth/switch-tenant',
    {
      schema: {
        tags,
        summary: 'Move the session to another tenant of the user (rotates the refresh token)',
        body: z.object({ tenant_id: uuidSchema, refresh_token: z.string().min(16).max(256).optional() }),
        response: { 200: tokenResponseSchema },
      },
    },
    async (req) => {
      const token = refreshTokenOf(req, req.body);
      if (!token)
        throw badRequest('invalid_request', 'body field "refresh_token" is required.', 'refresh_token');
      const caller = req.principal ? requirePrincipal(req, { userOnly: true }) : undefined;
      return sessions.refresh(token, req.body.tenant_id, caller?.userId);
    },
  );

  app.post(
    '/v1/auth/logout',
    { schema: { tags, summary: 'End the session', body: refreshBody } },
    async (req, reply) => {
      await sessions.logout(refreshTokenOf(req, req.body), req.principal?.sessionId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/auth/verify-email',
    {
      schema: {
        tags,
        summary: 'Verify the email address with the emailed token',
        body: z.object({ token: tokenParamSchema }),
      },
    },
    async (req, reply) => {
      await accounts.verifyEmail(req.body.token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/auth/resend-verification',
    {
      schema: {
        tags,
        summary: 'Mail a new verification link (same answer for any email)',
        body: z.object({ email: emailSchema }),
        response: { 202: acceptedSchema },
      },
    },
    async (req, reply) => reply.code(202).send(await accounts.resendVerification(req.body.email)),
  );

  app.post(
    '/v1/auth/password-reset/request',
    {
      schema: {
        tags,
        summary: 'Mail a password reset link (same answer for any email)',
        body: z.object({ email: emailSchema }),
        response: { 202: acceptedSchema },
      },
    },
    async (req, reply) => reply.code(202).send(await accounts.requestPasswordReset(req.body.email)),
  );

  app.post(
    '/v1/auth/password-reset/confirm',
    {
      schema: {
        tags,
        summary: 'Set a new password with the emailed token (ends every session)',
        body: z.object({ token: tokenParamSchema, password: passwordSchema }),
      },
    },
    async (req, reply) => {
      await accounts.confirmPasswordReset(req.body.token, req.body.password);
      return reply.code(204).send();
    },
  );
}
