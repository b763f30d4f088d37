import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import { describeWithServices } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ContentHarness,
  installPlatformVazirmatn,
  startContentHarness,
  waitUntil,
} from './content-harness';
import { sampleTemplate } from './template-fixtures';

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'content templates on PostgreSQL, RabbitMQ and S3',
  () => {
    let h: ContentHarness;
    const editor = { tenantId: randomUUID(), userId: randomUUID(), role: 'editor' as const };
    const viewer = {
      ...editor,
      userId: randomUUID(),
      role: 'viewer' as const,
      scopes: ['templates:read' as const],
    };
    const admin = { platformAdmin: true, role: 'owner' as const };

    beforeAll(async () => {
      h = await startContentHarness();
      await installPlatformVazirmatn(h);
    });
    afterAll(() => h?.stop());

    async function createAndPublish(
      slug: string,
      overrides: Record<string, unknown> = {},
      who: Record<string, unknown> = editor,
      prefix = '/v1/templates',
    ) {
      const created = await h.request(who, {
        method: 'POST',
        url: prefix,
        payload: { document: sampleTemplate(slug, overrides) },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const published = await h.request(who, { method: 'POST', url: `${prefix}/${id}/publish` });
      expect(published.statusCode, published.body).toBe(201);
      return { id, published: published.json() };
    }

    it('publishes immutable versions: a pinned version survives republishing unchanged', async () => {
      const { id, published } = await createAndPublish(`pin-${randomUUID().slice(0, 8)}`);
      expect(published).toMatchObject({ template_id: id, version: 1 });
      const v1 = (await h.request(viewer, { url: `/v1/templates/${id}/versions/1/document` })).json();
      expect(v1).toMatchObject({ version: 1, title: { en: 'Yalda greeting card' } });

      const event = await h.events.waitFor<{
        template_id: string;
        version: number;
        content_hash: string;
        document_key: string;
      }>('content.template.published.v1', (d) => d.template_id === id && d.version === 1);
      expect(event.tenant_id).toBe(editor.tenantId);
      expect(event.user_id).toBe(editor.userId);
      expect(event.data).toMatchObject({
        visibility: 'tenant',
        engine: 1,
        mode: 'fixed',
        fps: 30,
        aspects: ['16:9', '9:16'],
        content_hash: published.content_hash,
        document_key: `content/templates/${published.content_hash}.json`,
      });
      expect(
        (event.data as unknown as { fonts: { family: string; weight: number }[] }).fonts.map(
          (f) => `${f.family}:${f.weight}`,
        ),
      ).toEqual(['Vazirmatn:400', 'Vazirmatn:800']);
      // The stored document is content-addressed: its bytes hash to its key.
      const stored = await text(await h.harness.blobs.get(published.document_key));
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(stored).digest('hex')).toBe(published.content_hash);

      // Republishing an unchanged draft is refused; a changed draft becomes version 2.
      const again = await h.request(editor, { method: 'POST', url: `/v1/templates/${id}/publish` });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('nothing_to_publish');
      const changed = sampleTemplate(v1.id, { title: { fa: 'یلدای نو', en: 'New Yalda' } });
      const saved = await h.request(editor, {
        method: 'PUT',
        url: `/v1/templates/${id}/draft`,
        payload: { document: changed },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json().validation).toMatchObject({ ok: true, errors: [] });
      const v2 = await h.request(editor, { method: 'POST', url: `/v1/templates/${id}/publish` });
      expect(v2.statusCode, v2.body).toBe(201);
      expect(v2.json().version).toBe(2);
      expect(v2.json().content_hash).not.toBe(published.content_hash);

      const pinned = await h.request(viewer, { url: `/v1/templates/${id}/versions/1` });
      expect(pinned.json()).toMatchObject({
        version: 1,
        title: { en: 'Yalda greeting card' },
        content_hash: published.content_hash,
      });
      expect((await h.request(viewer, { url: `/v1/templates/${id}/versions/1/document` })).json()).toEqual(
        v1,
      );
      const detail = (await h.request(viewer, { url: `/v1/templates/${id}` })).json();
      expect(detail.current).toMatchObject({ version: 2, title: { en: 'New Yalda' } });
      expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

      // The database itself refuses to change or delete a published version.
      const db = h.harness.database!;
      await expect(
        db
          .scoped('content')
          .asSystem((tx) =>
            tx
              .updateTable('template_version')
              .set({ title_en: 'hacked' })
              .where('template_id', '=', id)
              .execute(),
          ),
      ).rejects.toThrow(/immutable/);
      await expect(
        db
          .scoped('content')
          .asSystem((tx) => tx.deleteFrom('template_version').where('template_id', '=', id).execute()),
      ).rejects.toThrow(/cannot be deleted/);
    });

    it('refuses an invalid template with the engine errors and their JSON paths, and stores nothing', async () => {
      const slug = `bad-${randomUUID().slice(0, 8)}`;
      const broken = sampleTemplate(slug, {
        fps: 500,
        scenes: [
          {
            id: 'intro',
            duration: { default: 2, min: 1, max: 4 },
            layers: [{ type: 'text', text: { field: 'intro.missing' }, size: 0.1 }],
          },
          { id: 'card', block: 'no-such-block', duration: { default: 2, min: 1, max: 4 } },
        ],
      });
      const created = await h.request(editor, {
        method: 'POST',
        url: '/v1/templates',
        payload: { document: broken },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().validation.ok).toBe(false);
      const id = created.json().id;
      const refused = await h.request(editor, { method: 'POST', url: `/v1/templates/${id}/publish` });
      expect(refused.statusCode).toBe(422);
      const error = refused.json().error;
      expect(error.code).toBe('template_invalid');
      expect(error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: '$.fps', code: 'out_of_range' })]),
      );
      // Reference errors come once the shape is right.
      const shapeOk = { ...broken, fps: 30 };
      await h.request(editor, {
        method: 'PUT',
        url: `/v1/templates/${id}/draft`,
        payload: { document: shapeOk },
      });
      const again = (await h.request(editor, { method: 'POST', url: `/v1/templates/${id}/publish` })).json()
        .error;
      expect(again.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: '$.scenes[0].layers[0].text', code: 'unknown_field' }),
          expect.objectContaining({ path: '$.scenes[1].block', code: 'unknown_block' }),
        ]),
      );
      expect(again.field).toBe(again.details[0].path);
      expect((await h.request(editor, { url: `/v1/templates/${id}/versions` })).statusCode).toBe(404);
      expect(
        h.events.of('content.template.published.v1', (d: { template_id: string }) => d.template_id === id),
      ).toEqual([]);
    });

    it('refuses a template whose fonts are not installed or whose default text lacks glyphs', async () => {
      const noFont = await h.request(editor, {
        method: 'POST',
        url: '/v1/templates/validate',
        payload: {
          document: sampleTemplate('nofont', { fonts: { display: 'Nowhere:700', body: 'Vazirmatn:400' } }),
        },
      });
      expect(noFont.statusCode).toBe(200);
      expect(noFont.json()).toMatchObject({ ok: false, errors: [{ path: '$.fonts', code: 'font_missing' }] });
      const emoji = sampleTemplate('glyphs', {});
      (emoji.scenes as { fields?: Record<string, { default: unknown }> }[])[0]!.fields!.title!.default = {
        fa: 'یلدا ☃',
        en: 'Yalda ☃',
      };
      const glyphs = (
        await h.request(editor, {
          method: 'POST',
          url: '/v1/templates/validate',
          payload: { document: emoji },
        })
      ).json();
      expect(glyphs.ok).toBe(false);
      expect(glyphs.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'missing_glyphs', path: 'intro.title' })]),
      );
    });

    it('draws an SVG poster and a thumbnail per aspect, served by signed URL, and requests the clip', async () => {
      const { id } = await createAndPublish(`prev-${randomUUID().slice(0, 8)}`);
      for (const aspect of ['16:9', '9:16']) {
        const event = await h.events.waitFor<{
          template_id: string;
          aspect: string;
          blob_key: string;
          width: number;
          height: number;
        }>('content.svg_preview.generated.v1', (d) => d.template_id === id && d.aspect === aspect, 60_000);
        expect(event.data.blob_key).toMatch(/^content\/previews\/[a-f0-9]{64}\.svg$/);
        expect([event.data.width, event.data.height]).toEqual(aspect === '16:9' ? [640, 360] : [360, 640]);
      }
      const detail = await waitUntil(
        async () => {
          const d = (await h.request(viewer, { url: `/v1/templates/${id}` })).json();
          return d.current.previews.every((p: { status: string }) => p.status === 'ready') ? d : undefined;
        },
        30_000,
        'previews ready',
      );
      const preview = detail.current.previews.find((p: { aspect: string }) => p.aspect === '16:9');
      expect(preview).toMatchObject({
        width: 640,
        height: 360,
        thumbnail_width: 480,
        thumbnail_height: 270,
        clip: { status: 'pending', url: null },
      });
      const svg = await fetch(preview.svg_url);
      expect(svg.status).toBe(200);
      const svgText = await svg.text();
      expect(svgText).toContain('<svg');
      expect(svgText).not.toMatch(/<script|<text/);
      const thumb = await fetch(preview.thumbnail_url);
      expect(thumb.status).toBe(200);
      const jpeg = Buffer.from(await thumb.arrayBuffer());
      expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

      // The render farm reads the pending clips and reports one.
      const pending = await h.harness.infra.internal.request<{
        items: { template_id: string; aspect: string }[];
      }>('content', {
        method: 'GET',
        path: '/internal/previews/clips?limit=500',
      });
      expect(
        pending.body.items
          .filter((c) => c.template_id === id)
          .map((c) => c.aspect)
          .sort(),
      ).toEqual(['16:9', '9:16']);
      const clipKey = `content/previews/${'c'.repeat(64)}.mp4`;
      await h.harness.blobs.put(clipKey, Buffer.from('not really a video'), { contentType: 'video/mp4' });
      const reported = await h.harness.infra.internal.request('content', {
        method: 'PUT',
        path: `/internal/templates/${id}/versions/1/previews/16:9/clip`,
        body: {
          blob_key: clipKey,
          content_hash: 'c'.repeat(64),
          size_bytes: 18,
          mime: 'video/mp4',
          width: 320,
          height: 180,
          duration_seconds: 3.5,
        },
      });
      expect(reported.status).toBe(204);
      const withClip = (await h.request(viewer, { url: `/v1/templates/${id}/versions/1` })).json();
      expect(withClip.previews.find((p: { aspect: string }) => p.aspect === '16:9').clip).toMatchObject({
        status: 'ready',
        duration_seconds: 3.5,
      });
      expect(withClip.previews.find((p: { aspect: string }) => p.aspect === '16:9').clip.url).toMatch(
        /^http/,
      );
      // Anyone outside the platform is turned away from internal routes.
      const outside = await h.request(admin, { method: 'GET', url: '/internal/previews/clips' });
      expect(outside.statusCode).toBe(401);
    });

    it('unpublishes: withdrawn versions leave the catalogue but stay readable for pinned projects', async () => {
      const { id } = await createAndPublish(`gone-${randomUUID().slice(0, 8)}`);
      const withdrawn = await h.request(editor, {
        method: 'POST',
        url: `/v1/templates/${id}/unpublish`,
        payload: {},
      });
      expect(withdrawn.statusCode, withdrawn.body).toBe(200);
      expect(withdrawn.json()).toEqual({ template_id: id, withdrawn: [1], current_version: null });
      const event = await h.events.waitFor<{ template_id: string; versions: number[]; reason_code: string }>(
        'content.template.unpublished.v1',
        (d) => d.template_id === id,
      );
      expect(event.data).toMatchObject({ versions: [1], reason_code: 'author' });
      const list = (await h.request(viewer, { url: '/v1/templates?visibility=tenant&limit=100' })).json();
      expect(list.items.map((t: { id: string }) => t.id)).not.toContain(id);
      const pinned = await h.request(viewer, { url: `/v1/templates/${id}/versions/1` });
      expect(pinned.json().withdrawn_at).not.toBeNull();
      const internal = await h.harness.infra.internal.request<{
        withdrawn_at: string | null;
        document: { id: string };
      }>('content', {
        method: 'GET',
        path: `/internal/templates/${id}/versions/1`,
      });
      expect(internal.status).toBe(200);
      expect(internal.body.withdrawn_at).not.toBeNull();
      const twice = await h.request(editor, {
        method: 'POST',
        url: `/v1/templates/${id}/unpublish`,
        payload: {},
      });
      expect(twice.statusCode).toBe(409);
    });

    it('filters and searches the catalogue in Persian and English, with paging and sorting', async () => {
      const tag = `t${randomUUID().slice(0, 6)}`;
      const made = [
        await createAndPublish(`kids-${randomUUID().slice(0, 6)}`, {
          title: { fa: 'جشن تولد کودکان', en: 'Kids birthday party' },
          category: 'birthday',
          tags: [tag, 'kids'],
          aspects: { '1:1': [480, 480] },
        }),
        await createAndPublish(`shop-${randomUUID().slice(0, 6)}`, {
          title: { fa: 'حراج کیف و کفش', en: 'Bags and shoes sale' },
          description: { fa: 'تخفیف‌های ویژهٔ پاییزی', en: 'Autumn deals' },
          category: 'sale',
          tags: [tag],
        }),
      ];
      const search = async (query: string) =>
        (await h.request(viewer, { url: `/v1/templates?${query}&tag=${tag}` }))
          .json()
          .items.map((t: { id: string }) => t.id);
      // Arabic yeh/kaf typed, ZWNJ left out or replaced by a space: all find the Persian titles.
      expect(await search(`q=${encodeURIComponent('تولد كودكان')}`)).toEqual([made[0]!.id]);
      expect(await search(`q=${encodeURIComponent('كيف')}`)).toEqual([made[1]!.id]);
      expect(await search(`q=${encodeURIComponent('تخفیفهای')}`)).toEqual([made[1]!.id]);
      expect(await search(`q=${encodeURIComponent('تخفیف های ويژه')}`)).toEqual([made[1]!.id]);
      expect(await search('q=SHOES')).toEqual([made[1]!.id]);
      expect(await search(`q=${encodeURIComponent('۱۴۰۴ جشن')}`)).toEqual([]);
      expect(await search('category=birthday')).toEqual([made[0]!.id]);
      expect(await search('aspect=1:1')).toEqual([made[0]!.id]);
      expect(await search('aspect=9:16')).toEqual([made[1]!.id]);
      expect(await search('sort=oldest')).toEqual([made[0]!.id, made[1]!.id]);
      expect(await search('sort=newest')).toEqual([made[1]!.id, made[0]!.id]);
      expect(await search('sort=title&locale=en')).toEqual([made[1]!.id, made[0]!.id]);
      expect(await search('sort=title&locale=fa')).toEqual([made[0]!.id, made[1]!.id]);
      const page1 = (
        await h.request(viewer, { url: `/v1/templates?tag=${tag}&limit=1&page=1&sort=oldest` })
      ).json();
      const page2 = (
        await h.request(viewer, { url: `/v1/templates?tag=${tag}&limit=1&page=2&sort=oldest` })
      ).json();
      expect([page1.total, page1.items[0].id, page2.items[0].id]).toEqual([2, made[0]!.id, made[1]!.id]);
      const beyond = (await h.request(viewer, { url: `/v1/templates?tag=${tag}&limit=1&page=5` })).json();
      expect([beyond.items, beyond.total]).toEqual([[], 2]);
      expect(page1.items[0]).toMatchObject({
        visibility: 'tenant',
        status: 'published',
        version: 1,
        mode: 'fixed',
        field_count: 3,
      });
      const bad = await h.request(viewer, { url: '/v1/templates?limit=1000' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'invalid_request', field: 'limit' });
    });

    it('checks field values against a version without rendering', async () => {
      const { id } = await createAndPublish(`vals-${randomUUID().slice(0, 8)}`);
      const check = (values: unknown, extra: Record<string, unknown> = {}) =>
        h.request(viewer, {
          method: 'POST',
          url: '/v1/templates/validate',
          payload: { template_id: id, version: 1, values, ...extra },
        });
      const fine = await check({ fields: { 'intro.title': 'شب یلدا', brand: '#112233' } });
      expect(fine.json()).toEqual({ ok: true, errors: [], warnings: expect.any(Array) });
      const wrong = (await check({ fields: { title: 'x', brand: 'red' }, durations: { intro: 30 } })).json();
      expect(wrong.ok).toBe(false);
      expect(wrong.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).toEqual(
        expect.arrayContaining(['title:unknown_field', 'brand:bad_color', 'durations.intro:duration_bounds']),
      );
      const glyph = (await check({ fields: { 'intro.title': 'یلدا 😀' } })).json();
      expect(glyph.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'missing_glyphs' })]),
      );
      const otherAspect = (await check({}, { aspect: '1:1' })).json();
      expect(otherAspect).toMatchObject({ ok: false, errors: [{ path: 'aspect', code: 'unknown_aspect' }] });
      const malformed = await h.request(viewer, {
        method: 'POST',
        url: '/v1/templates/validate',
        payload: { template_id: 'nope' },
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.code).toBe('invalid_request');
    });

    it('serves the JSON Schema of the template format publicly', async () => {
      const res = await h.request(undefined, { url: '/v1/templates/schema' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        $id: 'https://flatrender.dev/schema/template.schema.json',
        type: 'object',
      });
      expect(Object.keys(res.json().properties)).toEqual(
        expect.arrayContaining(['scenes', 'fields', 'aspects']),
      );
    });

    it('lets administrators run the platform catalogue, visible to every tenant', async () => {
      const { id } = await createAndPublish(
        `plat-${randomUUID().slice(0, 8)}`,
        {},
        admin,
        '/v1/admin/templates',
      );
      const event = await h.events.waitFor<{ template_id: string; visibility: string }>(
        'content.template.published.v1',
        (d) => d.template_id === id,
      );
      expect(event.tenant_id).toBe(PLATFORM_TENANT_ID);
      expect(event.data.visibility).toBe('public');
      const someone = {
        tenantId: randomUUID(),
        role: 'viewer' as const,
        scopes: ['templates:read' as const],
      };
      const seen = (await h.request(someone, { url: `/v1/templates/${id}` })).json();
      expect(seen).toMatchObject({ visibility: 'public', draft: null, current: { version: 1 } });
      const tenantEdit = await h.request(editor, {
        method: 'PUT',
        url: `/v1/templates/${id}/draft`,
        payload: { document: sampleTemplate(seen.slug) },
      });
      expect(tenantEdit.statusCode).toBe(403);
      expect(tenantEdit.json().error.code).toBe('platform_template');
      const tenantDelete = await h.request(editor, { method: 'DELETE', url: `/v1/templates/${id}` });
      expect(tenantDelete.statusCode).toBe(403);
      const tenantPublish = await h.request(editor, { method: 'POST', url: `/v1/templates/${id}/publish` });
      expect(tenantPublish.statusCode).toBe(403);
      const tenantUnpublish = await h.request(editor, {
        method: 'POST',
        url: `/v1/templates/${id}/unpublish`,
        payload: {},
      });
      expect(tenantUnpublish.statusCode).toBe(403);
      const notAdmin = await h.request(editor, {
        method: 'POST',
        url: '/v1/admin/templates',
        payload: { document: sampleTemplate('x-y') },
      });
      expect(notAdmin.statusCode).toBe(403);
      expect(notAdmin.json().error.code).toBe('admin_required');
      const viewerWrite = await h.request(viewer, {
        method: 'POST',
        url: '/v1/templates',
        payload: { document: sampleTemplate('x-z') },
      });
      expect(viewerWrite.statusCode).toBe(403);
      expect(viewerWrite.json().error.code).toBe('insufficient_role');
      const listed = (await h.request(admin, { url: '/v1/admin/templates?limit=100' })).json();
      expect(listed.items.map((t: { id: string }) => t.id)).toContain(id);
      const withdrawn = await h.request(admin, {
        method: 'POST',
        url: `/v1/admin/templates/${id}/unpublish`,
        payload: { reason: 'policy' },
      });
      expect(withdrawn.statusCode).toBe(200);
      expect(
        (
          await h.events.waitFor<{ template_id: string; reason_code: string }>(
            'content.template.unpublished.v1',
            (d) => d.template_id === id,
          )
        ).data.reason_code,
      ).toBe('policy');
      // Once no version is live the platform template disappears for tenants (its versions stay readable).
      expect((await h.request(someone, { url: `/v1/templates/${id}` })).statusCode).toBe(404);
      expect((await h.request(someone, { url: `/v1/templates/${id}/versions/1` })).statusCode).toBe(200);
    });

    it('answers malformed input with the error body naming the field', async () => {
      const noDoc = await h.request(editor, {
        method: 'POST',
        url: '/v1/templates',
        payload: { nothing: true },
      });
      expect(noDoc.statusCode).toBe(400);
      expect(noDoc.json().error).toMatchObject({ code: 'invalid_request' });
      const badSlug = await h.request(editor, {
        method: 'POST',
        url: '/v1/templates',
        payload: { document: { id: 'Not A Slug' } },
      });
      expect(badSlug.statusCode).toBe(422);
      expect(badSlug.json().error).toMatchObject({ code: 'template_invalid', field: '$.id' });
      const slug = `dup-${randomUUID().slice(0, 8)}`;
      const first = await h.request(editor, {
        method: 'POST',
        url: '/v1/templates',
        payload: { document: sampleTemplate(slug) },
      });
      const dup = await h.request(editor, {
        method: 'POST',
        url: '/v1/templates',
        payload: { document: sampleTemplate(slug) },
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.code).toBe('slug_taken');
      const dupId = first.json().id;
      const deleted = await h.request(editor, { method: 'DELETE', url: `/v1/templates/${dupId}` });
      expect(deleted.statusCode, deleted.body).toBe(204);
      expect((await h.request(editor, { url: `/v1/templates/${dupId}` })).statusCode).toBe(404);
      const { id: publishedId } = await createAndPublish(`keep-${randomUUID().slice(0, 8)}`);
      const keep = await h.request(editor, { method: 'DELETE', url: `/v1/templates/${publishedId}` });
      expect(keep.statusCode).toBe(409);
      expect(keep.json().error.code).toBe('template_published');
      const badId = await h.request(viewer, { url: '/v1/templates/not-a-uuid' });
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error.field).toBe('id');
      const anonymous = await h.request(undefined, { url: '/v1/templates' });
      expect(anonymous.statusCode).toBe(401);
    });
  },
);
