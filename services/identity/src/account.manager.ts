import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locale, USER_BAN_REASONS } from '@flatrender/contracts';
import { badRequest, forbidden, HttpError, notFound, type Tx } from '@flatrender/platform';
import { commonPasswords } from './common-passwords';
import { checkPassword, PASSWORD_PROBLEM_MESSAGES, type PasswordContext } from './domain/password-policy';
import { hashSecret, newSecretToken } from './domain/secret-token';
import { type IdentityDeps, type UserView, userView } from './identity.deps';
import type { EmailTokenPurpose, IdentityDb } from './identity.tables';
import * as sessions from './session.repository';
import type { TenantManager } from './tenant.manager';
import * as tenants from './tenant.repository';
import type { UserRow } from './user.repository';
import * as users from './user.repository';

type T = Tx<IdentityDb>;

export const ADMIN_EMAIL = 'admin@flatrender.local';

/** The same answer whether or not the email has an account (ASVS 6.3.8: no account enumeration). */
export const ACCEPTED = { status: 'accepted' } as const;

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
  locale: Locale;
  invitationToken?: string;
}

/** Accounts: registration, email verification, passwords, profile, bans. */
export class AccountManager {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly tenantManager: TenantManager,
  ) {}

  /**
   * Creates an account with its personal tenant and mails the verification link (through the
   * `identity.user.registered.v1` event). An email that has an account already gets the same answer
   * and the same hashing work; an unverified one is taken over by the newest registration (only the
   * mailbox owner can complete it), a verified one is left alone.
   */
  async register(input: RegisterInput): Promise<typeof ACCEPTED> {
    const email = input.email.toLowerCase();
    this.assertPassword(input.password, { email, displayName: input.displayName });
    const passwordHash = await this.deps.hasher.hash(input.password);
    const { ctx } = this.deps;
    await this.deps.db.asSystem(async (tx) => {
      const existing = await users.findUserByEmail(tx, email);
      const now = new Date();
      if (existing) {
        if (existing.email_verified_at) return;
        await users.updateUser(tx, existing.id, {
          password_hash: passwordHash,
          display_name: input.displayName,
          locale: input.locale,
        });
        await this.mailToken(
          tx,
          { ...existing, display_name: input.displayName, locale: input.locale },
          'verify_email',
        );
        return;
      }
      const invitation = input.invitationToken
        ? await tenants.findInvitationByTokenHash(tx, hashSecret(input.invitationToken))
        : undefined;
      const invited =
        invitation &&
        !invitation.accepted_at &&
        !invitation.revoked_at &&
        invitation.expires_at > now &&
        invitation.email === email
          ? invitation
          : undefined;
      const user = await users.insertUser(tx, {
        id: randomUUID(),
        email,
        password_hash: passwordHash,
        display_name: input.displayName,
        locale: input.locale,
        email_verified_at: invited ? now : null,
      });
      let verification: { token: string; expires_at: string } | null = null;
      if (!invited) {
        const token = await this.newEmailToken(tx, user.id, 'verify_email');
        verification = { token: token.token, expires_at: token.expiresAt.toISOString() };
      }
      const personal = await this.tenantManager.createTenant(tx, user, {
        name: input.displayName,
        kind: 'personal',
        locale: input.locale,
      });
      let lastTenant = personal.id;
      if (invited) {
        await tenants.insertMembership(tx, invited.tenant_id, user.id, invited.role);
        await tenants.updateInvitation(tx, invited.id, { accepted_at: now, accepted_by: user.id });
        lastTenant = invited.tenant_id;
      }
      await users.updateUser(tx, user.id, { personal_tenant_id: personal.id, last_tenant_id: lastTenant });
      await ctx.emit(
        tx,
        'identity.user.registered.v1',
        {
          user_id: user.id,
          email,
          display_name: user.display_name,
          locale: user.locale,
          personal_tenant_id: personal.id,
          signup_method: invited ? 'invitation' : 'password',
          email_verified: Boolean(invited),
          verification,
          registered_at: user.created_at.toISOString(),
        },
        { tenantId: personal.id, userId: user.id },
      );
    });
    return ACCEPTED;
  }

  async verifyEmail(token: string): Promise<void> {
    await this.deps.db.asSystem(async (tx) => {
      const row = await sessions.findEmailToken(tx, hashSecret(token), 'verify_email');
      const now = new Date();
      if (!row || row.used_at || row.expires_at <= now) {
        throw badRequest(
          'invalid_token',
          'body field "token": this link is invalid or has expired.',
          'token',
        );
      }
      const user = await users.findUser(tx, row.user_id, { forUpdate: true });
      if (!user)
        throw badRequest(
          'invalid_token',
          'body field "token": this link is invalid or has expired.',
          'token',
        );
      await sessions.useEmailTokens(tx, user.id, 'verify_email');
      if (user.email_verified_at) return;
      await users.updateUser(tx, user.id, { email_verified_at: now });
      await this.deps.ctx.emit(
        tx,
        'identity.user.email_verified.v1',
        { user_id: user.id, email: user.email, verified_at: now.toISOString() },
        { ...(user.personal_tenant_id ? { tenantId: user.personal_tenant_id } : {}), userId: user.id },
      );
    });
  }

  async resendVerification(email: string): Promise<typeof ACCEPTED> {
    await this.deps.db.asSystem(async (tx) => {
      const user = await users.findUserByEmail(tx, email);
      if (!user || user.email_verified_at || users.isBanned(user)) return;
      await this.mailToken(tx, user, 'verify_email');
    });
    return ACCEPTED;
  }

  async requestPasswordReset(email: string): Promise<typeof ACCEPTED> {
    await this.deps.db.asSystem(async (tx) => {
      const user = await users.findUserByEmail(tx, email);
      if (!user || users.isBanned(user)) return;
      await this.mailToken(tx, user, 'password_reset');
    });
    return ACCEPTED;
  }

  /**
   * Sets a new password from a reset link. Every session of the user ends (ASVS 7.4.3), and the link
   * proves the mailbox, so an unverified address becomes verified.
   */
  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const row = await this.deps.db.asSystem((tx) =>
      sessions.findEmailToken(tx, hashSecret(token), 'password_reset'),
    );
    const invalid = () =>
      badRequest('invalid_token', 'body field "token": this link is invalid or has expired.', 'token');
    if (!row || row.used_at || row.expires_at <= new Date()) throw invalid();
    const user = await this.deps.db.asSystem((tx) => users.findUser(tx, row.user_id));
    if (!user) throw invalid();
    this.assertPassword(password, { email: user.email, displayName: user.display_name });
    const passwordHash = await this.deps.hasher.hash(password);
    await this.deps.db.asSystem(async (tx) => {
      const again = await sessions.findEmailToken(tx, hashSecret(token), 'password_reset');
      if (!again || again.used_at) throw invalid();
      await sessions.useEmailTokens(tx, user.id, 'password_reset');
      const now = new Date();
      await users.updateUser(tx, user.id, {
        password_hash: passwordHash,
        ...(user.email_verified_at ? {} : { email_verified_at: now }),
      });
      await sessions.revokeUserFamilies(tx, user.id, 'password_reset');
      if (!user.email_verified_at) {
        await this.deps.ctx.emit(
          tx,
          'identity.user.email_verified.v1',
          { user_id: user.id, email: user.email, verified_at: now.toISOString() },
          { ...(user.personal_tenant_id ? { tenantId: user.personal_tenant_id } : {}), userId: user.id },
        );
      }
    });
  }

  async profile(userId: string): Promise<UserRow> {
    const user = await this.deps.db.asSystem((tx) => users.findUser(tx, userId));
    if (!user) throw notFound('User');
    return user;
  }

  async updateProfile(userId: string, changes: { displayName?: string; locale?: Locale }): Promise<UserView> {
    const user = await this.deps.db.asSystem((tx) =>
      users.updateUser(tx, userId, {
        ...(changes.displayName ? { display_name: changes.displayName } : {}),
        ...(changes.locale ? { locale: changes.locale } : {}),
      }),
    );
    return userView(user);
  }

  /** Changes the password after checking the current one; other sessions end, this one stays. */
  async changePassword(
    userId: string,
    sessionId: string | undefined,
    current: string,
    next: string,
  ): Promise<void> {
    const user = await this.profile(userId);
    if (!(await this.deps.hasher.verify(user.password_hash, current))) {
      throw badRequest(
        'invalid_credentials',
        'body field "current_password": the password is wrong.',
        'current_password',
      );
    }
    this.assertPassword(next, { email: user.email, displayName: user.display_name }, 'new_password');
    const passwordHash = await this.deps.hasher.hash(next);
    await this.deps.db.asSystem(async (tx) => {
      await users.updateUser(tx, userId, { password_hash: passwordHash });
      await sessions.revokeUserFamilies(tx, userId, 'password_changed', sessionId);
    });
  }

  // Platform admin

  /** Bans a user: their sessions end at once, and the event tells the gateway to refuse their tokens. */
  async ban(
    adminId: string,
    userId: string,
    input: { reasonCode: (typeof USER_BAN_REASONS)[number]; note?: string; until?: Date },
  ): Promise<UserView> {
    if (adminId === userId) throw forbidden('You cannot ban yourself.', 'cannot_ban_self');
    return this.deps.db.asSystem(async (tx) => {
      const user = await users.findUser(tx, userId, { forUpdate: true });
      if (!user) throw notFound('User');
      const now = new Date();
      const banned = await users.updateUser(tx, userId, {
        banned_at: now,
        banned_until: input.until ?? null,
        ban_reason: input.reasonCode,
        ban_note: input.note ?? null,
      });
      await sessions.revokeUserFamilies(tx, userId, 'banned');
      await this.deps.ctx.emit(
        tx,
        'identity.user.banned.v1',
        {
          user_id: userId,
          reason_code: input.reasonCode,
          ...(input.note ? { note: input.note } : {}),
          banned_until: input.until?.toISOString() ?? null,
          banned_at: now.toISOString(),
        },
        { userId: adminId },
      );
      return userView(banned);
    });
  }

  async unban(userId: string): Promise<UserView> {
    return this.deps.db.asSystem(async (tx) => {
      const user = await users.findUser(tx, userId, { forUpdate: true });
      if (!user) throw notFound('User');
      return userView(await this.clearBan(tx, userId));
    });
  }

  async liftEndedBans(now = new Date()): Promise<number> {
    return this.deps.db.asSystem(async (tx) => {
      const ended = await users.usersWithEndedBans(tx, now, 100);
      for (const user of ended) await this.clearBan(tx, user.id);
      return ended.length;
    });
  }

  /**
   * The platform admin account: password from FLATRENDER_ADMIN_PASSWORD, or generated once, written
   * to `<dataDir>/admin-password` (mode 600) and logged once. Idempotent.
   */
  async seedAdmin(): Promise<void> {
    const { ctx, config } = this.deps;
    const exists = await this.deps.db.asSystem((tx) => users.findUserByEmail(tx, ADMIN_EMAIL));
    if (exists) return;
    const generated = config.adminPassword ? undefined : randomBytes(18).toString('base64url');
    const password = config.adminPassword ?? (generated as string);
    const passwordHash = await this.deps.hasher.hash(password);
    const created = await this.deps.db.asSystem(async (tx) => {
      if (await users.findUserByEmail(tx, ADMIN_EMAIL)) return false;
      const user = await users.insertUser(tx, {
        id: randomUUID(),
        email: ADMIN_EMAIL,
        password_hash: passwordHash,
        display_name: 'FlatRender admin',
        locale: 'fa',
        email_verified_at: new Date(),
        platform_admin: true,
      });
      const personal = await this.tenantManager.createTenant(tx, user, {
        name: 'FlatRender admin',
        kind: 'personal',
        locale: 'fa',
      });
      await users.updateUser(tx, user.id, { personal_tenant_id: personal.id, last_tenant_id: personal.id });
      await ctx.emit(
        tx,
        'identity.user.registered.v1',
        {
          user_id: user.id,
          email: ADMIN_EMAIL,
          display_name: user.display_name,
          locale: 'fa',
          personal_tenant_id: personal.id,
          signup_method: 'admin',
          email_verified: true,
          verification: null,
          registered_at: user.created_at.toISOString(),
        },
        { tenantId: personal.id, userId: user.id },
      );
      return true;
    });
    if (!created || !generated) return;
    const file = path.resolve(ctx.config.dataDir, 'admin-password');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${generated}\n`, { mode: 0o600 });
    ctx.logger.warn(
      { email: ADMIN_EMAIL, password: generated, file },
      'platform admin created with a generated password (shown once; also in the file); change it after signing in',
    );
  }

  assertPassword(password: string, context: PasswordContext, field = 'password'): void {
    const problem = checkPassword(password, context, commonPasswords());
    if (problem) {
      throw new HttpError(
        400,
        'weak_password',
        `body field "${field}": ${PASSWORD_PROBLEM_MESSAGES[problem]}.`,
        field,
        {
          reason: problem,
        },
      );
    }
  }

  private clearBan(tx: T, userId: string): Promise<UserRow> {
    return users.updateUser(tx, userId, {
      banned_at: null,
      banned_until: null,
      ban_reason: null,
      ban_note: null,
    });
  }

  private async newEmailToken(tx: T, userId: string, purpose: EmailTokenPurpose) {
    await sessions.useEmailTokens(tx, userId, purpose);
    const token = newSecretToken();
    const ttl =
      purpose === 'verify_email'
        ? this.deps.config.verificationTokenTtlHours * 3_600_000
        : this.deps.config.passwordResetTokenTtlMinutes * 60_000;
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + ttl);
    await sessions.insertEmailToken(tx, {
      id,
      user_id: userId,
      purpose,
      token_hash: hashSecret(token),
      expires_at: expiresAt,
    });
    return { id, token, expiresAt };
  }

  /** A new one-time link, mailed through notification as a transactional email. */
  private async mailToken(tx: T, user: UserRow, purpose: EmailTokenPurpose): Promise<void> {
    const token = await this.newEmailToken(tx, user.id, purpose);
    const kind = purpose === 'verify_email' ? 'account.verify_email' : 'account.password_reset';
    await this.deps.ctx.emit(
      tx,
      'notify.channel.email',
      {
        source: 'transactional',
        idempotency_key: `${kind}:${token.id}:email`,
        locale: user.locale,
        channel: 'email',
        recipient: { email: user.email, name: user.display_name },
        recipient_user_id: user.id,
        template: {
          kind,
          params: {
            display_name: user.display_name,
            token: token.token,
            expires_at: token.expiresAt.toISOString(),
          },
        },
      },
      { ...(user.personal_tenant_id ? { tenantId: user.personal_tenant_id } : {}), userId: user.id },
    );
  }
}
