import { randomUUID } from 'node:crypto';
import type { Principal } from '@flatrender/platform';
import { describeWithServices, type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { studioService } from '../src/index';
import {
  client,
  collectEvents,
  type FakeFile,
  fakeContentService,
  fakeFileService,
  publishTemplate,
  type StoredTemplate,
  storeTemplate,
} from './studio-test-kit';
import { studioTemplate } from './template-fixtures';

await describeWithServices(['postgres', 'rabbitmq'], 'studio checks, snapshots and the render view', () => {
  let harness: ServiceHarness;
  let events: Awaited<ReturnType<typeof collectEvents>>;
  const files = new Map<string, FakeFile>();
  const contentVersions = new Map<string, StoredTemplate>();
  const contentCalls = { count: 0 };
  const sample = randomUUID();
  let alice: Principal;
  let bob: Principal;

  const addFile = (tenantId: string, file: Omit<FakeFile, 'tenantId'>) => {
    const id = randomUUID();
    files.set(id, { tenantId, ...file });
    return `file:${id}`;
  };

  beforeAll(async () => {
    harness = await startServiceHarness({
      services: [studioService, fakeFileService(files), fakeContentService(contentVersions, contentCalls)],
      database: 'postgres',
      bus: 'rabbitmq',
      blobs: 's3',
    });
    events = await collectEvents(harness, ['render.snapshot.requested.v1']);
    alice = harness.newPrincipal({ role: 'editor', locale: 'fa' });
    bob = harness.newPrincipal({ role: 'editor' });
    await publishTemplate(harness, studioTemplate(), { templateId: sample, version: 1 });
  });
  afterAll(async () => {
    await events?.stop();
    await harness?.stop();
  });

  /** A project with every required value given, plus `fields`. */
  const project = async (fields: Record<string, unknown> = {}) => {
    const res = await client(harness, alice).post('/v1/projects', {
      template_id: sample,
      fields: { 'intro.subtitle': 'با بهترین آرزوها', ...fields },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; revision: number };
  };
  const checks = async (id: string, query = '') => {
    const res = await client(harness, alice).get(`/v1/projects/${id}/checks${query}`);
    expect(res.status).toBe(200);
    return res.body as {
      ok: boolean;
      revision: number;
      errors: Record<string, unknown>[];
      warnings: unknown[];
    };
  };

  it('passes a finished project and reports what an unfinished one lacks', async () => {
    const done = await checks((await project()).id);
    expect(done).toMatchObject({ ok: true, errors: [] });
    const unfinished = await client(harness, alice).post('/v1/projects', { template_id: sample });
    const report = await checks(unfinished.body.id);
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([
      expect.objectContaining({ code: 'missing_value', field: 'intro.subtitle', path: 'intro.subtitle' }),
    ]);
  });

  it('reports characters the font cannot draw, naming the field', async () => {
    const report = await checks((await project({ 'intro.title': 'سلام 你好' })).id);
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'missing_glyphs',
        field: 'intro.title',
        message: expect.stringContaining('"你" (U+4F60)'),
      }),
    ]);
  });

  it('reports text that does not fit at some aspects, naming field and aspect', async () => {
    const { id } = await project({ 'intro.title': 'ابرقهرمان‌های‌بی‌نظیرترین‌ها' });
    const all = await checks(id);
    expect(all.errors.filter((e) => e.code === 'text_unfit')).toEqual([
      expect.objectContaining({ field: 'intro.title', aspect: '9:16' }),
      expect.objectContaining({ field: 'intro.title', aspect: '1:1' }),
    ]);
    expect((await checks(id, '?aspect=16:9')).errors).toEqual([]);
    const square = await checks(id, '?aspect=1:1');
    expect(square.errors).toEqual([expect.objectContaining({ code: 'text_unfit', aspect: '1:1' })]);
    const unknown = await client(harness, alice).get(`/v1/projects/${id}/checks?aspect=4:5`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_aspect', field: 'aspect' });
  });

  it('checks uploaded files through the file service: size, existence, kind, length, tenant', async () => {
    const small = addFile(alice.tenantId, { kind: 'image', mime: 'image/png', width: 100, height: 100 });
    const large = addFile(alice.tenantId, { kind: 'image', mime: 'image/png', width: 800, height: 800 });
    const voice = addFile(alice.tenantId, { kind: 'audio', mime: 'audio/mpeg', durationSeconds: 30 });
    const longVoice = addFile(alice.tenantId, { kind: 'audio', mime: 'audio/mpeg', durationSeconds: 120 });
    const leaving = addFile(alice.tenantId, {
      kind: 'image',
      mime: 'image/png',
      width: 800,
      height: 800,
      status: 'deleting',
    });
    const bobs = addFile(bob.tenantId, { kind: 'image', mime: 'image/png', width: 800, height: 800 });

    const tooSmall = await checks((await project({ logo: small })).id);
    expect(tooSmall.errors).toEqual([
      expect.objectContaining({
        code: 'image_too_small',
        field: 'logo',
        message: expect.stringContaining('100x100'),
      }),
    ]);
    expect(await checks((await project({ logo: large, music: voice })).id)).toMatchObject({ ok: true });

    const missing = await checks((await project({ logo: `file:${randomUUID()}` })).id);
    expect(missing.errors).toEqual([
      expect.objectContaining({ code: 'file_missing', field: 'logo', path: 'logo' }),
    ]);
    const deleting = await checks((await project({ logo: leaving })).id);
    expect(deleting.errors).toEqual([expect.objectContaining({ code: 'file_missing', field: 'logo' })]);
    const foreign = await checks((await project({ logo: bobs })).id);
    expect(foreign.errors).toEqual([expect.objectContaining({ code: 'file_missing', field: 'logo' })]);

    const wrongKinds = await checks((await project({ logo: voice, music: large })).id);
    expect(wrongKinds.errors).toEqual([
      expect.objectContaining({
        code: 'file_wrong_type',
        field: 'logo',
        message: expect.stringContaining('audio/mpeg'),
      }),
      expect.objectContaining({ code: 'file_wrong_type', field: 'music' }),
    ]);
    const tooLong = await checks((await project({ music: longVoice })).id);
    expect(tooLong.errors).toEqual([
      expect.objectContaining({
        code: 'audio_too_long',
        field: 'music',
        message: expect.stringContaining('120 seconds'),
      }),
    ]);
  });

  it('records a snapshot request and announces it for the render service', async () => {
    const { id } = await project({ brand: '#336699' });
    const me = client(harness, alice);
    const res = await me.post(`/v1/projects/${id}/snapshots`, { time: 1.5, aspect: '9:16', format: 'jpg' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      project_id: id,
      project_revision: 1,
      status: 'requested',
      aspect: '9:16',
      time_seconds: 1.5,
      format: 'jpg',
      width: 1080,
      height: 1920,
      links: { self: `/v1/snapshots/${res.body.snapshot_id}` },
    });
    expect(res.headers.location).toBe(`/v1/snapshots/${res.body.snapshot_id}`);
    const message = await events.next(
      'render.snapshot.requested.v1',
      (d) => d.snapshot_id === res.body.snapshot_id,
    );
    expect(message.valid).toBe(true);
    expect(message.envelope).toMatchObject({
      producer: 'studio',
      tenant_id: alice.tenantId,
      user_id: alice.userId,
      data: {
        project_id: id,
        project_revision: 1,
        template: { template_id: sample, version: 1 },
        aspect: '9:16',
        time_seconds: 1.5,
        format: 'jpg',
        width: 1080,
        height: 1920,
      },
    });
    const defaults = await me.post(`/v1/projects/${id}/snapshots`, { time: 0 });
    expect(defaults.body).toMatchObject({ aspect: '16:9', format: 'png', width: 1920, height: 1080 });
    const listed = await me.get(`/v1/projects/${id}/snapshots`);
    expect(listed.body.map((s: { snapshot_id: string }) => s.snapshot_id)).toEqual([
      defaults.body.snapshot_id,
      res.body.snapshot_id,
    ]);

    const late = await me.post(`/v1/projects/${id}/snapshots`, { time: 60 });
    expect(late.status).toBe(400);
    expect(late.body.error).toMatchObject({ code: 'out_of_range', field: 'time' });
    const unfinished = await me.post('/v1/projects', { template_id: sample });
    const refused = await me.post(`/v1/projects/${unfinished.body.id}/snapshots`, { time: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'project_incomplete', field: 'intro.subtitle' });
    expect(events.received.filter((m) => !m.valid)).toEqual([]);
  });

  it('gives render the project as the engine takes it, for the principal’s tenant only', async () => {
    const logo = addFile(alice.tenantId, { kind: 'image', mime: 'image/png', width: 800, height: 800 });
    const me = client(harness, alice);
    const created = await me.post('/v1/projects', {
      template_id: sample,
      aspect: '1:1',
      fields: { 'intro.subtitle': 'زیرعنوان', logo },
      scene_edits: [{ op: 'add', block: 'quote', id: 'wish' }],
    });
    const path = `/internal/projects/${created.body.id}`;
    const view = await harness.infra.internal.request<Record<string, unknown>>('studio', {
      method: 'GET',
      path,
      principal: alice,
    });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      project: { id: created.body.id, revision: 1, aspect: '1:1', locale: 'fa' },
      template: { template_id: sample, version: 1, engine: 1, fonts: [] },
      values: {
        fields: { 'intro.subtitle': 'زیرعنوان', logo },
        scenes: [{ id: 'intro' }, { id: 'end' }, { id: 'wish', block: 'quote' }],
      },
      scenes: [
        { id: 'intro', block: 'title-card', duration_seconds: 3 },
        { id: 'end', block: 'outro', duration_seconds: 3 },
        { id: 'wish', block: 'quote', duration_seconds: expect.any(Number) },
      ],
      file_ids: [logo.slice('file:'.length)],
    });
    expect(view.body.template).toMatchObject({ document_key: expect.stringMatching(/^templates\//) });
    const anonymous = await harness.infra.internal.request('studio', { method: 'GET', path });
    expect(anonymous.status).toBe(401);
    const unsigned = await harness.app.inject({
      method: 'GET',
      url: path,
      headers: await harness.authHeaders(alice),
    });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error.code).toBe('internal_only');
  });

  it('pins a version content published before studio heard of it, asking content once', async () => {
    const early = randomUUID();
    const v3 = await storeTemplate(harness, { ...studioTemplate(), id: 'early-bird' }, early, 3);
    contentVersions.set(`${early}@3`, v3);
    const before = contentCalls.count;
    const pinned = await client(harness, alice).post('/v1/projects', { template_id: early, version: 3 });
    expect(pinned.status).toBe(201);
    expect(pinned.body.template).toMatchObject({ template_id: early, version: 3, slug: 'early-bird' });
    expect(contentCalls.count).toBe(before + 1);
    const again = await client(harness, alice).post('/v1/projects', { template_id: early });
    expect(again.body.template.version).toBe(3);
    expect(contentCalls.count).toBe(before + 1);

    const unseen = randomUUID();
    contentVersions.set(`${unseen}@1`, await storeTemplate(harness, studioTemplate(), unseen, 1));
    contentVersions.set(`${unseen}@2`, await storeTemplate(harness, studioTemplate(), unseen, 2));
    const latest = await client(harness, bob).post('/v1/projects', { template_id: unseen });
    expect(latest.status).toBe(201);
    expect(latest.body.template.version).toBe(2);
  });
});
