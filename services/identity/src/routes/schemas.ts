import {
  API_KEY_SCOPES,
  localeSchema,
  planCodeSchema,
  planLimitsSchema,
  TENANT_ROLES,
  uuidSchema,
} from '@flatrender/contracts';
import { badRequest } from '@flatrender/platform';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../domain/password-policy';

export const emailSchema = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase())
  .describe('Email address (case-insensitive)');
/** Length and strength are judged by the password policy, which names the problem. */
export const passwordSchema = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH * 4)
  .describe('Password');
export const displayNameSchema = z.string().trim().min(1).max(100).describe('Name shown to others');
export const tokenParamSchema = z.string().min(16).max(256).describe('One-time secret from the emailed link');

export const userSchema = z.object({
  id: uuidSchema,
  email: z.string(),
  display_name: z.string(),
  locale: localeSchema,
  email_verified: z.boolean(),
  platform_admin: z.boolean(),
  created_at: z.string(),
});

export const tenantSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  slug: z.string(),
  kind: z.enum(['personal', 'organization']),
  role: z.enum(TENANT_ROLES),
  suspended: z.boolean(),
});

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.int().describe('Seconds until the access token expires'),
  refresh_token: z.string().describe('Opaque; rotates on every use'),
  user: userSchema,
  tenant: tenantSchema,
});

export const acceptedSchema = z.object({ status: z.literal('accepted') });

export const planSchema = z.object({
  code: planCodeSchema,
  name: z.object({ fa: z.string(), en: z.string() }),
  limits: planLimitsSchema,
  price: z.int().describe('Price of one period in rial'),
  currency: z.literal('IRR'),
  period_days: z.int(),
  active: z.boolean(),
});

export const paymentSchema = z.object({
  id: uuidSchema,
  tenant_id: uuidSchema,
  provider: z.enum(['zarinpal', 'manual']),
  kind: z.enum(['plan', 'balance']),
  plan_code: z.string().nullable(),
  amount: z.int(),
  currency: z.literal('IRR'),
  status: z.enum(['pending', 'verifying', 'succeeded', 'failed']),
  provider_reference: z.string().nullable(),
  card_mask: z.string().nullable(),
  failure_code: z.string().nullable(),
  refunded_amount: z.int(),
  created_at: z.string(),
  paid_at: z.string().nullable(),
});

export const apiKeySchema = z.object({
  id: uuidSchema,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  created_by: uuidSchema,
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  created_at: z.string(),
});

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Items per page (1-100)'),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
});

export const idParamsSchema = z.object({ id: uuidSchema });

export function page<T>(itemSchema: z.ZodType<T>) {
  return z.object({ items: z.array(itemSchema), next_cursor: z.string().nullable() });
}

/** Opaque keyset cursor over (created_at desc, id desc). */
export function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || !uuidSchema.safeParse(id).success) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw badRequest('invalid_cursor', 'query field "cursor": not a cursor this list gave out.', 'cursor');
  }
}

export function pageOf<R extends { created_at: Date; id: string }, V>(
  result: { rows: R[]; more: boolean },
  view: (row: R) => V,
) {
  const last = result.rows.at(-1);
  return { items: result.rows.map(view), next_cursor: result.more && last ? encodeCursor(last) : null };
}
