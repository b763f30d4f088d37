import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, with nothing phoning home (toolchain.md). Playwright gives every
 * launch a fresh temporary profile of its own.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // The same font rasterisation in every run: no subpixel positioning differences between hosts.
      '--font-render-hinting=none',
      '--force-color-profile=srgb',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/**
 * Every request the pages make to a host other than the platform's own: the web app must load
 * nothing from elsewhere (fonts, scripts, images, analytics).
 */
export function trackExternalRequests(context: BrowserContext, ownHosts: readonly string[]): string[] {
  const external: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!ownHosts.includes(url.hostname)) external.push(request.url());
  });
  return external;
}
