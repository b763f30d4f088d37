import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './notification-test-kit';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ADMIN_PASSWORD = `admin-${randomBytes(9).toString('base64url')}`;
const PASSWORD = 'lantern-river-ochre-42';

/**
 * `flatrender start` (gateway, identity and notification in one process on PGlite and the in-process
 * bus, no mail server) as a user meets it: the verification link is taken from the .eml file the way
 * the README says, and a notice reaches the browser over the gateway's live event stream.
 */
describe('notification in the one-command mode, through the gateway', () => {
  let child: ChildProcess;
  let dataDir: string;
  let url = '';
  let output = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-notify-e2e-'));
    child = spawn(process.execPath, [path.join(ROOT, 'bin/flatrender'), 'start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        FLATRENDER_DATA_DIR: dataDir,
        FLATRENDER_ROLES: 'gateway,identity,notification',
        FLATRENDER_ADMIN_PASSWORD: ADMIN_PASSWORD,
        GATEWAY_SSE_HEARTBEAT: '200ms',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (d: Buffer) => {
      output += d;
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    url = await waitFor(() => /running: (http:\/\/\S+)/.exec(output)?.[1], 120_000).catch((error) => {
      throw new Error(`${error}\n${output}`);
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const call = (p: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${url}${p}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });

  it('verifies an account from the .eml link, then streams a notice live and mails it', async () => {
    const email = `e2e-${randomBytes(4).toString('hex')}@example.test`;
    const registered = await call('/v1/auth/register', {
      body: { email, password: PASSWORD, display_name: 'Parisa', locale: 'fa' },
    });
    expect(registered.status).toBe(202);

    // The README's way: grep the newest .eml for the link.
    const outbox = path.join(dataDir, 'outbox-mail');
    const link = await waitFor(async () => {
      const files = (await readdir(outbox).catch(() => [])).filter((f) => f.endsWith('.eml'));
      if (files.length === 0) return undefined;
      const found = execFileSync('sh', [
        '-c',
        `grep -ho 'http[^ ]*verify-email?token=[A-Za-z0-9_-]*' ${outbox}/*.eml | tail -1`,
      ])
        .toString()
        .trim();
      return found || undefined;
    });
    const token = new URL(link).searchParams.get('token')!;
    expect((await call('/v1/auth/verify-email', { body: { token } })).status).toBe(204);
    const login = await call('/v1/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const session = (await login.json()) as {
      access_token: string;
      user: { id: string };
      tenant: { id: string };
    };

    const stream = await fetch(`${url}/v1/events/stream`, {
      headers: { authorization: `Bearer ${session.access_token}` },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (needle: string) =>
      waitFor(async () => {
        const { value, done } = await reader.read();
        if (value) received += decoder.decode(value, { stream: true });
        if (done) throw new Error(`stream ended:\n${received}`);
        return received.includes(needle) ? received : undefined;
      }, 20_000);
    await readUntil(': heartbeat');

    // An administrator records a payment for the user's workspace: identity announces it, and
    // notification tells the owner — live on the open stream, in the inbox and by mail.
    const admin = await call('/v1/auth/login', {
      body: { email: 'admin@flatrender.local', password: ADMIN_PASSWORD },
    });
    expect(admin.status).toBe(200);
    const adminToken = ((await admin.json()) as { access_token: string }).access_token;
    const paid = await call('/v1/admin/payments', {
      body: { tenant_id: session.tenant.id, plan_code: 'pro' },
      token: adminToken,
    });
    expect(paid.status, await paid.clone().text()).toBe(201);

    const frames = await readUntil('"kind":"payment.succeeded"');
    await reader.cancel();
    const frame = frames.split('\n\n').find((f) => f.includes('"kind":"payment.succeeded"'))!;
    expect(frame).toContain('event: notification.created.v1');
    const created = JSON.parse(
      frame
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    );
    expect(created.data).toMatchObject({
      recipient_user_id: session.user.id,
      locale: 'fa',
      title: 'پرداخت شما انجام شد',
    });

    const inbox = await call('/v1/notifications', { token: session.access_token });
    const items = ((await inbox.json()) as { items: { kind: string }[] }).items.map((i) => i.kind);
    expect(items).toEqual(expect.arrayContaining(['payment.succeeded', 'account.welcome']));

    const receipt = await waitFor(async () => {
      // Only finished mails: a `.…eml.tmp` is being written and is renamed away.
      for (const name of (await readdir(outbox)).filter((f) => f.endsWith('.eml') && !f.startsWith('.'))) {
        const mail = await simpleParser(await readFile(path.join(outbox, name)));
        if (mail.subject === 'پرداخت شما انجام شد') return mail;
      }
      return undefined;
    });
    expect(receipt.html).toContain('dir="rtl"');
    expect(receipt.text).toContain('سلام Parisa،');
  });
});
