import { createHash, randomUUID } from 'node:crypto';
import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import { describeWithServices } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ContentHarness, multipartBody, startContentHarness } from './content-harness';
import { fontFixtures, withWeightClass } from './font-fixtures';

await describeWithServices(['postgres', 'rabbitmq'], 'content fonts on PostgreSQL, RabbitMQ and S3', () => {
  let h: ContentHarness;
  const editor = { tenantId: randomUUID(), userId: randomUUID(), role: 'editor' as const };
  const admin = { platformAdmin: true, role: 'owner' as const };
  const WEB_ORIGIN = 'http://localhost:3000';

  beforeAll(async () => {
    h = await startContentHarness({ CONTENT_MAX_FONT_BYTES: String(400 * 1024) });
  });
  afterAll(() => h?.stop());

  const upload = (
    who: Record<string, unknown>,
    file: { name: string; bytes: Buffer; contentType?: string } | undefined,
    fields: Record<string, string> = {},
    url = '/v1/fonts',
  ) => {
    const body = multipartBody(file, fields);
    return h.request(who, { method: 'POST', url, payload: body.payload, headers: body.headers });
  };

  it('installs a tenant face with its coverage, stores it content-addressed and tells render nodes', async () => {
    const bytes = fontFixtures.vazirmatnBlackWoff2();
    const res = await upload(
      editor,
      { name: 'Brand-Black.woff2', bytes, contentType: 'font/woff2' },
      { family: 'Brand Display' },
    );
    expect(res.statusCode, res.body).toBe(201);
    const { font, created } = res.json();
    const hash = createHash('sha256').update(bytes).digest('hex');
    expect(created).toBe(true);
    expect(font).toMatchObject({
      family: 'Brand Display',
      weight: 900,
      style: 'normal',
      format: 'woff2',
      visibility: 'tenant',
      css_family: 'Brand Display 900',
      scripts: ['arabic', 'latin', 'digits'],
      coverage: { arabic: true, persian: true, persian_digits: true, latin: true, missing_persian: [] },
      content_hash: hash,
      size_bytes: bytes.length,
    });
    expect(await h.harness.blobs.head(`content/fonts/${hash}.woff2`)).toMatchObject({ size: bytes.length });
    const event = await h.events.waitFor<{
      font_id: string;
      font: { blob_key: string };
      visibility: string;
      scripts: string[];
    }>('content.font.installed.v1', (d) => d.font_id === font.id);
    expect(event.tenant_id).toBe(editor.tenantId);
    expect(event.data).toMatchObject({
      visibility: 'tenant',
      format: 'woff2',
      font: { family: 'Brand Display', weight: 900, content_hash: hash },
    });

    // The same file again is the same face (idempotent, no second event); another file for it is refused.
    const again = await upload(editor, { name: 'Brand-Black.woff2', bytes }, { family: 'Brand Display' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, font: { id: font.id } });
    const other = await upload(
      editor,
      { name: 'x.ttf', bytes: withWeightClass(fontFixtures.vazirmatnRegularTtf(), 900) },
      { family: 'Brand Display', weight: '900' },
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({ code: 'font_exists', details: { font_id: font.id } });
    await new Promise((r) => setTimeout(r, 300));
    expect(
      h.events.of('content.font.installed.v1', (d: { font_id: string }) => d.font_id === font.id),
    ).toHaveLength(1);
  });

  it('detects scripts: a Latin-only face is not Persian, an Arabic-script one has no Latin', async () => {
    const latin = await upload(
      editor,
      { name: 'latin.woff2', bytes: fontFixtures.latinSubsetWoff2() },
      { family: 'Latin Only' },
    );
    expect(latin.statusCode, latin.body).toBe(201);
    expect(latin.json().font).toMatchObject({
      weight: 700,
      scripts: ['latin'],
      coverage: { arabic: false, persian: false, persian_digits: false, latin: true },
    });
    expect(latin.json().font.coverage.missing_persian).toEqual(
      expect.arrayContaining(['پ', 'چ', 'ژ', 'گ', '۰']),
    );
    const arabic = await upload(
      editor,
      { name: 'arabic.woff2', bytes: fontFixtures.arabicSubsetWoff2() },
      { family: 'Arabic Only' },
    );
    expect(arabic.statusCode, arabic.body).toBe(201);
    expect(arabic.json().font).toMatchObject({
      scripts: ['arabic', 'digits'],
      coverage: { persian: true, latin: false },
    });
  });

  it('refuses broken, mislabelled, variable and lying files, and stores nothing for them', async () => {
    const cases: [
      string,
      { name: string; bytes: Buffer; contentType?: string },
      Record<string, string>,
      number,
      string,
      string,
    ][] = [
      [
        'wrong magic',
        { name: 'fake.ttf', bytes: Buffer.from('<html>not a font</html>') },
        {},
        422,
        'font_wrong_magic',
        'file',
      ],
      [
        'WOFF 1',
        { name: 'old.woff', bytes: fontFixtures.latinSubsetWoff() },
        {},
        422,
        'font_unsupported_format',
        'file',
      ],
      [
        'truncated',
        { name: 'cut.ttf', bytes: fontFixtures.vazirmatnBoldTtf().subarray(0, 30_000) },
        {},
        422,
        'font_unreadable',
        'file',
      ],
      [
        'WOFF2 named .ttf',
        { name: 'Vazirmatn.ttf', bytes: fontFixtures.latinSubset400Woff2() },
        { family: 'Misnamed' },
        422,
        'font_mislabelled',
        'file',
      ],
      [
        'TTF typed as WOFF2',
        { name: 'blob', bytes: fontFixtures.vazirmatnBoldTtf(), contentType: 'font/woff2' },
        { family: 'Mistyped' },
        422,
        'font_mislabelled',
        'file',
      ],
      [
        'variable font',
        { name: 'v.ttf', bytes: fontFixtures.vazirmatnVariableTtf() },
        { family: 'Variable' },
        422,
        'font_variable',
        'file',
      ],
      [
        'Bold with OS/2 weight 400',
        { name: 'lie.ttf', bytes: withWeightClass(fontFixtures.vazirmatnBoldTtf(), 400) },
        { family: 'Liar' },
        422,
        'font_weight_mismatch',
        'weight',
      ],
      [
        'platform family taken',
        { name: 'b.ttf', bytes: fontFixtures.vazirmatnBoldTtf() },
        {},
        409,
        'font_family_taken',
        '',
      ],
      [
        'too large',
        {
          name: 'big.ttf',
          bytes: Buffer.concat([fontFixtures.vazirmatnBoldTtf(), Buffer.alloc(400 * 1024)]),
        },
        { family: 'Big' },
        413,
        'file_too_large',
        'file',
      ],
    ];
    // A platform Vazirmatn makes the family "Vazirmatn" the platform's.
    expect(
      (
        await upload(
          admin,
          { name: 'Vazirmatn-Regular.ttf', bytes: fontFixtures.vazirmatnRegularTtf() },
          {},
          '/v1/admin/fonts',
        )
      ).statusCode,
    ).toBe(201);
    for (const [what, file, fields, status, code, field] of cases) {
      const res = await upload(editor, file, fields);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json().error.code, what).toBe(code);
      if (field) expect(res.json().error.field, what).toBe(field);
      expect(res.json().error.message.length, what).toBeGreaterThan(10);
    }
    const stored = [];
    for await (const entry of h.harness.blobs.list('content/fonts/')) stored.push(entry.key);
    for (const [, file] of cases) {
      const hash = createHash('sha256').update(file.bytes).digest('hex');
      expect(stored.some((key) => key.includes(hash))).toBe(false);
    }
    // The explicit weight settles the conflict.
    const settled = await upload(
      editor,
      { name: 'lie.ttf', bytes: withWeightClass(fontFixtures.vazirmatnBoldTtf(), 400) },
      { family: 'Liar', weight: '700' },
    );
    expect(settled.statusCode, settled.body).toBe(201);
    expect(settled.json().font.weight).toBe(700);
    const missing = await upload(editor, undefined, { family: 'Nothing' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'file_required', field: 'file' });
    const badWeight = await upload(
      editor,
      { name: 'a.ttf', bytes: fontFixtures.vazirmatnBoldTtf() },
      { weight: 'heavy' },
    );
    expect(badWeight.json().error).toMatchObject({ code: 'invalid_weight', field: 'weight' });
    const json = await h.request(editor, { method: 'POST', url: '/v1/fonts', payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('multipart_required');
  });

  it('serves font files for @font-face with the right type, caching and CORS, and generates the CSS', async () => {
    const platform = await upload(
      admin,
      { name: 'Vazirmatn-Bold.ttf', bytes: fontFixtures.vazirmatnBoldTtf() },
      {},
      '/v1/admin/fonts',
    );
    expect(platform.statusCode, platform.body).toBe(201);
    const platformFont = platform.json().font;
    expect(platformFont).toMatchObject({ visibility: 'platform', family: 'Vazirmatn', weight: 700 });
    expect(
      (
        await h.events.waitFor<{ font_id: string; visibility: string }>(
          'content.font.installed.v1',
          (d) => d.font_id === platformFont.id,
        )
      ).tenant_id,
    ).toBe(PLATFORM_TENANT_ID);

    // Platform files are public; browsers fetch them without credentials, from the web origin.
    const file = await h.request(undefined, {
      url: `/v1/fonts/${platformFont.id}/file`,
      headers: { origin: WEB_ORIGIN },
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('font/ttf');
    expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(file.headers['access-control-allow-origin']).toBe(WEB_ORIGIN);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers.etag).toBe(`"${platformFont.content_hash}"`);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(platformFont.content_hash);
    const cached = await h.request(undefined, {
      url: `/v1/fonts/${platformFont.id}/file`,
      headers: { 'if-none-match': `"${platformFont.content_hash}"` },
    });
    expect(cached.statusCode).toBe(304);
    const elsewhere = await h.request(undefined, {
      url: `/v1/fonts/${platformFont.id}/file`,
      headers: { origin: 'https://evil.test' },
    });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();

    // A tenant face needs the tenant's token or a signed link, which the listing and the CSS carry.
    const tenant = await upload(
      editor,
      { name: 't.woff2', bytes: fontFixtures.vazirmatnBlackWoff2() },
      { family: 'Signed Face', weight: '900' },
    );
    expect(tenant.statusCode, tenant.body).toBe(201);
    const tenantFont = tenant.json().font;
    expect(tenantFont.url).toMatch(/\/v1\/fonts\/[0-9a-f-]+\/file\?exp=\d+&sig=/);
    const signedPath = new URL(tenantFont.url).pathname + new URL(tenantFont.url).search;
    const bySignature = await h.request(undefined, { url: signedPath });
    expect(bySignature.statusCode).toBe(200);
    expect(bySignature.headers['content-type']).toBe('font/woff2');
    expect(bySignature.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect((await h.request(undefined, { url: `/v1/fonts/${tenantFont.id}/file` })).statusCode).toBe(404);
    expect((await h.request(editor, { url: `/v1/fonts/${tenantFont.id}/file` })).statusCode).toBe(200);
    const forged = signedPath.replace(/sig=[^&]+/, 'sig=AAAA');
    expect((await h.request(undefined, { url: forged })).statusCode).toBe(404);

    const css = await h.request(editor, { url: '/v1/fonts/faces.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain('font-family: "Vazirmatn 700";');
    expect(css.body).toContain('font-family: "Signed Face 900";');
    expect(css.body).toContain(`/v1/fonts/${platformFont.id}/file") format("truetype")`);
    expect(css.body).toMatch(
      new RegExp(`/v1/fonts/${tenantFont.id}/file\\?exp=\\d+&sig=[^"]+"\\) format\\("woff2"\\)`),
    );
    const anonymousCss = await h.request(undefined, { url: '/v1/fonts/faces.css' });
    expect(anonymousCss.body).toContain('"Vazirmatn 700"');
    expect(anonymousCss.body).not.toContain('Signed Face');

    const list = (await h.request(editor, { url: '/v1/fonts' })).json().items;
    expect(list.map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining([platformFont.id, tenantFont.id]),
    );
    const onlyMine = (await h.request(editor, { url: '/v1/fonts?visibility=tenant' })).json().items;
    expect(onlyMine.every((f: { visibility: string }) => f.visibility === 'tenant')).toBe(true);
    expect((await h.request(editor, { url: `/v1/fonts/${platformFont.id}` })).json()).toMatchObject({
      id: platformFont.id,
      coverage: { persian: true },
    });
  });
});
