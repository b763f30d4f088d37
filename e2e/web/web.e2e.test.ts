import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedPlatform, spawnPlatform } from '../support/platform-process';
import { launchChromium, trackExternalRequests } from './support/browser';
import { waitForMailLink } from './support/mail';
import { meanDifference, rgbPixels } from './support/pixels';

/*
 * The web app in a real browser through the whole one-process platform (`flatrender start`): a
 * person registers, confirms the address from the mail, customises a template in the studio, checks
 * the preview against the server's snapshot, renders an MP4, downloads it, switches to English and
 * uses an API key. Screenshots of the key screens land in test-artifacts/web/.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');
const ADMIN_PASSWORD = 'e2e admin passphrase 4 web';
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForOutput(platform: SpawnedPlatform, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(platform.output());
    if (match?.[1]) return match[1];
    if (/the web app is not served/.test(platform.output())) throw new Error(platform.output().slice(-4000));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${platform.output().slice(-4000)}`);
}

/** Pixels of the visible preview canvas, for "did it change" comparisons. */
async function canvasPixels(page: Page): Promise<Buffer> {
  const dataUrl = await page
    .getByTestId('preview-canvas')
    .evaluate((c) => (c as HTMLCanvasElement).toDataURL());
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

async function draws(page: Page): Promise<number> {
  return Number(await page.getByTestId('preview-canvas').getAttribute('data-draws'));
}

/** Moves the timeline to `seconds` the way a person dragging the scrubber does. */
async function seek(page: Page, seconds: number): Promise<void> {
  await page.getByTestId('scrubber').evaluate((input, value) => {
    const element = input as HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    setter?.call(element, String(value));
    element.dispatchEvent(new Event('input', { bubbles: true }));
  }, seconds);
  await expect
    .poll(() => page.getByTestId('preview-canvas').getAttribute('data-time'))
    .toBe(seconds.toFixed(3));
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('web app in a browser, through the one-process platform', () => {
  let platform: SpawnedPlatform;
  let dataDir: string;
  let downloads: string;
  let web: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let external: string[];
  let projectUrl: string;
  const email = `sara.${Date.now().toString(36)}@example.com`;
  const password = 'a long spring passphrase 1404';
  const titleText = 'بهار ۱۴۰۵ خجسته باد';
  const brand = '#1a73e8';
  const at = 2; // a second of the first scene where the greeting is on screen (frame 60 at 30 fps)

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-web-e2e-'));
    downloads = await mkdtemp(path.join(os.tmpdir(), 'flatrender-web-downloads-'));
    const webPort = await freePort();
    web = `http://127.0.0.1:${webPort}`;
    platform = await spawnPlatform(
      ['start'],
      {
        FLATRENDER_DATA_DIR: dataDir,
        WEB_PORT: String(webPort),
        WEB_ORIGIN: web,
        FLATRENDER_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LOG_LEVEL: 'warn',
      },
      /running: (http:\/\/\S+)/,
      120_000,
    );
    // The web app is built on first start when its build is missing or stale (CI builds it before).
    await waitForOutput(platform, /FlatRender web app: (http:\/\/\S+)\n/, 600_000);
    ({ browser, close: closeBrowser } = await launchChromium());
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
      locale: 'fa-IR',
    });
    external = trackExternalRequests(context, ['127.0.0.1', 'localhost']);
    page = await context.newPage();
  }, 900_000);

  afterAll(async () => {
    await closeBrowser?.();
    await platform?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(downloads, { recursive: true, force: true });
  });

  it('starts in Persian, right to left, with its own fonts', async () => {
    await page.goto(`${web}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fa');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const family = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(family).toMatch(/vazirmatn/i);
    await page.evaluate(() => document.fonts.ready);
    const loaded = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').length);
    expect(loaded).toBeGreaterThan(0);
    await shot(page, 'home-fa');
  });

  it('registers and confirms the address with the link from the mail', async () => {
    await page.goto(`${web}/register`);
    await page.getByLabel('نام نمایشی').fill('سارا');
    await page.getByLabel('ایمیل').fill(email);
    await page.getByLabel('گذرواژه').fill(password);
    await shot(page, 'register-fa');
    await page.getByRole('button', { name: 'ساخت حساب' }).click();
    await page.getByTestId('check-email').waitFor();
    const link = await waitForMailLink(
      path.join(dataDir, 'outbox-mail'),
      email,
      /https?:\/\/[^\s"'<>]+\/verify-email\?token=[A-Za-z0-9_%-]+/,
    );
    expect(link.startsWith(`${web}/verify-email?token=`)).toBe(true);
    await page.goto(link);
    await page.getByTestId('verify-done').waitFor();
  });

  it('signs in; the session cookies are httpOnly, SameSite=Lax and not Secure over plain HTTP', async () => {
    await page.goto(`${web}/login?next=/templates`);
    await page.getByLabel('ایمیل').fill(email);
    await page.getByLabel('گذرواژه').fill(password);
    await page.getByRole('button', { name: 'ورود' }).click();
    await page.waitForURL(`${web}/templates`);
    const cookies = await context.cookies(web);
    for (const name of ['fr_access', 'fr_refresh']) {
      const cookie = cookies.find((c) => c.name === name);
      expect(cookie, name).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    }
    expect(await page.evaluate(() => document.cookie)).not.toContain('fr_access');
  });

  it('filters the gallery and opens a template', async () => {
    await page.getByTestId('template-card').first().waitFor();
    const all = await page.getByTestId('template-card').count();
    expect(all).toBeGreaterThan(3);
    await page.getByTestId('gallery-search').fill('نوروز');
    await expect.poll(() => page.getByTestId('template-card').count(), { timeout: 15_000 }).toBeLessThan(all);
    await page.locator('[data-testid=template-card][data-slug=nowruz-greeting]').waitFor();
    await shot(page, 'gallery-fa');
    await page.locator('[data-testid=template-card][data-slug=nowruz-greeting]').click();
    await page.getByTestId('template-poster').waitFor();
    await shot(page, 'template-fa');
  });

  it('uses the template: a project opens in the studio with the preview drawn', async () => {
    await page.getByTestId('use-template').click();
    await page.waitForURL(/\/studio\/[0-9a-f-]{36}$/);
    projectUrl = page.url();
    await expect.poll(() => draws(page), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('checks-summary').isVisible(), { timeout: 30_000 }).toBe(true);
  }, 90_000);

  it('changes the Persian title and the colour: the canvas changes and the project saves', async () => {
    await seek(page, at);
    const before = await rgbPixels(await canvasPixels(page));
    const drawsBefore = await draws(page);
    await page.locator('input[data-path="hero.greeting"]').fill(titleText);
    await page.locator('[data-field]').filter({ hasText: 'رنگ برند' }).getByLabel('کد رنگ').fill(brand);
    await expect.poll(() => draws(page), { timeout: 15_000 }).toBeGreaterThan(drawsBefore);
    await expect
      .poll(() => page.getByTestId('save-state').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('saved');
    await seek(page, at);
    const after = await rgbPixels(await canvasPixels(page));
    expect(meanDifference(before, after)).toBeGreaterThan(1);
    await shot(page, 'studio-fa');
    // Saved on the server: a reload shows the same values.
    await page.reload();
    await expect
      .poll(() => page.locator('input[data-path="hero.greeting"]').inputValue(), { timeout: 15_000 })
      .toBe(titleText);
  }, 120_000);

  it('draws the same frame as the server snapshot of the same time (mean difference <= 2/255)', async () => {
    await expect.poll(() => draws(page), { timeout: 30_000 }).toBeGreaterThan(0);
    await seek(page, at);
    const [frameDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-frame').click(),
    ]);
    const framePath = path.join(downloads, 'frame.png');
    await frameDownload.saveAs(framePath);
    await page.getByTestId('snapshot').click();
    const image = page.getByTestId('snapshot-image');
    const refused = page.getByRole('dialog').getByRole('alert');
    await image.or(refused).first().waitFor({ timeout: 120_000 });
    if (await refused.isVisible()) {
      throw new Error(
        `the snapshot failed in the page: ${await refused.textContent()}\n${platform.output().slice(-4000)}`,
      );
    }
    const snapshotUrl = new URL((await image.getAttribute('src'))!, web).toString();
    const snapshot = await context.request.get(snapshotUrl);
    expect(snapshot.status()).toBe(200);
    const snapshotBytes = await snapshot.body();
    await writeFile(path.join(ARTIFACTS, 'snapshot-server.png'), snapshotBytes);
    await writeFile(path.join(ARTIFACTS, 'snapshot-browser.png'), await readFile(framePath));
    const browserFrame = await rgbPixels(await readFile(framePath));
    const serverFrame = await rgbPixels(snapshotBytes);
    expect([browserFrame.width, browserFrame.height]).toEqual([serverFrame.width, serverFrame.height]);
    expect(meanDifference(browserFrame, serverFrame)).toBeLessThanOrEqual(2);
    await page.keyboard.press('Escape');
  }, 240_000);

  it('renders an MP4 after showing the quote, follows it to the end and downloads a valid video', async () => {
    const aspect = await page.getByTestId('aspect-switch').inputValue();
    const [w, h] = aspect.split(':').map(Number) as [number, number];
    await page.getByTestId('render').click();
    await page.getByTestId('quote').waitFor({ timeout: 30_000 });
    await page.getByTestId('start-render').click();
    await page.getByTestId('open-render').click();
    await page.waitForURL(/\/renders\/[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.getByTestId('render-status').getAttribute('data-status'), { timeout: 300_000 })
      .toBe('completed');
    await page.getByTestId('render-video').waitFor();
    await shot(page, 'render-fa');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('render-download').click(),
    ]);
    const video = path.join(downloads, 'render.mp4');
    await download.saveAs(video);
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_streams',
      '-show_format',
      '-of',
      'json',
      video,
    ]);
    const probe = JSON.parse(stdout) as {
      streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>;
      format: { duration: string; format_name: string };
    };
    const stream = probe.streams.find((s) => s.codec_type === 'video');
    expect(stream?.codec_name).toBe('h264');
    expect(probe.format.format_name).toContain('mp4');
    expect(Number(probe.format.duration)).toBeGreaterThan(5);
    expect(stream?.width && stream.height ? stream.width / stream.height : 0).toBeCloseTo(w / h, 2);
    await page.goto(`${web}/renders`);
    await page.getByTestId('render-row').first().waitFor();
    await shot(page, 'renders-fa');
  }, 420_000);

  it('switches to English: left to right, English texts, the same session', async () => {
    await page.goto(projectUrl);
    await page.getByTestId('locale-switch').click();
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 15_000 }).toBe('en');
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await page.getByRole('button', { name: 'Render', exact: true }).waitFor();
    await expect.poll(() => draws(page), { timeout: 30_000 }).toBeGreaterThan(0);
    await shot(page, 'studio-en');
    await page.goto(`${web}/templates`);
    await page.locator('[data-testid=template-card][data-slug=nowruz-greeting]').waitFor();
    await shot(page, 'gallery-en');
    await page.locator('[data-testid=template-card][data-slug=nowruz-greeting]').click();
    await page.getByTestId('template-poster').waitFor();
    await shot(page, 'template-en');
    for (const [name, url] of [
      ['renders-en', '/renders'],
      ['login-en', '/login'],
    ] as const) {
      await page.goto(`${web}${url}`);
      await page.waitForLoadState('networkidle');
      await shot(page, name);
    }
  }, 120_000);

  it('an API key created with the session works against /v1', async () => {
    // API access needs a paid plan: the platform admin records a manual payment for the tenant.
    const me = (await (await context.request.get(`${web}/api/auth/me`)).json()) as { tenant: { id: string } };
    const gateway = platform.url;
    const admin = await fetch(`${gateway}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@flatrender.local', password: ADMIN_PASSWORD }),
    });
    const adminToken = ((await admin.json()) as { access_token: string }).access_token;
    const granted = await fetch(`${gateway}/v1/admin/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ tenant_id: me.tenant.id, plan_code: 'pro', reference: 'web-e2e' }),
    });
    expect(granted.status).toBe(201);
    // The key is made by the signed-in person through the web app's proxy (no token in the page).
    const created = await context.request.post(`${web}/api/gw/v1/api-keys`, {
      data: { name: 'web e2e', scopes: ['templates:read', 'projects:read'] },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const templates = await fetch(`${gateway}/v1/templates?limit=1`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(templates.status).toBe(200);
    expect(((await templates.json()) as { total: number }).total).toBeGreaterThan(0);
  });

  it('loaded nothing from any other host, and its built assets name none', async () => {
    expect(external).toEqual([]);
    const staticDir = path.join(ROOT, 'apps', 'web', '.next', 'static');
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.name.endsWith('.css')) {
          // Stylesheets are where fonts and images would be pulled from another host.
          const text = await readFile(full, 'utf8');
          for (const match of text.matchAll(/url\((["']?)(https?:)?\/\/[^)]+\)/g))
            offenders.push(`${entry.name}: ${match[0]}`);
          for (const match of text.matchAll(/@import\s+(url\()?["']?https?:/g))
            offenders.push(`${entry.name}: ${match[0]}`);
        }
      }
    };
    await walk(staticDir);
    expect(offenders).toEqual([]);
    const html = await (await context.request.get(`${web}/login`)).text();
    expect(html.match(/(?:src|href)="https?:\/\/(?!127\.0\.0\.1|localhost)[^"]+"/g) ?? []).toEqual([]);
  });
});
