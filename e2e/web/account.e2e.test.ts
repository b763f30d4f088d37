import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startZarinpalProtocolServer,
  type ZarinpalProtocolServer,
} from '../../services/identity/test/zarinpal-protocol.server';
import { launchChromium, trackExternalRequests } from './support/browser';
import {
  gatewayCall,
  registerVerified,
  signInToken,
  startWebPlatform,
  type WebPlatform,
} from './support/web-platform';

/*
 * The account pages and the admin console in a real browser through the one-process platform: an
 * API key made in the UI works with curl-like calls and dies when revoked there, a plan is paid at a
 * local server speaking ZarinPal's protocol and the result page shows what identity verified, an
 * administrator bans a person whose open session then ends, and every page renders in Persian and
 * English (screenshots in test-artifacts/web-account/).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web-account');
const ADMIN_EMAIL = 'admin@flatrender.local';
const ADMIN_PASSWORD = 'e2e admin passphrase 4 account';
const suffix = Date.now().toString(36);
/** How long the page may take to show a change (the machine may be busy with other tests). */
const UI = { timeout: 15_000 };
const owner = {
  email: `owner.${suffix}@example.com`,
  password: 'a long owner passphrase 1404',
  name: 'مریم',
};
const member = {
  email: `member.${suffix}@example.com`,
  password: 'a long member passphrase 1404',
  name: 'Reza',
};

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, web: string, email: string, password: string, next = '/account/projects') {
  await page.goto(`${web}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('ایمیل').fill(email);
  await page.getByLabel('گذرواژه').fill(password);
  await page.getByRole('button', { name: 'ورود' }).click();
  await page.waitForURL(`${web}${next}`);
}

async function setLocale(context: BrowserContext, web: string, locale: 'fa' | 'en') {
  await context.addCookies([{ name: 'fr_locale', value: locale, url: web }]);
}

describe('account pages and admin console in a browser', () => {
  let platform: WebPlatform;
  let zarinpal: ZarinpalProtocolServer;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let ownerContext: BrowserContext;
  let ownerPage: Page;
  let adminContext: BrowserContext;
  let adminPage: Page;
  const external: string[][] = [];
  let tenantId: string;
  let receiver: Server;
  let receiverUrl: string;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  let hookId: string;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    zarinpal = await startZarinpalProtocolServer();
    // A tenant's webhook endpoint: records what it is sent and answers 200.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/flatrender`;
    platform = await startWebPlatform({
      FLATRENDER_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ZARINPAL_MERCHANT_ID: zarinpal.merchantId,
      ZARINPAL_BASE_URL: zarinpal.url,
      // The test signs several people in from one address within a minute.
      GATEWAY_AUTH_RATE_LIMIT_MAX: '200',
      GATEWAY_AUTH_EMAIL_RATE_LIMIT_MAX: '50',
      GATEWAY_RATE_LIMIT_MAX: '300',
      // The endpoint above listens on loopback at a port of its own.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_ALLOWED_PORTS: '*',
    });
    await registerVerified(platform, owner);
    await registerVerified(platform, member);
    // API access needs a paid plan: the administrator records a manual payment of "pro".
    const adminToken = await signInToken(platform.gateway, ADMIN_EMAIL, ADMIN_PASSWORD);
    const ownerToken = await signInToken(platform.gateway, owner.email, owner.password);
    tenantId = (
      await gatewayCall<{ tenant: { id: string } }>(platform.gateway, '/v1/me', { token: ownerToken })
    ).body.tenant.id;
    const granted = await gatewayCall(platform.gateway, '/v1/admin/payments', {
      method: 'POST',
      token: adminToken,
      body: { tenant_id: tenantId, plan_code: 'pro', reference: 'account-e2e' },
    });
    expect(granted.status).toBe(201);

    ({ browser, close: closeBrowser } = await launchChromium());
    ownerContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'fa-IR' });
    adminContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'fa-IR' });
    for (const context of [ownerContext, adminContext])
      external.push(trackExternalRequests(context, ['127.0.0.1', 'localhost']));
    ownerPage = await ownerContext.newPage();
    adminPage = await adminContext.newPage();
    await signIn(ownerPage, platform.web, owner.email, owner.password);
    await signIn(adminPage, platform.web, ADMIN_EMAIL, ADMIN_PASSWORD, '/admin');
  }, 900_000);

  afterAll(async () => {
    await closeBrowser?.();
    await platform?.stop();
    await zarinpal?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('shows the console to platform administrators only', async () => {
    const answer = await ownerPage.goto(`${platform.web}/admin/users`);
    expect(answer?.status()).toBe(404);
    await ownerPage.getByText('این صفحه پیدا نشد').waitFor();
    expect(await ownerPage.locator('a[href="/admin"]').count()).toBe(0);
    await adminPage.goto(`${platform.web}/admin`);
    await adminPage.getByTestId('queues-table').waitFor();
    const first = Number(await adminPage.getByTestId('farm-updated').getAttribute('data-time'));
    // The farm view keeps itself current.
    await expect
      .poll(async () => Number(await adminPage.getByTestId('farm-updated').getAttribute('data-time')), {
        timeout: 15_000,
      })
      .toBeGreaterThan(first);
    await expect
      .poll(() => adminPage.getByTestId('node-row').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
  });

  it('creates an API key in the UI that works against /v1, tells the bell live, and revokes it', async () => {
    const page = ownerPage;
    await page.goto(`${platform.web}/account/api-keys`);
    const unreadBefore = Number(await page.getByTestId('bell').getAttribute('data-unread'));
    await page.getByTestId('create-key').click();
    await page.getByTestId('key-name').fill('انتشار خودکار');
    await page.getByRole('button', { name: 'فقط خواندن' }).click();
    await page.getByLabel(/ساخت خروجی/).check();
    await page.getByTestId('create-key-submit').click();
    const key = (await page.getByTestId('new-key').textContent())?.trim() ?? '';
    expect(key).toMatch(/^fr_[A-Za-z0-9]{8}_[0-9a-f]{48}$/);
    await shot(page, 'api-key-created-fa');
    await page.getByTestId('key-done').click();
    const row = page.getByTestId('key-row').first();
    expect(await row.textContent()).toContain(key.slice(0, 11));

    // A program uses it: reads are allowed, writing projects is not among its scopes.
    const templates = await gatewayCall<{ total: number }>(platform.gateway, '/v1/templates?limit=1', {
      token: key,
    });
    expect(templates.status).toBe(200);
    expect(templates.body.total).toBeGreaterThan(0);
    expect((await gatewayCall(platform.gateway, '/v1/renders', { token: key })).status).toBe(200);
    const write = await gatewayCall<{ error: { code: string } }>(platform.gateway, '/v1/projects', {
      method: 'POST',
      token: key,
      body: { template_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('insufficient_scope');

    // identity announced the key; the notice reaches the open page over the event stream.
    await expect
      .poll(async () => Number(await page.getByTestId('bell').getAttribute('data-unread')), {
        timeout: 30_000,
      })
      .toBeGreaterThan(unreadBefore);
    await page.getByTestId('bell').click();
    await page.getByTestId('bell-item').first().waitFor();
    expect(await page.getByTestId('bell-item').first().textContent()).toMatch(/API/);
    await shot(page, 'bell-fa');
    await page.keyboard.press('Escape');

    // The last use is recorded and shown.
    await page.reload();
    await expect.poll(() => page.getByTestId('key-row').first().textContent(), UI).not.toContain('هرگز');

    await page.getByTestId('key-row').first().getByRole('button', { name: 'باطل کردن' }).click();
    await page.getByTestId('confirm').click();
    await expect
      .poll(() => page.getByTestId('key-row').first().getAttribute('data-state'), UI)
      .toBe('revoked');
    await expect
      .poll(
        async () => (await gatewayCall(platform.gateway, '/v1/templates?limit=1', { token: key })).status,
        {
          timeout: 20_000,
        },
      )
      .toBe(401);
  });

  it('pays for a plan at the provider and comes back to the result identity verified', async () => {
    const page = ownerPage;
    await page.goto(`${platform.web}/account/plan`);
    await shot(page, 'plan-fa');
    await page.locator('[data-testid=plan-card][data-plan=business]').getByTestId('buy-plan').click();
    await page.waitForURL(/\/billing\/return\?payment_id=/, { timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('payment-result').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('succeeded');
    await shot(page, 'payment-result-fa');
    // The provider was asked by the server, and the plan is the one paid for.
    expect(zarinpal.calls.get('/pg/v4/payment/verify.json') ?? 0).toBeGreaterThan(0);
    await page.goto(`${platform.web}/account/plan`);
    await page.locator('[data-testid=plan-card][data-plan=business][data-current=true]').waitFor();
    await page.goto(`${platform.web}/account/payments`);
    await expect
      .poll(() => page.locator('[data-testid=payment-status][data-status=succeeded]').count())
      .toBeGreaterThanOrEqual(2);

    // Cancelled at the provider: the result page says so, whatever the URL claims.
    await page.goto(`${platform.web}/account/plan`);
    await page.route(/\/pg\/StartPay\//, (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('pay', '0');
      return route.continue({ url: url.toString() });
    });
    await page.locator('[data-testid=plan-card][data-plan=pro]').getByTestId('buy-plan').click();
    await page.waitForURL(/\/billing\/return\?payment_id=/, { timeout: 30_000 });
    const returned = new URL(page.url());
    await expect
      .poll(() => page.getByTestId('payment-result').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('failed');
    await page.unroute(/\/pg\/StartPay\//);
    // A forged "status=succeeded" in the return URL changes nothing.
    returned.searchParams.set('status', 'succeeded');
    await page.goto(returned.toString());
    expect(await page.getByTestId('payment-result').getAttribute('data-status')).toBe('failed');
    await shot(page, 'payment-failed-fa');
  });

  it('an administrator bans a person in the console and their open session ends', async () => {
    const memberContext = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'fa-IR',
    });
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, platform.web, member.email, member.password);
    await memberPage.getByTestId('user-menu').waitFor();

    await adminPage.goto(`${platform.web}/admin/users`);
    await adminPage.getByTestId('admin-search').fill(member.email);
    const row = adminPage.locator(`[data-testid=user-row][data-email="${member.email}"]`);
    await row.waitFor();
    await expect.poll(() => adminPage.getByTestId('user-row').count(), UI).toBe(1);
    await row.getByTestId('ban').click();
    await adminPage.getByLabel('دلیل').selectOption('spam');
    await adminPage.getByLabel('یادداشت (برای سوابق)').fill('e2e');
    await shot(adminPage, 'admin-ban-dialog-fa');
    await adminPage.getByTestId('confirm').click();
    await expect.poll(() => row.getAttribute('data-banned'), UI).toBe('true');
    await shot(adminPage, 'admin-users-fa');

    // The member's browser still has its cookies; the next page finds the session over.
    await expect
      .poll(
        async () => {
          await memberPage.goto(`${platform.web}/account/projects`);
          return new URL(memberPage.url()).pathname;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('/login');
    const proxied = await memberContext.request.get(`${platform.web}/api/gw/v1/me`);
    expect(proxied.status()).toBe(401);
    // And signing in again is refused with the reason.
    await memberPage.getByLabel('ایمیل').fill(member.email);
    await memberPage.getByLabel('گذرواژه').fill(member.password);
    await memberPage.getByRole('button', { name: 'ورود' }).click();
    await memberPage.getByText('این حساب مسدود شده است.').waitFor();
    await memberContext.close();
  });

  it('adds a webhook endpoint in the UI, logs the delivery of an event with its answer, and replays it', async () => {
    const page = ownerPage;
    await page.goto(`${platform.web}/account/webhooks`);
    await page.getByTestId('create-webhook').click();
    await page.getByTestId('webhook-url').fill(receiverUrl);
    await page.getByLabel(/عکس فوری آماده شد/).check();
    await page.getByTestId('create-webhook-submit').click();
    const secret = (await page.getByTestId('webhook-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    await shot(page, 'webhook-secret-fa');
    await page.getByTestId('secret-done').click();
    await page.getByTestId('webhook-row').first().getByRole('link', { name: 'جزئیات و گزارش' }).click();
    await page.waitForURL(/\/account\/webhooks\/[0-9a-f-]{36}$/);
    hookId = page.url().split('/').at(-1)!;

    // A snapshot of a project makes render.snapshot.ready.v1, which the endpoint is subscribed to.
    const templates = await ownerContext.request.get(`${platform.web}/api/gw/v1/templates?limit=1`);
    const templateId = ((await templates.json()) as { items: Array<{ id: string }> }).items[0]!.id;
    const project = await ownerContext.request.post(`${platform.web}/api/gw/v1/projects`, {
      data: { template_id: templateId },
    });
    expect(project.status()).toBe(201);
    const projectId = ((await project.json()) as { id: string }).id;
    const snapshot = await ownerContext.request.post(
      `${platform.web}/api/gw/v1/projects/${projectId}/snapshots`,
      {
        data: { time: 1 },
      },
    );
    expect(snapshot.status(), await snapshot.text()).toBe(202);
    await expect.poll(() => received.length, { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
    const delivered = received[0]!;
    expect(delivered.headers['webhook-id']).toBeTruthy();
    expect(delivered.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(delivered.body).event_type).toBe('render.snapshot.ready.v1');

    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('[data-testid=delivery-row][data-state=succeeded]').count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    const row = page.locator('[data-testid=delivery-row]').first();
    expect(await row.getByTestId('delivery-status').textContent()).toBe('۲۰۰');
    expect(await row.getByTestId('delivery-time').textContent()).toMatch(/^[۰-۹٬]+ میلی‌ثانیه$/);
    await row.getByTestId('replay').click();
    await expect.poll(() => page.getByTestId('delivery-row').count(), UI).toBe(2);
    await expect.poll(() => received.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    // A replay is the same event: the same webhook-id.
    expect(received[1]!.headers['webhook-id']).toBe(delivered.headers['webhook-id']);
    await shot(page, 'webhook-log-fa');
  });

  it('renders every account and admin page in Persian and English, right to left and left to right', async () => {
    // A team, so the workspaces list has two.
    const team = await ownerContext.request.post(`${platform.web}/api/gw/v1/tenants`, {
      data: { name: 'تیم طراحی' },
    });
    expect(team.status()).toBe(201);

    const accountPages = [
      'projects',
      'files',
      'plan',
      'payments',
      'api-keys',
      'webhooks',
      `webhooks/${hookId}`,
      'inbox',
      'notifications',
      'team',
    ].map((p) => `/account/${p}`);
    const adminPages = [
      '/admin',
      '/admin/templates',
      '/admin/templates/new',
      '/admin/fonts',
      '/admin/users',
      '/admin/tenants',
      '/admin/plans',
    ];
    for (const locale of ['fa', 'en'] as const) {
      for (const [context, page, paths] of [
        [ownerContext, ownerPage, accountPages],
        [adminContext, adminPage, adminPages],
      ] as const) {
        await setLocale(context, platform.web, locale);
        for (const pathname of paths) {
          const answer = await page.goto(`${platform.web}${pathname}`);
          expect(answer?.status(), pathname).toBe(200);
          expect(await page.locator('html').getAttribute('lang')).toBe(locale);
          expect(await page.locator('html').getAttribute('dir')).toBe(locale === 'fa' ? 'rtl' : 'ltr');
          await page.locator('h1').first().waitFor();
          // Neither the error page nor a page wider than the window.
          expect(
            await page.getByText(locale === 'fa' ? 'مشکلی پیش آمد' : 'Something went wrong').count(),
            pathname,
          ).toBe(0);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `${pathname} overflows by ${overflow}px`).toBeLessThanOrEqual(1);
          // The page's own words (headings, navigation, column heads, labels, buttons) are in the
          // page's language; people's content (names, notices written in their language) may not be.
          const chrome = (
            await page.locator('main :is(h1, h2, nav a, th, label, button)').allInnerTexts()
          ).join('\n');
          if (locale === 'en') expect(chrome, pathname).not.toMatch(/[\u0600-\u06FF]{3,}/);
          else expect(chrome, pathname).toMatch(/[\u0600-\u06FF]{3,}/);
          const name = pathname
            .replace(/^\//, '')
            .replace(/[0-9a-f-]{36}/, 'one')
            .replace(/\//g, '-');
          await shot(page, `${name}-${locale}`);
        }
      }
    }
    // Persian digits and the Jalali year on a page with dates.
    await setLocale(ownerContext, platform.web, 'fa');
    await ownerPage.goto(`${platform.web}/account/payments`);
    const table = await ownerPage.getByTestId('payments-table').innerText();
    expect(table).toMatch(/۱۴۰[۵-۹]/);
    expect(table).not.toMatch(/20[2-9][0-9]/);
  });

  it('fits a phone screen (375 px) in both directions', async () => {
    const phone = await browser.newContext({
      viewport: { width: 375, height: 812 },
      locale: 'fa-IR',
      isMobile: true,
    });
    await phone.addCookies(await ownerContext.cookies(platform.web));
    const page = await phone.newPage();
    for (const locale of ['fa', 'en'] as const) {
      await setLocale(phone, platform.web, locale);
      for (const pathname of ['/account/plan', '/account/api-keys', '/account/notifications']) {
        await page.goto(`${platform.web}${pathname}`);
        await page.locator('h1').first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${pathname} (${locale}) overflows by ${overflow}px`).toBeLessThanOrEqual(1);
        await shot(page, `mobile${pathname.replace(/\//g, '-')}-${locale}`);
      }
    }
    await phone.close();
  });

  it('loaded nothing from any other host', () => {
    // The payment provider's stand-in listens on 127.0.0.1 too, so any other host is a fault.
    expect(external.flat()).toEqual([]);
  });
});
