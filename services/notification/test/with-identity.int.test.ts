import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SYSTEM_USER_ID } from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { identityService } from '@flatrender/identity';
import type { ScopedDatabase } from '@flatrender/platform';
import { describeWithServices, type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationService } from '../src/index';
import type { NotificationDb } from '../src/notification.db';
import { type Adapters, DISTRIBUTED, waitFor } from './notification-test-kit';
import { startSmtpTestServer } from './support/smtp-test.server';

const PASSWORD = 'lantern-river-ochre-42';

/** Where a test reads the mails the platform sent: an SMTP server, or the .eml files of the one-command mode. */
interface Mailbox {
  waitFor(to: string, where?: (m: ParsedMail) => boolean): Promise<ParsedMail>;
  close(): Promise<void>;
}

function fileMailbox(dir: string): Mailbox {
  return {
    async waitFor(to, where = () => true) {
      return waitFor(async () => {
        const names = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.eml'));
        for (const name of names) {
          const mail = await simpleParser(await readFile(path.join(dir, name)));
          const addressed = (Array.isArray(mail.to) ? mail.to : [mail.to]).some((t) =>
            t?.value.some((v) => v.address === to),
          );
          if (addressed && where(mail)) return mail;
        }
        return undefined;
      });
    },
    close: async () => {},
  };
}

/** The real identity and notification services together: accounts, mails, links that work. */
function identityFlows(adapters: Adapters, mode: 'smtp' | 'files') {
  let harness: ServiceHarness;
  let mailbox: Mailbox;
  let db: ScopedDatabase<NotificationDb>;

  beforeAll(async () => {
    Object.assign(process.env, { IDENTITY_SCHEDULER_INTERVAL_MS: '60000' });
    let env: Record<string, string> = { NOTIFY_SCHEDULER_INTERVAL_MS: '50' };
    if (mode === 'smtp') {
      const smtp = await startSmtpTestServer({ user: 'mailer', pass: randomBytes(8).toString('hex') });
      env = { ...env, SMTP_URL: smtp.url };
      mailbox = {
        waitFor: (to, where) =>
          smtp.waitFor(to, where ? (m) => where(m.parsed) : undefined).then((m) => m.parsed),
        close: () => smtp.close(),
      };
    }
    harness = await startServiceHarness({
      services: [identityService, createNotificationService({ env })],
      ...adapters,
    });
    if (mode === 'files') mailbox = fileMailbox(path.join(harness.infra.config.dataDir, 'outbox-mail'));
    db = harness.started.find((s) => s.definition.name === 'notification')!.context.db as never;
  });
  afterAll(async () => {
    await harness?.stop();
    await mailbox?.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    harness.app.inject({ method: 'POST', url, payload: payload as object, headers });

  const linkToken = (mail: ParsedMail, page: string) => {
    const match = new RegExp(`${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
    expect(match, `${page} link in: ${mail.text}`).not.toBeNull();
    return match![1]!;
  };

  async function signUp(locale: 'fa' | 'en') {
    const email = `u-${randomBytes(4).toString('hex')}@example.test`;
    const reg = await post('/v1/auth/register', { email, password: PASSWORD, display_name: 'Mina', locale });
    expect(reg.statusCode, reg.body).toBe(202);
    const mail = await mailbox.waitFor(email);
    const token = linkToken(mail, '/verify-email');
    // The link is also a plain header, for tools that read raw .eml files.
    expect(mail.headers.get('x-flatrender-action-url')).toBe(
      `http://localhost:3000/verify-email?token=${token}`,
    );
    const verified = await post('/v1/auth/verify-email', { token });
    expect(verified.statusCode, verified.body).toBe(204);
    const login = await post('/v1/auth/login', { email, password: PASSWORD });
    expect(login.statusCode, login.body).toBe(200);
    const body = login.json() as { access_token: string; user: { id: string }; tenant: { id: string } };
    return {
      email,
      mail,
      userId: body.user.id,
      tenantId: body.tenant.id,
      auth: { authorization: `Bearer ${body.access_token}` },
    };
  }

  it('mails the verification link of a new account; the link verifies it; a welcome lands in the inbox', async () => {
    const user = await signUp('fa');
    expect(user.mail.subject).toBe('نشانی ایمیل خود را تأیید کنید');
    expect(user.mail.html).toContain('dir="rtl"');
    const welcome = await waitFor(async () => {
      const res = await harness.app.inject({ url: '/v1/notifications', headers: user.auth });
      return (res.json() as { items: { kind: string; title: string }[] }).items.find(
        (i) => i.kind === 'account.welcome',
      );
    });
    expect(welcome.title).toBe('به فلت‌رندر خوش آمدید');
  });

  it('mails a password reset link that sets a new password', async () => {
    const user = await signUp('en');
    expect((await post('/v1/auth/password-reset/request', { email: user.email })).statusCode).toBe(202);
    const mail = await mailbox.waitFor(user.email, (m) => m.subject === 'Reset your password');
    const next = 'copper-meadow-violet-77';
    const done = await post('/v1/auth/password-reset/confirm', {
      token: linkToken(mail, '/reset-password'),
      password: next,
    });
    expect(done.statusCode, done.body).toBe(204);
    expect((await post('/v1/auth/login', { email: user.email, password: next })).statusCode).toBe(200);
  });

  it('asks identity about users and tenants it has not heard of, and still delivers', async () => {
    const user = await signUp('en');
    // As if notification had been deployed after this account was made.
    await db.asSystem(async (tx) => {
      await tx.deleteFrom('recipient').where('user_id', '=', user.userId).execute();
      await tx.deleteFrom('tenant_contact').where('tenant_id', '=', user.tenantId).execute();
    });
    await harness.bus.publish(
      sampleEnvelope('file.quota_exceeded.v1', { tenant_id: user.tenantId, user_id: SYSTEM_USER_ID }),
    );
    const mail = await mailbox.waitFor(user.email, (m) => m.subject === 'Storage is full');
    expect(mail.text).toContain('Hi Mina,');
    const known = await db.asSystem((tx) =>
      tx
        .selectFrom('tenant_contact')
        .select('owner_user_id')
        .where('tenant_id', '=', user.tenantId)
        .executeTakeFirst(),
    );
    expect(known?.owner_user_id).toBe(user.userId);
    // And for an id identity does not know, nothing is written.
    await harness.bus.publish(
      sampleEnvelope('render.job.completed.v1', {
        tenant_id: randomUUID(),
        user_id: randomUUID(),
        data: { job_id: randomUUID(), webhook_url: null },
      }),
    );
    await waitFor(async () => {
      const parked = await db.asSystem((tx) =>
        tx.selectFrom('notice_backlog').select('attempts').where('attempts', '>', 0).execute(),
      );
      return parked.length > 0 ? true : undefined;
    });
  });
}

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'notification with the real identity service (PostgreSQL, RabbitMQ, SMTP)',
  () => {
    identityFlows(DISTRIBUTED, 'smtp');
  },
);

// The one-command mode: PGlite, the in-process bus and no mail server; mails become .eml files.
describe('notification with the real identity service (PGlite, in-process bus, .eml files)', () => {
  identityFlows({ database: 'pglite', bus: 'in-process' }, 'files');
});
