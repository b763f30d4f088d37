import type { Metadata, Viewport } from 'next';
import { AppHeader } from '@/components/layout/app-header';
import { LocaleProvider } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';
import { directionOf } from '@/i18n/locale';
import { getLocale } from '@/i18n/server';
import { getSession } from '@/lib/server/api';
import { vazirmatn } from './fonts';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const locale = await getLocale();
  return {
    title: { default: commonText[locale].appName, template: `%s · ${commonText[locale].appName}` },
    description: commonText[locale].tagline,
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#5b3df5' };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  const session = await getSession();
  return (
    <html lang={locale} dir={directionOf(locale)} className={vazirmatn.variable}>
      <body>
        <LocaleProvider locale={locale}>
          <AppHeader session={session} />
          <main id="main">{children}</main>
        </LocaleProvider>
      </body>
    </html>
  );
}
