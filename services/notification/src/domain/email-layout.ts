import type { Locale } from '@flatrender/contracts';

/** The pieces of a mail, in one language; `composeMail` lays them out as text and as HTML. */
export interface MailParts {
  locale: Locale;
  subject: string;
  greeting: string;
  /** Plain-text paragraphs. */
  paragraphs: readonly string[];
  action: { label: string; url: string } | null;
  /** Small print: why the mail was sent, what to do if it was not expected. */
  footer: readonly string[];
  /** One-click unsubscribe from mails of this kind; absent for mails that cannot be refused. */
  unsubscribe?: { label: string; url: string } | null;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
  /** The link of the mail's button, if it has one. */
  actionUrl: string | null;
}

// Installed fonts only: mail clients must never fetch anything remote (no web fonts, no images), so the
// stack names Vazirmatn for those who have it and then fonts every system ships with Persian glyphs.
const FONT_STACK: Record<Locale, string> = {
  fa: "Vazirmatn, Vazir, Tahoma, 'Segoe UI', 'Noto Sans Arabic', 'Noto Naskh Arabic', 'Geeza Pro', Arial, sans-serif",
  en: "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, Vazirmatn, sans-serif",
};

const BRAND = { fa: 'فلت‌رندر', en: 'FlatRender' };

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Paragraph text to HTML: escaped, line breaks kept. */
const paragraphHtml = (text: string) => escapeHtml(text).replaceAll('\n', '<br>');

export function composeMail(parts: MailParts): ComposedMail {
  const rtl = parts.locale === 'fa';
  const dir = rtl ? 'rtl' : 'ltr';
  const align = rtl ? 'right' : 'left';
  const font = FONT_STACK[parts.locale];
  const brand = BRAND[parts.locale];

  const textBlocks = [parts.greeting, ...parts.paragraphs];
  if (parts.action) textBlocks.push(`${parts.action.label}:\n${parts.action.url}`);
  const small = [...parts.footer];
  if (parts.unsubscribe) small.push(`${parts.unsubscribe.label}: ${parts.unsubscribe.url}`);
  const text = `${textBlocks.join('\n\n')}\n\n--\n${brand}\n${small.join('\n')}\n`;

  const p = (inner: string, style = '') =>
    `<p style="margin:0 0 16px;font-size:15px;line-height:1.9;${style}">${inner}</p>`;
  const button = parts.action
    ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr>
<td style="border-radius:8px;background:#e94560;">
<a href="${escapeHtml(parts.action.url)}" style="display:inline-block;padding:12px 24px;font-family:${font};font-size:15px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:8px;">${escapeHtml(parts.action.label)}</a>
</td></tr></table>
${p(
  `${escapeHtml(rtl ? 'اگر دکمه کار نکرد، این نشانی را در مرورگر باز کنید:' : 'If the button does not work, open this address in your browser:')}<br><span dir="ltr" style="word-break:break-all;color:#555555;">${escapeHtml(parts.action.url)}</span>`,
  'font-size:13px;color:#555555;',
)}`
    : '';
  const footerLines = parts.footer.map((line) => escapeHtml(line));
  if (parts.unsubscribe) {
    footerLines.push(
      `<a href="${escapeHtml(parts.unsubscribe.url)}" style="color:#777777;">${escapeHtml(parts.unsubscribe.label)}</a>`,
    );
  }

  const html = `<!DOCTYPE html>
<html lang="${parts.locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(parts.subject)}</title>
</head>
<body dir="${dir}" style="margin:0;padding:0;background:#f3f4f6;font-family:${font};color:#1f2937;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" dir="${dir}" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border-radius:12px;">
<tr><td dir="${dir}" style="padding:20px 28px;border-bottom:1px solid #eeeeee;text-align:${align};font-family:${font};font-size:18px;font-weight:bold;color:#e94560;">${brand}</td></tr>
<tr><td dir="${dir}" style="padding:28px;text-align:${align};font-family:${font};">
<h1 style="margin:0 0 20px;font-size:20px;line-height:1.6;color:#111827;">${escapeHtml(parts.subject)}</h1>
${p(escapeHtml(parts.greeting))}
${parts.paragraphs.map((para) => p(paragraphHtml(para))).join('\n')}
${button}
</td></tr>
<tr><td dir="${dir}" style="padding:16px 28px 24px;border-top:1px solid #eeeeee;text-align:${align};font-family:${font};font-size:12px;line-height:1.8;color:#777777;">${footerLines.join('<br>')}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  return { subject: parts.subject, text, html, actionUrl: parts.action?.url ?? null };
}
