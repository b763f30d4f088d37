import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { retryLater } from './delivery-failure';
import type { Mailer, OutgoingMail } from './mailer';
import { toNodemailer } from './smtp.mailer';

/**
 * The mail transport of the one-command mode without an SMTP server: each message is written as an
 * .eml file (RFC 5322, exactly what SMTP would have carried) to `dir`, named
 * `<time>-<delivery key>.eml`. Written to a temporary name and renamed, so a reader never sees half a mail.
 */
export class FileMailer implements Mailer {
  readonly name = 'file' as const;
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true });

  constructor(readonly dir: string) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const info = await this.transport.sendMail(toNodemailer(mail));
      await mkdir(this.dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const name = `${stamp}-${mail.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 150)}.eml`;
      const tmp = path.join(this.dir, `.${name}.tmp`);
      await writeFile(tmp, info.message as Buffer);
      await rename(tmp, path.join(this.dir, name));
      return { messageId: info.messageId };
    } catch (error) {
      throw retryLater('provider_error', `writing the mail file failed: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {}
}
