import type { Locale, transactionalTemplateSchema } from '@flatrender/contracts';
import type { z } from 'zod';
import { type ComposedMail, composeMail } from './email-layout';
import type { Formatter } from './formatting';
import type { RenderedNotice } from './notice-texts';
import { WEB_PAGES, webUrl } from './web-links';

export type TransactionalTemplate = z.infer<typeof transactionalTemplateSchema>;

const greeting = (locale: Locale, name: string | null) =>
  locale === 'fa' ? (name ? `سلام ${name}،` : 'سلام،') : name ? `Hi ${name},` : 'Hello,';

export interface NoticeMailInput {
  notice: RenderedNotice;
  locale: Locale;
  name: string;
  webOrigin: string;
  /** Null for kinds that cannot be refused. */
  unsubscribeUrl: string | null;
}

/** The mail of a stored notice. */
export function noticeMail(input: NoticeMailInput): ComposedMail {
  const { notice, locale, webOrigin } = input;
  const fa = locale === 'fa';
  const settings = webUrl(webOrigin, WEB_PAGES.notificationSettings);
  return composeMail({
    locale,
    subject: notice.title,
    greeting: greeting(locale, input.name),
    paragraphs: notice.body.split(/\n{2,}/),
    action:
      notice.link && notice.action ? { label: notice.action, url: webUrl(webOrigin, notice.link) } : null,
    footer: [
      fa
        ? 'این ایمیل را به این دلیل دریافت کرده‌اید که در فلت‌رندر حساب کاربری دارید.'
        : 'You receive this email because you have a FlatRender account.',
      fa ? `تنظیم اعلان‌ها: ${settings}` : `Notification settings: ${settings}`,
    ],
    unsubscribe: input.unsubscribeUrl
      ? {
          label: fa ? 'لغو دریافت این نوع ایمیل' : 'Unsubscribe from these emails',
          url: input.unsubscribeUrl,
        }
      : null,
  });
}

const ROLE_NAMES = {
  admin: { fa: 'مدیر', en: 'admin' },
  editor: { fa: 'ویرایشگر', en: 'editor' },
  viewer: { fa: 'بیننده', en: 'viewer' },
} as const;

/** A transactional mail identity asked for (verification, password reset, invitation). */
export function transactionalMail(
  template: TransactionalTemplate,
  recipientName: string | null,
  webOrigin: string,
  f: Formatter,
): ComposedMail {
  const locale = f.locale;
  const fa = locale === 'fa';
  const until = f.dateTime(template.params.expires_at);
  switch (template.kind) {
    case 'account.verify_email':
      return composeMail({
        locale,
        subject: fa ? 'نشانی ایمیل خود را تأیید کنید' : 'Confirm your email address',
        greeting: greeting(locale, template.params.display_name),
        paragraphs: [
          fa
            ? `برای فعال شدن حساب فلت‌رندر، نشانی ایمیل خود را تأیید کنید. این پیوند تا ${until} معتبر است.`
            : `Confirm your email address to activate your FlatRender account. The link works until ${until}.`,
        ],
        action: {
          label: fa ? 'تأیید ایمیل' : 'Confirm email',
          url: webUrl(webOrigin, WEB_PAGES.verifyEmail(template.params.token)),
        },
        footer: [
          fa
            ? 'اگر شما در فلت‌رندر ثبت‌نام نکرده‌اید، این ایمیل را نادیده بگیرید.'
            : 'If you did not sign up for FlatRender, ignore this email.',
        ],
      });
    case 'account.password_reset':
      return composeMail({
        locale,
        subject: fa ? 'بازنشانی رمز عبور' : 'Reset your password',
        greeting: greeting(locale, template.params.display_name),
        paragraphs: [
          fa
            ? `درخواستی برای تغییر رمز عبور حساب فلت‌رندر شما رسید. برای انتخاب رمز تازه روی دکمه‌ی زیر بزنید. این پیوند تا ${until} و فقط یک بار کار می‌کند.`
            : `We received a request to reset the password of your FlatRender account. Use the button below to choose a new one. The link works once, until ${until}.`,
        ],
        action: {
          label: fa ? 'انتخاب رمز تازه' : 'Choose a new password',
          url: webUrl(webOrigin, WEB_PAGES.resetPassword(template.params.token)),
        },
        footer: [
          fa
            ? 'اگر این درخواست از طرف شما نبوده، این ایمیل را نادیده بگیرید؛ رمز عبورتان تغییری نمی‌کند.'
            : 'If you did not ask for this, ignore this email; your password stays as it is.',
        ],
      });
    case 'team.invitation': {
      const { tenant_name, inviter_name, role, token } = template.params;
      return composeMail({
        locale,
        subject: fa
          ? `دعوت به فضای کاری «${tenant_name}» در فلت‌رندر`
          : `${inviter_name} invited you to ${tenant_name} on FlatRender`,
        greeting: greeting(locale, recipientName),
        paragraphs: [
          fa
            ? `${inviter_name} شما را با نقش «${ROLE_NAMES[role].fa}» به فضای کاری «${tenant_name}» دعوت کرده است. این دعوت‌نامه تا ${until} معتبر است.`
            : `${inviter_name} invited you to join the workspace “${tenant_name}” as ${ROLE_NAMES[role].en}. The invitation is valid until ${until}.`,
        ],
        action: {
          label: fa ? 'پذیرفتن دعوت' : 'Accept the invitation',
          url: webUrl(webOrigin, WEB_PAGES.acceptInvitation(token)),
        },
        footer: [
          fa
            ? 'اگر انتظار این دعوت را نداشتید، این ایمیل را نادیده بگیرید.'
            : 'If you did not expect this invitation, ignore this email.',
        ],
      });
    }
  }
}
