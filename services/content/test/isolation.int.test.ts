import { randomUUID } from 'node:crypto';
import { PLATFORM_TENANT_ID, ROUTE_OWNERS } from '@flatrender/contracts';
import {
  assertTenantTablesForceRls,
  createHttpServer,
  createLogger,
  type HttpServer,
  type Principal,
} from '@flatrender/platform';
import { describeWithServices } from '@flatrender/platform/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ContentHarness,
  installPlatformVazirmatn,
  multipartBody,
  startContentHarness,
} from './content-harness';
import { fontFixtures } from './font-fixtures';
import { sampleTemplate } from './template-fixtures';

await describeWithServices(['postgres', 'rabbitmq'], 'content tenant isolation', () => {
  let h: ContentHarness;
  const alice = { tenantId: randomUUID(), userId: randomUUID(), role: 'owner' as const };
  const bob = { tenantId: randomUUID(), userId: randomUUID(), role: 'owner' as const };
  const admin = { platformAdmin: true, role: 'owner' as const };
  const ids = { bobPublished: '', bobDraft: '', bobFont: '', platform: '', platformDraft: '' };

  beforeAll(async () => {
    h = await startContentHarness({ CONTENT_PREVIEWS: 'false' });
    await installPlatformVazirmatn(h);
    const create = async (who: object, slug: string, prefix = '/v1/templates') => {
      const title =
        who === bob ? { fa: 'راز باب', en: `Bob secret ${slug}` } : { fa: 'کارت همگانی', en: 'Public card' };
      const res = await h.request(who, {
        method: 'POST',
        url: prefix,
        payload: { document: sampleTemplate(slug, { title }) },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    ids.bobPublished = await create(bob, 'bob-card');
    expect(
      (await h.request(bob, { method: 'POST', url: `/v1/templates/${ids.bobPublished}/publish` })).statusCode,
    ).toBe(201);
    ids.bobDraft = await create(bob, 'bob-draft');
    ids.platform = await create(admin, 'platform-card', '/v1/admin/templates');
    expect(
      (await h.request(admin, { method: 'POST', url: `/v1/admin/templates/${ids.platform}/publish` }))
        .statusCode,
    ).toBe(201);
    ids.platformDraft = await create(admin, 'platform-draft', '/v1/admin/templates');
    const body = multipartBody(
      { name: 'bob.woff2', bytes: fontFixtures.vazirmatnBlackWoff2() },
      { family: 'Bob Brand' },
    );
    const font = await h.request(bob, {
      method: 'POST',
      url: '/v1/fonts',
      payload: body.payload,
      headers: body.headers,
    });
    expect(font.statusCode, font.body).toBe(201);
    ids.bobFont = font.json().font.id;
  });
  afterAll(() => h?.stop());

  it('registers public routes only under the prefixes content owns', async () => {
    const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
    const paths: string[] = [];
    app.addHook('onRoute', (route) => {
      paths.push(route.url);
    });
    await app.register(async (scope) => h.harness.started[0]!.parts.routes!(scope as HttpServer));
    await app.ready();
    const own = ROUTE_OWNERS.filter((o) => o.service === 'content').map((o) => o.prefix);
    expect(own.sort()).toEqual(['/v1/admin/fonts', '/v1/admin/templates', '/v1/fonts', '/v1/templates']);
    const foreign = paths.filter(
      (p) => !p.startsWith('/internal/') && !own.some((prefix) => p === prefix || p.startsWith(`${prefix}/`)),
    );
    expect(foreign).toEqual([]);
    expect(paths.length).toBeGreaterThan(20);
    await app.close();
  });

  it('enforces row-level security on every content table', async () => {
    await assertTenantTablesForceRls(h.harness.database!, ['content']);
  });

  it('shows tenant A the platform catalogue but none of tenant B’s templates', async () => {
    const list = (await h.request(alice, { url: '/v1/templates?limit=100' })).json();
    const listed = list.items.map((t: { id: string }) => t.id);
    expect(listed).toContain(ids.platform);
    expect(listed).not.toContain(ids.bobPublished);
    expect(listed).not.toContain(ids.platformDraft);
    expect(
      (await h.request(alice, { url: `/v1/templates?q=${encodeURIComponent('راز باب')}` })).json().items,
    ).toEqual([]);
    const withDrafts = (await h.request(alice, { url: '/v1/templates?status=any&limit=100' }))
      .json()
      .items.map((t: { id: string }) => t.id);
    expect(withDrafts).toContain(ids.platform);
    expect(withDrafts).not.toContain(ids.platformDraft);
    expect(withDrafts).not.toContain(ids.bobDraft);
    const bobDrafts = (
      await h.request(bob, { url: '/v1/templates?status=any&visibility=tenant&limit=100' })
    ).json().items;
    expect(bobDrafts.map((t: { id: string; status: string }) => `${t.id}:${t.status}`).sort()).toEqual(
      [`${ids.bobDraft}:draft`, `${ids.bobPublished}:published`].sort(),
    );
    expect(
      (await h.request(bob, { url: `/v1/templates?q=${encodeURIComponent('راز باب')}` }))
        .json()
        .items.map((t: { id: string }) => t.id),
    ).toEqual([ids.bobPublished]);
    expect((await h.request(alice, { url: `/v1/templates/${ids.platform}` })).statusCode).toBe(200);
  });

  it('answers 404 to tenant A on every template route for tenant B’s ids', async () => {
    for (const id of [ids.bobPublished, ids.bobDraft]) {
      const routes: [string, string, unknown?][] = [
        ['GET', `/v1/templates/${id}`],
        ['GET', `/v1/templates/${id}/versions`],
        ['GET', `/v1/templates/${id}/versions/1`],
        ['GET', `/v1/templates/${id}/versions/1/document`],
        ['GET', `/v1/templates/${id}/draft`],
        [
          'PUT',
          `/v1/templates/${id}/draft`,
          { document: sampleTemplate(id === ids.bobDraft ? 'bob-draft' : 'bob-card') },
        ],
        ['POST', `/v1/templates/${id}/publish`],
        ['DELETE', `/v1/templates/${id}`],
        ['POST', `/v1/templates/${id}/unpublish`, {}],
        ['POST', '/v1/templates/validate', { template_id: id, version: 1, values: {} }],
      ];
      for (const [method, url, payload] of routes) {
        const res = await h.request(alice, { method: method as 'GET', url, ...(payload ? { payload } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().error.code, `${method} ${url}`).toBe('not_found');
      }
    }
    // Nothing changed for Bob.
    const bobsView = (await h.request(bob, { url: `/v1/templates/${ids.bobPublished}` })).json();
    expect(bobsView).toMatchObject({ status: 'published', current: { version: 1 } });
  });

  it('answers 404 to tenant A for tenant B’s fonts, in lists, files and the CSS', async () => {
    const fonts = (await h.request(alice, { url: '/v1/fonts' })).json().items;
    expect(fonts.map((f: { id: string }) => f.id)).not.toContain(ids.bobFont);
    expect(fonts.filter((f: { visibility: string }) => f.visibility === 'platform')).toHaveLength(2);
    expect((await h.request(alice, { url: `/v1/fonts/${ids.bobFont}` })).statusCode).toBe(404);
    expect((await h.request(alice, { url: `/v1/fonts/${ids.bobFont}/file` })).statusCode).toBe(404);
    expect((await h.request(alice, { url: '/v1/fonts/faces.css' })).body).not.toContain('Bob Brand');
    expect((await h.request(bob, { url: '/v1/fonts/faces.css' })).body).toContain('Bob Brand');
    // Alice may reuse Bob's family name for her own file; it never shows Bob's face to her.
    const body = multipartBody(
      { name: 'alice.woff2', bytes: fontFixtures.vazirmatnBlackWoff2() },
      { family: 'Bob Brand' },
    );
    const mine = await h.request(alice, {
      method: 'POST',
      url: '/v1/fonts',
      payload: body.payload,
      headers: body.headers,
    });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().font.id).not.toBe(ids.bobFont);
  });

  it('answers internal calls with what the calling principal may see', async () => {
    const as = (principal: Principal | undefined, path: string) =>
      h.harness.infra.internal.request('content', {
        method: 'GET',
        path,
        ...(principal ? { principal } : {}),
      });
    const alicePrincipal = h.harness.newPrincipal(alice);
    const bobPrincipal = h.harness.newPrincipal(bob);
    expect((await as(alicePrincipal, `/internal/templates/${ids.bobPublished}/versions/1`)).status).toBe(404);
    expect((await as(alicePrincipal, `/internal/templates/${ids.bobPublished}`)).status).toBe(404);
    expect((await as(bobPrincipal, `/internal/templates/${ids.bobPublished}/versions/1`)).status).toBe(200);
    expect((await as(alicePrincipal, `/internal/templates/${ids.platform}/versions/1`)).status).toBe(200);
    expect((await as(undefined, `/internal/templates/${ids.bobPublished}/versions/1`)).status).toBe(200);
  });

  describe('the row-level security policies themselves', () => {
    const scoped = () => h.harness.database!.scoped('content');

    it('let a tenant read published platform rows but not platform drafts, and nothing of other tenants', async () => {
      const seen = await scoped().withTenant(alice.tenantId, async (tx) =>
        (await sql<{ id: string }>`select id from template`.execute(tx)).rows.map((r) => r.id),
      );
      expect(seen).toContain(ids.platform);
      expect(seen).not.toContain(ids.platformDraft);
      expect(seen).not.toContain(ids.bobPublished);
      expect(seen).not.toContain(ids.bobDraft);
      const versions = await scoped().withTenant(
        alice.tenantId,
        async (tx) =>
          (await sql<{ tenant_id: string }>`select tenant_id from template_version`.execute(tx)).rows,
      );
      expect(versions.every((v) => v.tenant_id === PLATFORM_TENANT_ID)).toBe(true);
    });

    it('refuse every tenant write to platform rows and to other tenants’ rows', async () => {
      const updated = await scoped().withTenant(alice.tenantId, async (tx) => {
        const a = await sql`update template set slug = 'hijacked' where id = ${ids.platform}`.execute(tx);
        const b = await sql`update template set slug = 'hijacked' where id = ${ids.bobDraft}`.execute(tx);
        const c = await sql`delete from font_face where tenant_id = ${PLATFORM_TENANT_ID}`.execute(tx);
        return [a.numAffectedRows, b.numAffectedRows, c.numAffectedRows];
      });
      expect(updated).toEqual([0n, 0n, 0n]);
      for (const owner of [PLATFORM_TENANT_ID, bob.tenantId]) {
        await expect(
          scoped().withTenant(alice.tenantId, (tx) =>
            sql`insert into template (tenant_id, slug, draft, created_by) values (${owner}, 'sneaky', '{}', ${alice.userId})`.execute(
              tx,
            ),
          ),
        ).rejects.toThrow(/row-level security/);
      }
      // Even a principal claiming the nil tenant cannot write platform rows from a tenant scope.
      await expect(
        scoped().withTenant(PLATFORM_TENANT_ID, (tx) =>
          sql`insert into template (tenant_id, slug, draft, created_by) values (${PLATFORM_TENANT_ID}, 'sneaky', '{}', ${alice.userId})`.execute(
            tx,
          ),
        ),
      ).rejects.toThrow(/row-level security/);
      const slug = await scoped().asSystem(
        async (tx) =>
          (await sql<{ slug: string }>`select slug from template where id = ${ids.platform}`.execute(tx))
            .rows[0]?.slug,
      );
      expect(slug).toBe('platform-card');
    });

    it('refuse a principal of the nil tenant at the API', async () => {
      const nil = { tenantId: PLATFORM_TENANT_ID, role: 'owner' as const };
      const res = await h.request(nil, {
        method: 'POST',
        url: '/v1/templates',
        payload: { document: sampleTemplate('nil-tenant') },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('tenant_reserved');
    });
  });
});
