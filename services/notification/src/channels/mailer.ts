/** A mail ready to go: rendered, addressed, with its extra headers. */
export interface OutgoingMail {
  from: string;
  to: { address: string; name: string | null };
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  /** The delivery's key; the file transport names its file after it. */
  idempotencyKey: string;
}

/**
 * Sends mail. Two adapters: SMTP (nodemailer) and a file transport writing .eml files (the one-command
 * mode without a mail server); both pass `mailerContract`. Failures are `DeliveryFailure`s.
 */
export interface Mailer {
  readonly name: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}
