import type { Locale } from '@flatrender/contracts';
import { type Selectable, sql } from 'kysely';
import type { RecipientTable, NotificationTx as T, TenantContactTable } from './notification.db';

export type Recipient = Selectable<RecipientTable>;
export type TenantContact = Selectable<TenantContactTable>;

export interface RecipientFacts {
  user_id: string;
  email: string;
  display_name: string;
  locale: Locale;
  email_verified: boolean;
  personal_tenant_id: string | null;
}

/** Records what identity says about a user; a later announcement wins (address, name, language). */
export async function upsertRecipient(tx: T, facts: RecipientFacts): Promise<void> {
  await tx
    .insertInto('recipient')
    .values({ ...facts, email: facts.email.toLowerCase() })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        email: eb.ref('excluded.email'),
        display_name: eb.ref('excluded.display_name'),
        locale: eb.ref('excluded.locale'),
        email_verified: eb.ref('excluded.email_verified'),
        personal_tenant_id: sql<
          string | null
        >`coalesce(excluded.personal_tenant_id, recipient.personal_tenant_id)`,
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export function findRecipient(tx: T, userId: string): Promise<Recipient | undefined> {
  return tx.selectFrom('recipient').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** The address identity verified becomes the one mail goes to. */
export async function markEmailVerified(
  tx: T,
  userId: string,
  email: string,
): Promise<Recipient | undefined> {
  return tx
    .updateTable('recipient')
    .set({ email: email.toLowerCase(), email_verified: true, updated_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export async function updateRecipient(
  tx: T,
  userId: string,
  changes: Partial<Pick<Recipient, 'locale' | 'phone' | 'phone_verified_at' | 'telegram_chat_id'>>,
): Promise<void> {
  await tx
    .updateTable('recipient')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .execute();
}

/** A chat belongs to one user: linking it elsewhere unlinks it here. */
export async function linkTelegramChat(tx: T, userId: string, chatId: string): Promise<void> {
  await tx
    .updateTable('recipient')
    .set({ telegram_chat_id: null, updated_at: sql<Date>`now()` })
    .where('telegram_chat_id', '=', chatId)
    .where('user_id', '<>', userId)
    .execute();
  await updateRecipient(tx, userId, { telegram_chat_id: chatId });
}

export async function unlinkTelegramChat(tx: T, chatId: string): Promise<void> {
  await tx
    .updateTable('recipient')
    .set({ telegram_chat_id: null, updated_at: sql<Date>`now()` })
    .where('telegram_chat_id', '=', chatId)
    .execute();
}

export interface TenantFacts {
  tenant_id: string;
  name: string;
  kind: 'personal' | 'organization';
  owner_user_id: string;
  locale: Locale;
}

export async function upsertTenant(tx: T, facts: TenantFacts): Promise<void> {
  await tx
    .insertInto('tenant_contact')
    .values({ ...facts, subscription_id: null, plan_name: null })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        kind: eb.ref('excluded.kind'),
        owner_user_id: eb.ref('excluded.owner_user_id'),
        locale: eb.ref('excluded.locale'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export function findTenant(tx: T, tenantId: string): Promise<TenantContact | undefined> {
  return tx.selectFrom('tenant_contact').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

/**
 * Keeps the paid period in force, ignoring announcements older than the one recorded (events can
 * arrive out of order; `effective_at` orders them). Returns false when the tenant is unknown.
 */
export async function recordPlan(
  tx: T,
  tenantId: string,
  plan: {
    subscription_id: string;
    name: { fa: string; en: string };
    expires_at: string | null;
    effective_at: string;
  },
): Promise<boolean> {
  const result = await tx
    .updateTable('tenant_contact')
    .set({
      subscription_id: plan.subscription_id,
      plan_name: JSON.stringify(plan.name),
      plan_expires_at: plan.expires_at,
      plan_effective_at: plan.effective_at,
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb('plan_effective_at', 'is', null),
        eb('plan_effective_at', '<=', new Date(plan.effective_at)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Tenants whose paid period ends within `windowMs` and whose owner was not reminded of that end yet. */
export function tenantsDueForExpiryNotice(tx: T, now: Date, windowMs: number, limit: number) {
  return tx
    .selectFrom('tenant_contact')
    .selectAll()
    .where('plan_expires_at', '>', now)
    .where('plan_expires_at', '<=', new Date(now.getTime() + windowMs))
    .where((eb) =>
      eb.or([
        eb('expiry_noticed_for', 'is', null),
        eb('expiry_noticed_for', '<>', eb.ref('plan_expires_at')),
      ]),
    )
    .orderBy('plan_expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markExpiryNoticed(tx: T, tenantId: string, expiresAt: Date): Promise<void> {
  await tx
    .updateTable('tenant_contact')
    .set({ expiry_noticed_for: expiresAt })
    .where('tenant_id', '=', tenantId)
    .execute();
}

export async function recordJob(tx: T, job: { job_id: string; tenant_id: string; requested_by: string }) {
  await tx
    .insertInto('render_job')
    .values(job)
    .onConflict((oc) => oc.column('job_id').doNothing())
    .execute();
}

/** Who asked for a job, forgetting it when `forget` (its outcome has been told). */
export async function jobRequester(tx: T, jobId: string, forget: boolean): Promise<string | undefined> {
  const row = forget
    ? await tx
        .deleteFrom('render_job')
        .where('job_id', '=', jobId)
        .returning('requested_by')
        .executeTakeFirst()
    : await tx.selectFrom('render_job').select('requested_by').where('job_id', '=', jobId).executeTakeFirst();
  return row?.requested_by;
}

export interface PhoneCode {
  phone: string;
  code_hash: string;
  attempts: number;
  expires_at: Date;
  sent_at: Date;
}

/** The code waiting for a user's number, locked until the transaction ends. */
export function pendingPhoneCode(tx: T, userId: string): Promise<PhoneCode | undefined> {
  return tx
    .selectFrom('phone_verification')
    .select(['phone', 'code_hash', 'attempts', 'expires_at', 'sent_at'])
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** A new code for a number, replacing any earlier one (its tries start over). */
export async function savePhoneCode(
  tx: T,
  code: { user_id: string; phone: string; code_hash: string; expires_at: Date },
): Promise<void> {
  await tx
    .insertInto('phone_verification')
    .values(code)
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        phone: code.phone,
        code_hash: code.code_hash,
        attempts: 0,
        expires_at: code.expires_at,
        sent_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

export async function countPhoneCodeTry(tx: T, userId: string): Promise<void> {
  await tx
    .updateTable('phone_verification')
    .set({ attempts: sql<number>`attempts + 1` })
    .where('user_id', '=', userId)
    .execute();
}

export async function dropPhoneCode(tx: T, userId: string): Promise<void> {
  await tx.deleteFrom('phone_verification').where('user_id', '=', userId).execute();
}

/** A user's one open Telegram link code: asking again replaces the previous one. */
export async function replaceTelegramCode(
  tx: T,
  code: { code_hash: string; user_id: string; expires_at: Date },
): Promise<void> {
  await tx.deleteFrom('telegram_link_code').where('user_id', '=', code.user_id).execute();
  await tx.insertInto('telegram_link_code').values(code).execute();
}

/** Uses up a Telegram link code: whose it was and until when it was valid (undefined: unknown). */
export function takeTelegramCode(tx: T, codeHash: string) {
  return tx
    .deleteFrom('telegram_link_code')
    .where('code_hash', '=', codeHash)
    .returning(['user_id', 'expires_at'])
    .executeTakeFirst();
}

/** Forgets link and verification codes that expired. */
export async function pruneExpiredCodes(tx: T, now: Date): Promise<void> {
  await tx.deleteFrom('telegram_link_code').where('expires_at', '<', now).execute();
  await tx.deleteFrom('phone_verification').where('expires_at', '<', now).execute();
}
