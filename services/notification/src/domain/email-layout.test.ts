import { describe, expect, it } from 'vitest';
import { composeMail, escapeHtml } from './email-layout';
import { createFormatter } from './formatting';
import { noticeMail, transactionalMail } from './mail-content';
import { renderNotice } from './notice-texts';

const fa = createFormatter('fa', 'Asia/Tehran');
const en = createFormatter('en', 'Asia/Tehran');

describe('mail layout', () => {
  it('is right-to-left in Persian and left-to-right in English, both with a text part', () => {
    const parts = {
      subject: 'سلام',
      greeting: 'سلام سارا،',
      paragraphs: ['متن'],
      action: { label: 'باز کن', url: 'https://app.example/x' },
      footer: ['پانویس'],
    };
    const persian = composeMail({ locale: 'fa', ...parts });
    expect(persian.html).toContain('<html lang="fa" dir="rtl">');
    expect(persian.html).toContain('text-align:right');
    expect(persian.html).toMatch(/font-family:Vazirmatn, Vazir, Tahoma/);
    expect(persian.text).toContain('باز کن:\nhttps://app.example/x');
    const english = composeMail({ locale: 'en', ...parts });
    expect(english.html).toContain('<html lang="en" dir="ltr">');
    expect(english.html).toContain('text-align:left');
  });

  it('loads nothing remote: no images, stylesheets or web fonts', () => {
    const mail = noticeMail({
      notice: renderNotice(
        {
          kind: 'render.failed',
          job_id: '8f1e2c0a-7a0c-4d55-9d1b-5b6a8f0e3c11',
          job_kind: 'video',
          error_code: 'timeout',
          retryable: true,
        },
        fa,
      ),
      locale: 'fa',
      name: 'سارا',
      webOrigin: 'https://app.example',
      unsubscribeUrl: 'https://api.example/v1/notifications/unsubscribe?token=t',
    });
    expect(mail.html).not.toMatch(/<img|<link|@import|@font-face|url\(|src=/i);
    expect(mail.html).toContain('href="https://app.example/renders/8f1e2c0a-7a0c-4d55-9d1b-5b6a8f0e3c11"');
    expect(mail.html).toContain('لغو دریافت این نوع ایمیل');
    expect(mail.text).toContain('https://api.example/v1/notifications/unsubscribe?token=t');
  });

  it('escapes every value it is given', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;',
    );
    const mail = transactionalMail(
      {
        kind: 'team.invitation',
        params: {
          invitation_id: '8f1e2c0a-7a0c-4d55-9d1b-5b6a8f0e3c11',
          token: 'a'.repeat(40),
          expires_at: '2025-03-21T10:30:00Z',
          tenant_name: '<b>Evil</b> Co',
          inviter_name: 'Mallory <img src=x onerror=alert(1)>',
          role: 'editor',
        },
      },
      null,
      'https://app.example',
      en,
    );
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>Evil');
    expect(mail.html).toContain('&lt;b&gt;Evil&lt;/b&gt; Co');
    expect(mail.subject).toBe(
      'Mallory <img src=x onerror=alert(1)> invited you to <b>Evil</b> Co on FlatRender',
    );
  });

  it('writes transactional mails with their one-time links in the recipient language', () => {
    const params = {
      display_name: 'Sara',
      token: 'tok_'.padEnd(40, 'x'),
      expires_at: '2025-03-21T10:30:00Z',
    };
    const verify = transactionalMail(
      { kind: 'account.verify_email', params },
      'Sara',
      'https://app.example',
      fa,
    );
    expect(verify.subject).toBe('نشانی ایمیل خود را تأیید کنید');
    expect(verify.text).toContain(`https://app.example/verify-email?token=${params.token}`);
    expect(verify.text).toContain('۱ فروردین ۱۴۰۴');
    const reset = transactionalMail(
      { kind: 'account.password_reset', params },
      'Sara',
      'https://app.example',
      en,
    );
    expect(reset.subject).toBe('Reset your password');
    expect(reset.html).toContain(`https://app.example/reset-password?token=${params.token}`);
  });
});
