import type { Locale } from '@flatrender/contracts';
import { escapeHtml } from '../domain/email-layout';

export type UnsubscribeState = 'confirm' | 'done' | 'invalid';

const TEXT: Record<Locale, Record<UnsubscribeState, { title: string; body: string }> & { button: string }> = {
  fa: {
    confirm: {
      title: 'لغو دریافت ایمیل',
      body: 'با زدن دکمه‌ی زیر، دیگر ایمیلی از این نوع برایتان فرستاده نمی‌شود. اعلان‌ها همچنان در فلت‌رندر دیده می‌شوند.',
    },
    done: {
      title: 'انجام شد',
      body: 'دیگر ایمیلی از این نوع دریافت نمی‌کنید. هر وقت خواستید، از تنظیمات اعلان‌ها دوباره روشنش کنید.',
    },
    invalid: { title: 'پیوند نامعتبر است', body: 'این پیوند لغو اشتراک معتبر نیست یا کامل کپی نشده است.' },
    button: 'لغو دریافت',
  },
  en: {
    confirm: {
      title: 'Unsubscribe',
      body: 'Press the button to stop receiving emails of this kind. Notifications still appear in FlatRender.',
    },
    done: {
      title: 'Done',
      body: 'You will no longer receive emails of this kind. You can switch them on again in your notification settings.',
    },
    invalid: {
      title: 'Invalid link',
      body: 'This unsubscribe link is not valid or was not copied completely.',
    },
    button: 'Unsubscribe',
  },
};

/**
 * The page an unsubscribe link opens. Opening it changes nothing (mail scanners follow links); the
 * button POSTs, as does a mail client's one-click unsubscribe (RFC 8058).
 */
export function unsubscribePage(
  locale: Locale,
  state: UnsubscribeState,
  settingsUrl: string,
  token?: string,
) {
  const t = TEXT[locale];
  const dir = locale === 'fa' ? 'rtl' : 'ltr';
  const form =
    state === 'confirm' && token
      ? `<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">${escapeHtml(t.button)}</button></form>`
      : `<p><a href="${escapeHtml(settingsUrl)}">${locale === 'fa' ? 'تنظیمات اعلان‌ها' : 'Notification settings'}</a></p>`;
  return `<!DOCTYPE html>
<html lang="${locale}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(t[state].title)}</title>
<style>body{font-family:Vazirmatn,Tahoma,'Segoe UI',Arial,sans-serif;background:#f3f4f6;color:#1f2937;margin:0;padding:48px 16px}
main{max-width:480px;margin:0 auto;background:#fff;border-radius:12px;padding:28px;line-height:1.9}
h1{font-size:20px;margin:0 0 12px}button{font:inherit;background:#e94560;color:#fff;border:0;border-radius:8px;padding:10px 20px;cursor:pointer}a{color:#e94560}</style>
</head>
<body><main><h1>${escapeHtml(t[state].title)}</h1><p>${escapeHtml(t[state].body)}</p>${form}</main></body>
</html>
`;
}
