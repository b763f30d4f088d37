import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { startSmtpTestServer } from '../../test/support/smtp-test.server';
import { DeliveryFailure } from './delivery-failure';
import { FileMailer } from './file.mailer';
import { mailerContract } from './mailer.contract';
import { SmtpMailer } from './smtp.mailer';

mailerContract('SMTP (nodemailer) against a real SMTP server', async () => {
  const server = await startSmtpTestServer({ user: 'mailer', pass: 'p@ss word' });
  return {
    mailer: new SmtpMailer(server.url),
    received: async () => server.received.map((m) => m.parsed),
    close: () => server.close(),
  };
});

mailerContract('file transport (.eml files)', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-mail-'));
  return {
    mailer: new FileMailer(path.join(dir, 'outbox-mail')),
    async received() {
      const files = (await readdir(path.join(dir, 'outbox-mail'))).filter((f) => f.endsWith('.eml'));
      return Promise.all(
        files.map(async (f) => simpleParser(await readFile(path.join(dir, 'outbox-mail', f)))),
      );
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('SMTP failures', () => {
  const mail = (to: string) => ({
    from: 'no-reply@flatrender.test',
    to: { address: to, name: null },
    subject: 's',
    text: 't',
    html: null,
    headers: {},
    idempotencyKey: 'k',
  });

  it('an unknown mailbox (550 to RCPT) is a permanent failure of that address', async () => {
    const server = await startSmtpTestServer({ user: 'u', pass: 'p', refuse: ['gone@example.test'] });
    const mailer = new SmtpMailer(server.url);
    try {
      const error = await mailer.send(mail('gone@example.test')).catch((e) => e);
      expect(error).toBeInstanceOf(DeliveryFailure);
      expect(error).toMatchObject({ errorCode: 'invalid_recipient', permanent: true, retryable: false });
    } finally {
      await mailer.close();
      await server.close();
    }
  });

  it('a wrong login is final; an unreachable server is worth another try', async () => {
    const server = await startSmtpTestServer({ user: 'u', pass: 'p' });
    const wrong = new SmtpMailer(server.url.replace('u:p@', 'u:nope@'));
    const down = new SmtpMailer('smtp://127.0.0.1:1', 2_000);
    try {
      expect(await wrong.send(mail('a@example.test')).catch((e) => e)).toMatchObject({
        retryable: false,
        permanent: false,
      });
      expect(await down.send(mail('a@example.test')).catch((e) => e)).toMatchObject({ retryable: true });
      expect(server.received).toHaveLength(0);
    } finally {
      await wrong.close();
      await down.close();
      await server.close();
    }
  });
});
