import nodemailer from 'nodemailer';
import { type DeliveryFailure, giveUp, retryLater } from './delivery-failure';
import type { Mailer, OutgoingMail } from './mailer';

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  command?: string;
}

/** Mail over SMTP (nodemailer), one connection per message; TLS as the URL says (smtps or STARTTLS). */
export class SmtpMailer implements Mailer {
  readonly name = 'smtp' as const;
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(url: string, timeoutMs = 30_000) {
    this.transport = nodemailer.createTransport({
      url,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs * 2,
    });
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const info = await this.transport.sendMail(toNodemailer(mail));
      return { messageId: info.messageId };
    } catch (error) {
      throw smtpFailure(error as SmtpError);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

export function toNodemailer(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    headers: mail.headers,
    textEncoding: 'base64' as const,
  };
}

/**
 * SMTP replies say whether to try again: 5xx is final (550/551/553 name a mailbox that does not exist:
 * the address is unusable), 4xx and lost connections are worth another try.
 */
export function smtpFailure(error: SmtpError): DeliveryFailure {
  const reply = error.responseCode;
  const text = `${error.command ? `${error.command}: ` : ''}${error.message}`.slice(0, 1000);
  if (reply !== undefined && reply >= 500 && reply !== 503) {
    if ([550, 551, 553].includes(reply) && error.command?.startsWith('RCPT')) {
      return giveUp('invalid_recipient', text, true);
    }
    return giveUp('rejected', text);
  }
  if (reply === 421 || reply === 450 || reply === 451 || reply === 452)
    return retryLater('rate_limited', text);
  if (error.code === 'ETIMEDOUT') return retryLater('timeout', text);
  return retryLater('provider_error', text);
}
