import localFont from 'next/font/local';

/*
 * Vazirmatn (OFL), self-hosted from the `vazirmatn` npm package: its Latin letters match its Persian
 * ones, so one family serves both languages. Nothing is fetched from a font CDN.
 */
export const vazirmatn = localFont({
  src: [
    { path: '../../../../node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Regular.woff2', weight: '400' },
    { path: '../../../../node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Medium.woff2', weight: '500' },
    { path: '../../../../node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Bold.woff2', weight: '700' },
    { path: '../../../../node_modules/vazirmatn/fonts/webfonts/Vazirmatn-ExtraBold.woff2', weight: '800' },
  ],
  variable: '--font-vazirmatn',
  display: 'swap',
  fallback: ['Tahoma', 'system-ui', 'sans-serif'],
});
