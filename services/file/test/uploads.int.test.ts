import SwaggerParser from '@apidevtools/swagger-parser';
import { ROUTE_OWNERS } from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import {
  assertTenantTablesForceRls,
  createHttpServer,
  createLogger,
  type HttpServer,
  type Principal,
  ROLE_SCOPES,
  registerOpenApi,
} from '@flatrender/platform';
import { describeWithServices } from '@flatrender/platform/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileHarness, startFileHarness, tenantBlobs, uploadFile } from './file-harness';
import { EXIF_SECRET, HOSTILE_SVG, jpegWithExif, pixelFloodPng, png, windowsExe } from './fixtures';

const KIB = 1024;

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'file service: multipart uploads, downloads, quotas',
  () => {
    let h: FileHarness;
    beforeAll(async () => {
      h = await startFileHarness({
        FILE_MAX_IMAGE_BYTES: String(200 * KIB),
        FILE_MAX_IMAGE_PIXELS: '4000000',
      });
    });
    afterAll(() => h?.stop());

    const as = async (principal: Principal) => h.harness.authHeaders(principal);
    const get = async (principal: Principal, url: string) =>
      h.harness.app.inject({ url, headers: await as(principal) });
    const usage = async (principal: Principal) => (await get(principal, '/v1/files/usage')).json();

    /** Proof that a refused upload left nothing: no blob of the tenant, no file, no usage. */
    async function expectNothingStored(principal: Principal) {
      expect(await tenantBlobs(h.harness, principal.tenantId)).toEqual([]);
      expect((await get(principal, '/v1/files')).json().items).toEqual([]);
      expect(await usage(principal)).toMatchObject({ used_bytes: 0, file_count: 0 });
    }

    describe('storing an image', () => {
      const owner = () => h.harness.newPrincipal({ role: 'editor' });

      it('re-encodes it without EXIF, makes a thumbnail, and announces uploaded then processed', async () => {
        const alice = owner();
        const original = await jpegWithExif(80, 40);
        const res = await uploadFile(h.harness, alice, {
          name: 'عکس من.png',
          type: 'image/png',
          content: original,
        });
        expect(res.statusCode).toBe(201);
        const file = res.json();
        expect(file).toMatchObject({
          purpose: 'project_asset',
          kind: 'image',
          mime: 'image/jpeg',
          original_name: 'عکس من.png',
          width: 40,
          height: 80,
          variants: [{ name: 'thumbnail', mime: 'image/webp' }],
          referenced: false,
        });
        const blobs = await tenantBlobs(h.harness, alice.tenantId);
        expect(blobs).toEqual([
          `tenants/${alice.tenantId}/files/${file.id}/file.jpg`,
          `tenants/${alice.tenantId}/files/${file.id}/thumbnail.webp`,
        ]);
        const stored = Buffer.concat(await (await h.harness.blobs.get(blobs[0] as string)).toArray());
        expect(stored.includes(Buffer.from(EXIF_SECRET))).toBe(false);
        expect((await sharp(stored).metadata()).exif).toBeUndefined();

        const uploaded = await h.events.waitFor('file.uploaded.v1', (d) => d.file_id === file.id);
        const processed = await h.events.waitFor('file.processed.v1', (d) => d.file_id === file.id);
        expect(uploaded.envelope).toMatchObject({ tenant_id: alice.tenantId, user_id: alice.userId });
        expect(uploaded.envelope.data).toMatchObject({
          size_bytes: original.length,
          declared_mime: 'image/png',
        });
        expect(processed.envelope.data).toMatchObject({
          status: 'ready',
          kind: 'image',
          content_hash: file.content_hash,
          width: 40,
        });
        expect(h.events.messages.indexOf(uploaded)).toBeLessThan(h.events.messages.indexOf(processed));
        expect(await usage(alice)).toMatchObject({ used_bytes: file.total_bytes, file_count: 1 });
      });

      it('stores a script-bearing SVG sanitised, and serves the clean one', async () => {
        const alice = owner();
        const res = await uploadFile(h.harness, alice, {
          name: 'logo.svg',
          type: 'image/svg+xml',
          content: Buffer.from(HOSTILE_SVG),
        });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({
          kind: 'svg',
          mime: 'image/svg+xml',
          details: { sanitized: true },
        });
        const link = await get(alice, `/v1/files/${res.json().id}/download?redirect=false`);
        const served = await h.harness.app.inject({
          url: new URL(link.json().url).pathname + new URL(link.json().url).search,
        });
        expect(served.statusCode).toBe(200);
        expect(served.body).toContain('<svg');
        expect(served.body).not.toMatch(/<script|onload|onclick|foreignObject|javascript:|evil\.example/i);
      });
    });

    describe('hostile uploads are refused with nothing stored', () => {
      it('an .exe named .png: 415 naming what it is', async () => {
        const mallory = h.harness.newPrincipal();
        const res = await uploadFile(h.harness, mallory, {
          name: 'cat.png',
          type: 'image/png',
          content: windowsExe(),
        });
        expect(res.statusCode).toBe(415);
        expect(res.json().error).toMatchObject({ code: 'unsupported_type', field: 'file' });
        expect(res.json().error.message).toContain('application/x-msdownload');
        await expectNothingStored(mallory);
      });

      it('a pixel flood (30000x30000 PNG header): 422 too_many_pixels', async () => {
        const mallory = h.harness.newPrincipal();
        const res = await uploadFile(h.harness, mallory, {
          name: 'bomb.png',
          type: 'image/png',
          content: pixelFloodPng(),
        });
        expect(res.statusCode).toBe(422);
        expect(res.json().error).toMatchObject({ code: 'too_many_pixels' });
        expect(res.json().error.message).toContain('30000x30000');
        await expectNothingStored(mallory);
      });

      it('an image over its configured size: 413 too_large', async () => {
        const mallory = h.harness.newPrincipal();
        const noisy = await sharp({
          create: {
            width: 400,
            height: 400,
            channels: 3,
            background: '#000',
            noise: { type: 'gaussian', mean: 128, sigma: 60 },
          },
        })
          .png()
          .toBuffer();
        expect(noisy.length).toBeGreaterThan(200 * KIB);
        const res = await uploadFile(h.harness, mallory, {
          name: 'big.png',
          type: 'image/png',
          content: noisy,
        });
        expect(res.statusCode).toBe(413);
        expect(res.json().error).toMatchObject({ code: 'too_large', details: { limit_bytes: 200 * KIB } });
        await expectNothingStored(mallory);
      });

      it('a font where an avatar is expected: 415 type_mismatch', async () => {
        const mallory = h.harness.newPrincipal();
        const res = await uploadFile(
          h.harness,
          mallory,
          { name: 'a.png', type: 'image/png', content: await png() },
          '?purpose=font',
        );
        expect(res.statusCode).toBe(415);
        expect(res.json().error).toMatchObject({ code: 'type_mismatch', field: 'purpose' });
        await expectNothingStored(mallory);
      });
    });

    describe('quotas from the plan', () => {
      async function activatePlan(tenantId: string, storageBytes: number) {
        const envelope = sampleEnvelope('identity.plan.activated.v1', { tenant_id: tenantId });
        const data = envelope.data;
        await h.harness.bus.publish({
          ...envelope,
          data: {
            ...data,
            tenant_id: tenantId,
            effective_at: new Date().toISOString(),
            plan: {
              ...data.plan,
              code: 'tiny',
              limits: { ...data.plan.limits, storage_bytes: storageBytes },
            },
          },
        });
      }

      async function waitForQuota(principal: Principal, quota: number) {
        for (let i = 0; i < 100; i++) {
          if ((await usage(principal)).quota_bytes === quota) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error('plan event not applied');
      }

      it('warns at 80 %, refuses past 100 % with 413 quota_exceeded, announces it once, and frees on delete', async () => {
        const bob = h.harness.newPrincipal();
        const first = await png(64, 48);
        // Measure what one such upload costs (file and thumbnail) on a roomy quota first.
        const probe = await uploadFile(h.harness, bob, { name: 'a.png', type: 'image/png', content: first });
        const cost = probe.json().total_bytes as number;
        const quota = Math.floor(cost / 0.85);
        await activatePlan(bob.tenantId, quota);
        await waitForQuota(bob, quota);
        expect(await usage(bob)).toMatchObject({ plan_code: 'tiny', used_bytes: cost });

        const refused = await uploadFile(h.harness, bob, {
          name: 'b.png',
          type: 'image/png',
          content: first,
        });
        expect(refused.statusCode).toBe(413);
        expect(refused.json().error).toMatchObject({ code: 'quota_exceeded' });
        const again = await uploadFile(h.harness, bob, { name: 'c.png', type: 'image/png', content: first });
        expect(again.statusCode).toBe(413);
        const exceeded = await h.events.waitFor(
          'file.quota_exceeded.v1',
          (_d, m) => m.envelope.tenant_id === bob.tenantId,
        );
        expect(exceeded.envelope.data).toMatchObject({ quota_bytes: quota, used_bytes: cost, file_count: 1 });
        expect((await tenantBlobs(h.harness, bob.tenantId)).length).toBe(2);

        const deleted = await h.harness.app.inject({
          method: 'DELETE',
          url: `/v1/files/${probe.json().id}`,
          headers: await as(bob),
        });
        expect(deleted.statusCode).toBe(204);
        expect(await usage(bob)).toMatchObject({ used_bytes: 0, file_count: 0 });
        expect(await tenantBlobs(h.harness, bob.tenantId)).toEqual([]);
        const gone = await h.events.waitFor('file.deleted.v1', (d) => d.file_id === probe.json().id);
        expect(gone.envelope.data).toMatchObject({ reason_code: 'user', size_bytes: cost, cleanup_id: null });

        // Filling up again crosses 80 % (warning) and a full quota is announced anew.
        const refill = await uploadFile(h.harness, bob, { name: 'd.png', type: 'image/png', content: first });
        expect(refill.statusCode).toBe(201);
        const warned = await h.events.waitFor(
          'file.quota_warning.v1',
          (_d, m) => m.envelope.tenant_id === bob.tenantId,
        );
        expect(warned.envelope.data).toMatchObject({
          threshold_percent: 80,
          used_bytes: cost,
          quota_bytes: quota,
        });
        // The first upload crossed 80 % only by the plan shrinking, which is not an upload: one warning in all.
        expect(h.events.of('file.quota_warning.v1', bob.tenantId)).toHaveLength(1);
        expect(
          (await uploadFile(h.harness, bob, { name: 'e.png', type: 'image/png', content: first })).statusCode,
        ).toBe(413);
        await h.events.waitFor(
          'file.quota_exceeded.v1',
          (_d, m) => m.envelope.tenant_id === bob.tenantId && m !== exceeded,
        );
        expect(h.events.of('file.quota_exceeded.v1', bob.tenantId)).toHaveLength(2);
      });

      it('refuses uploads of a suspended tenant with 403', async () => {
        const carol = h.harness.newPrincipal();
        const ok = await uploadFile(h.harness, carol, {
          name: 'a.png',
          type: 'image/png',
          content: await png(),
        });
        expect(ok.statusCode).toBe(201);
        await h.harness.bus.publish(
          sampleEnvelope('identity.tenant.suspended.v1', {
            tenant_id: carol.tenantId,
            data: {
              tenant_id: carol.tenantId,
              suspended_at: new Date(h.clock.now.getTime() - 1000).toISOString(),
              suspended_until: null,
            },
          }),
        );
        for (let i = 0; i < 100 && !(await usage(carol)).suspended; i++)
          await new Promise((r) => setTimeout(r, 50));
        const res = await uploadFile(h.harness, carol, {
          name: 'b.png',
          type: 'image/png',
          content: await png(),
        });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('tenant_suspended');
        const download = await get(carol, `/v1/files/${ok.json().id}/download`);
        expect(download.statusCode).toBe(403);
      });
    });

    describe('downloads', () => {
      it('redirects to a short-lived signed URL served as an attachment with nosniff', async () => {
        const editor = h.harness.newPrincipal({ role: 'editor' });
        const dana: Principal = { ...editor, role: 'viewer', scopes: ROLE_SCOPES.viewer };
        const content = await png(20, 10);
        const file = (
          await uploadFile(h.harness, editor, { name: 'گزارش نهایی.png', type: 'image/png', content })
        ).json();

        const redirect = await get(dana, `/v1/files/${file.id}/download`);
        expect(redirect.statusCode).toBe(302);
        expect(redirect.headers['cache-control']).toBe('no-store');
        const url = new URL(redirect.headers.location as string);
        expect(url.pathname).toBe(`/v1/blobs/tenants/${dana.tenantId}/files/${file.id}/file.png`);
        const expires = Number(url.searchParams.get('exp'));
        expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(300_000);

        const served = await h.harness.app.inject({ url: url.pathname + url.search });
        expect(served.statusCode).toBe(200);
        expect(served.headers['x-content-type-options']).toBe('nosniff');
        expect(served.headers['content-type']).toBe('image/png');
        expect(served.headers['content-disposition']).toMatch(
          /^attachment; filename="[^"]*"; filename\*=UTF-8''/,
        );
        expect(
          decodeURIComponent((served.headers['content-disposition'] as string).split("UTF-8''")[1] as string),
        ).toBe('گزارش نهایی.png');
        expect(
          served.rawPayload.equals(
            Buffer.concat(
              await (
                await h.harness.blobs.get(`tenants/${dana.tenantId}/files/${file.id}/file.png`)
              ).toArray(),
            ),
          ),
        ).toBe(true);

        const tampered = new URL(url);
        tampered.pathname = `/v1/blobs/tenants/${dana.tenantId}/files/${file.id}/thumbnail.webp`;
        expect((await h.harness.app.inject({ url: tampered.pathname + tampered.search })).statusCode).toBe(
          403,
        );

        const thumb = await get(dana, `/v1/files/${file.id}/download?variant=thumbnail&redirect=false`);
        expect(thumb.json()).toMatchObject({ url: expect.stringContaining('/thumbnail.webp?') });
        const thumbServed = await h.harness.app.inject({
          url: new URL(thumb.json().url).pathname + new URL(thumb.json().url).search,
        });
        expect(thumbServed.headers['content-type']).toBe('image/webp');
        expect(thumbServed.headers['content-disposition']).toContain('-thumbnail.webp');
      });
    });

    describe('listing', () => {
      it('pages newest first with a cursor and filters by kind, purpose and type', async () => {
        const erin = h.harness.newPrincipal();
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          h.clock.advance(1000);
          const res = await uploadFile(h.harness, erin, {
            name: `${i}.png`,
            type: 'image/png',
            content: await png(10 + i, 10),
          });
          ids.push(res.json().id);
        }
        h.clock.advance(1000);
        const svg = await uploadFile(
          h.harness,
          erin,
          { name: 'x.svg', type: 'image/svg+xml', content: Buffer.from(HOSTILE_SVG) },
          '?purpose=avatar',
        );
        const first = (await get(erin, '/v1/files?limit=4')).json();
        expect(first.items.map((f: { id: string }) => f.id)).toEqual([svg.json().id, ids[4], ids[3], ids[2]]);
        const second = (await get(erin, `/v1/files?limit=4&cursor=${first.next_cursor}`)).json();
        expect(second).toMatchObject({ next_cursor: null });
        expect(second.items.map((f: { id: string }) => f.id)).toEqual([ids[1], ids[0]]);
        expect((await get(erin, '/v1/files?kind=svg')).json().items).toHaveLength(1);
        expect((await get(erin, '/v1/files?purpose=avatar')).json().items).toHaveLength(1);
        expect((await get(erin, '/v1/files?mime=image/png')).json().items).toHaveLength(5);
      });
    });

    describe('malformed requests and permissions', () => {
      it('answers 4xx bodies naming the field', async () => {
        const frank = h.harness.newPrincipal();
        const badId = await get(frank, '/v1/files/not-a-uuid');
        expect(badId.statusCode).toBe(400);
        expect(badId.json().error).toMatchObject({ code: 'invalid_request', field: 'id' });
        const badKind = await get(frank, '/v1/files?kind=spreadsheet');
        expect(badKind.json().error).toMatchObject({ code: 'invalid_request', field: 'kind' });
        const badCursor = await get(frank, '/v1/files?cursor=abc');
        expect(badCursor.json().error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
        const notMultipart = await h.harness.app.inject({
          method: 'POST',
          url: '/v1/files',
          headers: { ...(await as(frank)), 'content-type': 'application/json' },
          payload: '{}',
        });
        expect(notMultipart.statusCode).toBe(415);
        expect(notMultipart.json().error.field).toBe('file');
        const badPurpose = await uploadFile(
          h.harness,
          frank,
          { name: 'a.png', type: 'image/png', content: await png() },
          '?purpose=render_output',
        );
        expect(badPurpose.json().error).toMatchObject({ code: 'invalid_request', field: 'purpose' });
        expect((await h.harness.app.inject({ url: '/v1/files' })).statusCode).toBe(401);
      });

      it('lets viewers read but not upload or delete', async () => {
        const viewer = h.harness.newPrincipal({ role: 'viewer' });
        const res = await uploadFile(h.harness, viewer, {
          name: 'a.png',
          type: 'image/png',
          content: await png(),
        });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('insufficient_scope');
        expect((await get(viewer, '/v1/files')).statusCode).toBe(200);
      });
    });

    describe('tenant isolation', () => {
      it('hides every file of another tenant on every endpoint (404, not 403)', async () => {
        const alice = h.harness.newPrincipal();
        const bob = h.harness.newPrincipal();
        const file = (
          await uploadFile(h.harness, alice, { name: 'a.png', type: 'image/png', content: await png() })
        ).json();
        expect((await get(bob, `/v1/files/${file.id}`)).statusCode).toBe(404);
        expect((await get(bob, `/v1/files/${file.id}/download`)).statusCode).toBe(404);
        expect((await get(bob, `/v1/files/${file.id}/download?variant=thumbnail`)).statusCode).toBe(404);
        const del = await h.harness.app.inject({
          method: 'DELETE',
          url: `/v1/files/${file.id}`,
          headers: await as(bob),
        });
        expect(del.statusCode).toBe(404);
        expect((await get(bob, '/v1/files')).json().items).toEqual([]);
        expect(await usage(bob)).toMatchObject({ used_bytes: 0, file_count: 0 });
        expect((await get(alice, `/v1/files/${file.id}`)).statusCode).toBe(200);
      });

      it('registers public routes only under the prefixes file owns, described by valid OpenAPI', async () => {
        const app = createHttpServer({ logger: createLogger({ level: 'silent' }) });
        await registerOpenApi(app, { secret: 'test-secret' });
        const paths: string[] = [];
        app.addHook('onRoute', (route) => {
          paths.push(route.url);
        });
        await app.register(async (scope) => h.harness.started[0]?.parts.routes?.(scope as HttpServer));
        await app.ready();
        const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
        await app.close();
        await SwaggerParser.validate(structuredClone(doc) as never);
        expect(Object.keys(doc.paths).sort()).toEqual([
          '/v1/files',
          '/v1/files/usage',
          '/v1/files/{id}',
          '/v1/files/{id}/download',
          '/v1/uploads/{id}',
        ]);
        expect(Object.keys(doc.paths['/v1/files/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
        const own = ROUTE_OWNERS.filter((o) => o.service === 'file').map((o) => o.prefix);
        expect(own.sort()).toEqual(['/v1/blobs', '/v1/files', '/v1/uploads']);
        const foreign = paths.filter(
          (p) =>
            !p.startsWith('/internal/') && !own.some((prefix) => p === prefix || p.startsWith(`${prefix}/`)),
        );
        expect(foreign).toEqual([]);
        expect(paths).toEqual(
          expect.arrayContaining(['/v1/files', '/v1/uploads', '/v1/blobs/*', '/internal/files']),
        );
      });

      it('forces row-level security on every tenant table', async () => {
        await assertTenantTablesForceRls(h.harness.database!, ['file_mgr']);
      });
    });

    it('published only valid envelopes', () => {
      expect(h.events.messages.length).toBeGreaterThan(10);
      expect(h.events.invalid).toEqual([]);
    });
  },
);
