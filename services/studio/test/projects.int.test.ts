import { randomUUID } from 'node:crypto';
import type { TemplateInput } from '@flatrender/engine';
import { assertTenantTablesForceRls, type Principal } from '@flatrender/platform';
import { describeWithServices, type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studioService } from '../src/index';
import { client, collectEvents, fakeContentService, publishTemplate } from './studio-test-kit';
import { studioTemplate, studioTemplateV2 } from './template-fixtures';

type Adapters = Pick<Parameters<typeof startServiceHarness>[0], 'database' | 'bus' | 'blobs'>;

/** The same tests on the distributed adapters and on the one-process ones (`npm start`). */
function projectTests(adapters: Adapters) {
  let harness: ServiceHarness;
  let events: Awaited<ReturnType<typeof collectEvents>>;
  const sample = randomUUID();
  let alice: Principal;
  let bob: Principal;

  beforeAll(async () => {
    harness = await startServiceHarness({
      // Content knows no template beyond those published on the bus: its fallback answers 404.
      services: [studioService, fakeContentService(new Map(), { count: 0 })],
      ...adapters,
    });
    events = await collectEvents(harness, ['studio.project.saved.v1', 'studio.project.deleted.v1']);
    alice = harness.newPrincipal({ role: 'editor', locale: 'fa' });
    bob = harness.newPrincipal({ role: 'owner' });
    await publishTemplate(harness, studioTemplate(), { templateId: sample, version: 1 });
  });
  afterAll(async () => {
    await events?.stop();
    await harness?.stop();
  });

  const create = (who: Principal, body: Record<string, unknown> = {}) =>
    client(harness, who).post('/v1/projects', { template_id: sample, ...body });

  it('forces row-level security on every tenant table', async () => {
    await assertTenantTablesForceRls(harness.database!, ['studio']);
  });

  it('creates a project pinned to the newest version, storing only values that differ from defaults', async () => {
    const res = await create(alice, { fields: { brand: '#e94560', 'end.headline': 'تا بعد' } });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/v1/projects/${res.body.id}`);
    expect(res.body).toMatchObject({
      name: 'نمونهٔ استودیو',
      template: { template_id: sample, version: 1, slug: 'studio-sample', latest_version: 1 },
      aspect: '16:9',
      locale: 'fa',
      values: { fields: { 'end.headline': 'تا بعد' }, durations: {}, scenes: null },
      revision: 1,
      created_by: alice.userId,
    });
    const saved = await events.next('studio.project.saved.v1', (d) => d.project_id === res.body.id);
    expect(saved.valid).toBe(true);
    expect(saved.envelope).toMatchObject({
      producer: 'studio',
      tenant_id: alice.tenantId,
      user_id: alice.userId,
      data: {
        revision: 1,
        template: { template_id: sample, version: 1 },
        aspect: '16:9',
        locale: 'fa',
        values: { 'end.headline': 'تا بعد' },
        file_ids: [],
        scenes: null,
      },
    });
  });

  it('detects the second of two tabs saving on the same revision and loses nothing', async () => {
    const { body: project } = await create(alice);
    const url = `/v1/projects/${project.id}`;
    const tabA = client(harness, alice);
    const tabB = client(harness, alice);
    const first = await tabA.patch(
      url,
      { fields: { 'intro.title': 'عنوان از زبانه الف' } },
      { 'if-match': '"1"' },
    );
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await tabB.patch(url, { fields: { 'end.headline': 'از زبانه ب' } }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('revision_conflict');
    const conflicts = await harness.infra.metrics
      .getSingleMetric('flatrender_studio_revision_conflicts_total')
      ?.get();
    expect(conflicts?.values[0]?.value).toBeGreaterThanOrEqual(1);
    expect(stale.body.error.details.current).toMatchObject({
      revision: 2,
      values: { fields: { 'intro.title': 'عنوان از زبانه الف' } },
    });
    const retry = await tabB.patch(url, { fields: { 'end.headline': 'از زبانه ب' } }, { 'if-match': '2' });
    expect(retry.status).toBe(200);
    expect(retry.body.revision).toBe(3);
    expect(retry.body.values.fields).toEqual({
      'intro.title': 'عنوان از زبانه الف',
      'end.headline': 'از زبانه ب',
    });

    const unconditional = await tabA.patch(url, { name: 'بی‌شرط' });
    expect(unconditional.status).toBe(428);
    expect(unconditional.body.error).toMatchObject({ code: 'precondition_required', field: 'If-Match' });
    const junk = await tabA.patch(url, { name: 'x' }, { 'if-match': '*' });
    expect(junk.status).toBe(400);
    expect(junk.body.error.code).toBe('invalid_if_match');

    const renamed = await tabA.patch(url, { name: 'پروژهٔ نوروز' }, { 'if-match': '"3"' });
    expect(renamed.body).toMatchObject({ name: 'پروژهٔ نوروز', revision: 4 });
    const saved = await events.next(
      'studio.project.saved.v1',
      (d) => d.project_id === project.id && d.revision === 4,
    );
    expect(saved.valid).toBe(true);
    expect(saved.envelope.data).toMatchObject({ name: 'پروژهٔ نوروز' });
  });

  it('validates flexible scene edits with the engine and names the refused edit', async () => {
    const { body: project } = await create(alice);
    const url = `/v1/projects/${project.id}`;
    const me = client(harness, alice);
    const added = await me.patch(
      url,
      {
        scene_edits: [
          { op: 'add', block: 'quote', id: 'wish', at: 1 },
          { op: 'duration', scene: 'end', seconds: 5 },
        ],
        fields: { 'wish.quote': 'سال خوبی داشته باشید' },
      },
      { 'if-match': '"1"' },
    );
    expect(added.status).toBe(200);
    expect(added.body.values).toEqual({
      fields: { 'wish.quote': 'سال خوبی داشته باشید' },
      durations: { end: 5 },
      scenes: [{ id: 'intro' }, { id: 'wish', block: 'quote' }, { id: 'end' }],
    });
    const saved = await events.next(
      'studio.project.saved.v1',
      (d) => d.project_id === project.id && d.revision === 2,
    );
    expect(saved.envelope.data.scenes).toEqual([
      { id: 'intro', block: 'title-card', duration_seconds: 3 },
      { id: 'wish', block: 'quote', duration_seconds: expect.any(Number) },
      { id: 'end', block: 'outro', duration_seconds: 5 },
    ]);

    const refused = await me.patch(
      url,
      {
        scene_edits: [
          { op: 'remove', scene: 'wish' },
          { op: 'add', block: 'bar-chart' },
        ],
      },
      { 'if-match': '"2"' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'invalid_values', field: 'scene_edits[1]' });
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({
        code: 'scene_edit_forbidden',
        path: 'scene_edits[1]',
        message: expect.stringContaining('"bar-chart" is not allowed'),
      }),
    ]);
    const unknownField = await me.patch(url, { fields: { 'intro.headline': 'x' } }, { 'if-match': '"2"' });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.error.details[0]).toMatchObject({
      code: 'unknown_field',
      path: 'intro.headline',
    });
    const unchanged = await me.get(url);
    expect(unchanged.body.revision).toBe(2);
  });

  it('refuses scene list edits on a fixed template', async () => {
    const fixedId = randomUUID();
    const doc: TemplateInput = { ...studioTemplate(), id: 'studio-fixed', mode: 'fixed' };
    delete doc.allowedBlocks;
    await publishTemplate(harness, doc, { templateId: fixedId, version: 1 });
    const res = await client(harness, alice).post('/v1/projects', {
      template_id: fixedId,
      scene_edits: [{ op: 'move', scene: 'end', to: 0 }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ code: 'scene_edit_forbidden', path: 'scene_edits[0]' });
  });

  it('keeps a project on its version when the template is republished, and upgrades it on request', async () => {
    const upgradeId = randomUUID();
    await publishTemplate(harness, studioTemplate(), { templateId: upgradeId, version: 1 });
    const me = client(harness, alice);
    const { body: project } = await me.post('/v1/projects', {
      template_id: upgradeId,
      fields: { brand: '#123456', 'intro.title': 'عنوانی که بلند است', 'end.headline': 'بدرود' },
    });
    await publishTemplate(harness, studioTemplateV2(), { templateId: upgradeId, version: 2 });
    const pinned = await me.get(`/v1/projects/${project.id}`);
    expect(pinned.body.template).toMatchObject({ version: 1, latest_version: 2 });
    expect(pinned.body.values.fields['end.headline']).toBe('بدرود');
    const fresh = await me.post('/v1/projects', { template_id: upgradeId });
    expect(fresh.body.template.version).toBe(2);
    const older = await me.post('/v1/projects', { template_id: upgradeId, version: 1 });
    expect(older.body.template.version).toBe(1);

    const stale = await me.post(`/v1/projects/${project.id}/upgrade`, {}, { 'if-match': '"7"' });
    expect(stale.status).toBe(409);
    const upgraded = await me.post(`/v1/projects/${project.id}/upgrade`, {}, { 'if-match': '"1"' });
    expect(upgraded.status).toBe(200);
    expect(upgraded.headers.etag).toBe('"2"');
    expect(upgraded.body.project).toMatchObject({
      template: { version: 2, latest_version: 2 },
      values: { fields: { brand: '#123456' } },
      revision: 2,
    });
    expect(upgraded.body.dropped).toEqual([
      expect.objectContaining({ path: 'intro.title', code: 'too_long', value: 'عنوانی که بلند است' }),
      expect.objectContaining({ path: 'end.headline', code: 'unknown_field', value: 'بدرود' }),
    ]);
    const saved = await events.next(
      'studio.project.saved.v1',
      (d) => d.project_id === project.id && d.revision === 2,
    );
    expect(saved.envelope.data).toMatchObject({ template: { template_id: upgradeId, version: 2 } });
    const again = await me.post(`/v1/projects/${project.id}/upgrade`, {}, { 'if-match': '"2"' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_newer');
  });

  it('duplicates and deletes projects, announcing both', async () => {
    const me = client(harness, alice);
    const { body: project } = await me.post('/v1/projects', {
      template_id: sample,
      name: 'اصلی',
      fields: { brand: '#00ff00' },
    });
    const copy = await me.post(`/v1/projects/${project.id}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({
      name: 'اصلی (کپی)',
      revision: 1,
      values: { fields: { brand: '#00ff00' } },
    });
    expect(copy.body.id).not.toBe(project.id);
    const named = await me.post(`/v1/projects/${project.id}/duplicate`, { name: 'Second' });
    expect(named.body.name).toBe('Second');

    const stale = await me.delete(`/v1/projects/${project.id}`, { 'if-match': '"5"' });
    expect(stale.status).toBe(409);
    const gone = await me.delete(`/v1/projects/${project.id}`, { 'if-match': '"1"' });
    expect(gone.status).toBe(204);
    expect((await me.get(`/v1/projects/${project.id}`)).status).toBe(404);
    expect((await me.get(`/v1/projects/${copy.body.id}`)).status).toBe(200);
    const deleted = await events.next('studio.project.deleted.v1', (d) => d.project_id === project.id);
    expect(deleted.valid).toBe(true);
    expect(deleted.envelope).toMatchObject({
      producer: 'studio',
      tenant_id: alice.tenantId,
      data: { project_id: project.id, last_revision: 1 },
    });
  });

  it('lists projects newest change first, with cursor paging and Persian-aware search', async () => {
    const carol = harness.newPrincipal({ role: 'editor' });
    const me = client(harness, carol);
    const names = ['کتاب‌های من', 'Nowruz promo', 'كتاب عربي', 'Launch', 'Sale 50%'];
    const ids: string[] = [];
    for (const name of names)
      ids.push((await me.post('/v1/projects', { template_id: sample, name })).body.id);
    const first = await me.get('/v1/projects?limit=2');
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([ids[4], ids[3]]);
    const second = await me.get(`/v1/projects?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    const third = await me.get(`/v1/projects?limit=2&cursor=${second.body.next_cursor}`);
    expect(third.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], next_cursor: null });

    const books = await me.get(`/v1/projects?q=${encodeURIComponent('کتاب')}`);
    expect(books.body.items.map((p: { name: string }) => p.name).sort()).toEqual(
      ['كتاب عربي', 'کتاب‌های من'].sort(),
    );
    const percent = await me.get(`/v1/projects?q=${encodeURIComponent('50%')}`);
    expect(percent.body.items.map((p: { name: string }) => p.name)).toEqual(['Sale 50%']);
    const literal = await me.get(`/v1/projects?q=${encodeURIComponent('%')}`);
    expect(literal.body.items).toHaveLength(1);

    // A change moves a project to the front.
    await me.patch(`/v1/projects/${ids[0]}`, { name: 'کتاب‌ها' }, { 'if-match': '"1"' });
    expect((await me.get('/v1/projects?limit=1')).body.items[0].id).toBe(ids[0]);
    const bad = await me.get('/v1/projects?cursor=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
  });

  it('keeps tenants apart on every endpoint: 404 for the other tenant’s project, never 403', async () => {
    const { body: project } = await create(alice, { fields: { brand: '#abcdef' } });
    const url = `/v1/projects/${project.id}`;
    const them = client(harness, bob);
    const attempts = [
      await them.get(url),
      await them.patch(url, { name: 'mine now' }, { 'if-match': '"1"' }),
      await them.delete(url),
      await them.post(`${url}/duplicate`),
      await them.post(`${url}/upgrade`, {}, { 'if-match': '"1"' }),
      await them.get(`${url}/checks`),
      await them.post(`${url}/snapshots`, { time: 1 }),
      await them.get(`${url}/snapshots`),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('project_not_found');
    }
    const list = await them.get('/v1/projects?limit=100');
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(project.id);
    const internal = await harness.infra.internal.request('studio', {
      method: 'GET',
      path: `/internal/projects/${project.id}`,
      principal: bob,
    });
    expect(internal.status).toBe(404);
    const still = await client(harness, alice).get(url);
    expect(still.body).toMatchObject({ revision: 1, values: { fields: { brand: '#abcdef' } } });
  });

  it('keeps a tenant’s private template to that tenant', async () => {
    const privateId = randomUUID();
    await publishTemplate(
      harness,
      { ...studioTemplate(), id: 'alice-only' },
      {
        templateId: privateId,
        version: 1,
        ownerTenant: alice.tenantId,
      },
    );
    const mine = await client(harness, alice).post('/v1/projects', { template_id: privateId });
    expect(mine.status).toBe(201);
    expect(mine.body.template.slug).toBe('alice-only');
    const theirs = await client(harness, bob).post('/v1/projects', { template_id: privateId, version: 1 });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('template_not_found');
  });

  it('authorises writes by scope and answers malformed requests with a code and the field', async () => {
    const viewer = harness.newPrincipal({ ...alice, role: 'viewer', scopes: ['projects:read'] });
    const { body: project } = await create(alice);
    const readOnly = client(harness, viewer);
    expect((await readOnly.get(`/v1/projects/${project.id}`)).status).toBe(200);
    const refused = await readOnly.patch(`/v1/projects/${project.id}`, { name: 'x' }, { 'if-match': '"1"' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('insufficient_scope');
    const anonymous = await harness.app.inject({ method: 'GET', url: '/v1/projects' });
    expect(anonymous.statusCode).toBe(401);

    const me = client(harness, alice);
    const cases: [
      Promise<{ status: number; body: { error: { code: string; field?: string } } }>,
      number,
      string,
      string?,
    ][] = [
      [me.get('/v1/projects/not-a-uuid'), 400, 'invalid_request', 'id'],
      [me.post('/v1/projects', { template_id: 'nope' }), 400, 'invalid_request', 'template_id'],
      [me.post('/v1/projects', { template_id: sample, colour: 'red' }), 400, 'invalid_request'],
      [me.post('/v1/projects', { template_id: sample, aspect: '4:5' }), 400, 'unknown_aspect', 'aspect'],
      [me.post('/v1/projects', { template_id: sample, aspect: '2:1' }), 400, 'invalid_request', 'aspect'],
      [me.post('/v1/projects', { template_id: randomUUID() }), 404, 'template_not_found'],
      [
        me.post('/v1/projects', { template_id: sample, fields: { brand: 'red' } }),
        422,
        'invalid_values',
        'brand',
      ],
      [
        me.post('/v1/projects', {
          template_id: sample,
          scene_edits: [{ op: 'add', block: 'quote', id: 'a.b' }],
        }),
        400,
        'invalid_request',
        'scene_edits.0.id',
      ],
      [me.patch(`/v1/projects/${project.id}`, {}, { 'if-match': '"1"' }), 400, 'invalid_request'],
      [me.get('/v1/projects?limit=1000'), 400, 'invalid_request', 'limit'],
      [me.get(`/v1/projects/${randomUUID()}`), 404, 'project_not_found'],
    ];
    for (const [pending, status, code, field] of cases) {
      const res = await pending;
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status, code });
      if (field) expect(res.body.error.field).toBe(field);
    }
  });

  it('publishes only valid envelopes', async () => {
    expect(events.received.length).toBeGreaterThan(5);
    expect(events.received.filter((m) => !m.valid)).toEqual([]);
  });
}

await describeWithServices(['postgres', 'rabbitmq'], 'studio projects on PostgreSQL, RabbitMQ and S3', () =>
  projectTests({ database: 'postgres', bus: 'rabbitmq', blobs: 's3' }),
);

describe('studio projects on PGlite, the in-process bus and disk (one-process mode)', () =>
  projectTests({ database: 'pglite', bus: 'in-process', blobs: 'disk' }));
