import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMail } from '../domain/email-layout';
import type { Mailer, OutgoingMail } from './mailer';

export interface MailerFixture {
  mailer: Mailer;
  /** Every mail the mailer handed over so far, as a mail reader parses it. */
  received(): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/**
 * What every mail transport must do, run against each adapter (SMTP, file): deliver the text and the
 * HTML part intact in UTF-8 (Persian included), with the recipient, sender and extra headers.
 */
export function mailerContract(name: string, setup: () => Promise<MailerFixture>) {
  describe(`Mailer contract: ${name}`, () => {
    let fixture: MailerFixture;
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture?.mailer.close();
      await fixture?.close();
    });

    const persian = composeMail({
      locale: 'fa',
      subject: 'ویدیوی شما آماده است',
      greeting: 'سلام سارا،',
      paragraphs: ['ویدیوی «نوروز ۱۴۰۴» ساخته شد.'],
      action: { label: 'دانلود', url: 'https://app.example/renders/1' },
      footer: ['پانویس'],
    });
    const mail = (key: string, overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
      from: 'FlatRender <no-reply@flatrender.test>',
      to: { address: 'sara@example.test', name: 'سارا رضایی' },
      subject: persian.subject,
      text: persian.text,
      html: persian.html,
      headers: {
        'List-Unsubscribe': '<https://api.example/u?token=t>',
        'X-FlatRender-Kind': 'render.completed',
      },
      idempotencyKey: key,
      ...overrides,
    });

    it('delivers subject, text and RTL HTML intact, with sender, recipient and headers', async () => {
      const sent = await fixture.mailer.send(mail('n1:email'));
      expect(sent.messageId).toMatch(/^<.+@.+>$/);
      const got = (await fixture.received()).find((m) => m.messageId === sent.messageId);
      expect(got).toBeDefined();
      expect(got!.subject).toBe('ویدیوی شما آماده است');
      expect(got!.text).toContain('ویدیوی «نوروز ۱۴۰۴» ساخته شد.');
      expect(got!.html).toContain('<html lang="fa" dir="rtl">');
      expect(got!.from?.value[0]).toEqual({ address: 'no-reply@flatrender.test', name: 'FlatRender' });
      const to = Array.isArray(got!.to) ? got!.to[0] : got!.to;
      expect(to?.value[0]).toEqual({ address: 'sara@example.test', name: 'سارا رضایی' });
      expect(got!.headers.get('list')).toMatchObject({
        unsubscribe: { url: 'https://api.example/u?token=t' },
      });
      expect(got!.headers.get('x-flatrender-kind')).toBe('render.completed');
    });

    it('sends text-only mail when there is no HTML', async () => {
      const sent = await fixture.mailer.send(mail('n2:email', { html: null, text: 'Plain only.' }));
      const got = (await fixture.received()).find((m) => m.messageId === sent.messageId);
      expect(got!.text?.trim()).toBe('Plain only.');
      expect(got!.html).toBe(false);
    });
  });
}
