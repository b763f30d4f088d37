import { randomUUID } from 'node:crypto';
import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { createCanvas } from '@flatrender/engine/node';
import { assertTenantTablesForceRls, type DeliveredMessage, type Principal } from '@flatrender/platform';
import { describeWithServices, type ServiceHarness } from '@flatrender/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  type EventRecorder,
  type PublishedTemplate,
  publishTemplate,
  ROOMY,
  recordEvents,
  rows,
  setPlan,
  startRenderHarness,
  tinyTemplate,
  waitFor,
} from './render-test-kit';
import { ScriptedNode } from './scripted-node';

/** Uploads a PNG through the file service's API and returns its file id. */
async function uploadPng(
  harness: ServiceHarness,
  principal: Principal,
  width = 400,
  height = 300,
): Promise<string> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#1e90ff';
  ctx.fillRect(0, 0, width, height);
  const bytes = await canvas.encode('png');
  const boundary = `----render${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="shot.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await harness.app.inject({
    method: 'POST',
    url: '/v1/files',
    headers: {
      ...(await harness.authHeaders(principal)),
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload,
  });
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

await describeWithServices(['postgres', 'rabbitmq'], 'render API', () => {
  let harness: ServiceHarness;
  let template: PublishedTemplate;
  let events: EventRecorder;

  beforeAll(async () => {
    harness = await startRenderHarness();
    events = await recordEvents(harness, ['render.#', 'tenant.#']);
    template = await publishTemplate(harness, tinyTemplate());
  });

  afterAll(async () => {
    await events?.stop();
    await harness?.stop();
  });

  const tenant = async (limits = ROOMY) => {
    const principal = harness.newPrincipal();
    await setPlan(harness, principal.tenantId, limits);
    return { principal, api: client(harness, principal) };
  };
  const body = (extra: Record<string, unknown> = {}) => ({
    template_id: template.template_id,
    modifications: { 'intro.title': `عنوان ${randomUUID().slice(0, 6)}` },
    output: { format: 'mp4', quality: 'draft' },
    ...extra,
  });
  const nothingQueued = async (tenantId: string) => {
    expect(await rows(harness, `select 1 from render_job where tenant_id = '${tenantId}'`)).toEqual([]);
    expect(await rows(harness, `select 1 from outbox where envelope->>'tenant_id' = '${tenantId}'`)).toEqual(
      [],
    );
  };

  describe('refusals before anything is queued', () => {
    it('402 insufficient_allowance when the monthly allowance cannot cover the quote', async () => {
      const { principal, api } = await tenant({ ...ROOMY, monthly_render_seconds: 4 });
      const res = await api.post('/v1/renders', body());
      expect(res.status).toBe(402);
      expect(res.body.error.code).toBe('insufficient_allowance');
      expect(res.body.error.details).toMatchObject({ limit: 4, used: 0, reserved: 0, needed: 4.5 });
      await nothingQueued(principal.tenantId);
    });

    it('403 tenant_suspended for a suspended tenant, whose running jobs are cancelled', async () => {
      const { principal, api } = await tenant();
      const running = await api.post('/v1/renders', body());
      expect(running.status).toBe(202);
      await harness.bus.publish(
        sampleEnvelope('identity.tenant.suspended.v1', {
          tenant_id: principal.tenantId,
          producer: 'identity',
          data: {
            tenant_id: principal.tenantId,
            reason_code: 'payment_overdue',
            suspended_until: null,
            suspended_at: new Date().toISOString(),
          },
        }),
      );
      const cancelled = await events.next('render.job.cancelled.v1', (d) => d.job_id === running.body.job.id);
      expect(cancelled.data).toMatchObject({ reason_code: 'tenant_suspended' });
      const res = await api.post('/v1/renders', body());
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('tenant_suspended');
      expect(
        await rows(harness, `select 1 from render_job where tenant_id = '${principal.tenantId}'`),
      ).toHaveLength(1);
    });

    it('429 concurrency_limit over the plan’s concurrent jobs', async () => {
      const { principal, api } = await tenant({ ...ROOMY, max_concurrent_jobs: 1 });
      expect((await api.post('/v1/renders', body())).status).toBe(202);
      const res = await api.post('/v1/renders', body());
      expect(res.status).toBe(429);
      expect(res.body.error).toMatchObject({ code: 'concurrency_limit', details: { limit: 1, active: 1 } });
      expect(
        await rows(harness, `select 1 from render_job where tenant_id = '${principal.tenantId}'`),
      ).toHaveLength(1);
    });

    it('422 with field errors for values, plan limits and files; 400 for malformed bodies; 404 for unknown templates', async () => {
      const { principal, api } = await tenant({ ...ROOMY, formats: ['mp4'], max_short_side_px: 720 });
      const invalid = await api.post(
        '/v1/renders',
        body({ modifications: { brand: 'red', 'intro.nope': 'x' } }),
      );
      expect(invalid.status).toBe(422);
      expect(invalid.body.error.code).toBe('values_invalid');
      const fields = invalid.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['modifications.brand', 'modifications.intro.nope']));
      const plan = await api.post('/v1/renders', body({ output: { format: 'webm', resolution: '1080p' } }));
      expect(plan.status).toBe(422);
      expect(new Set(plan.body.error.details.map((d: { field: string }) => d.field))).toEqual(
        new Set(['output.format', 'output.resolution']),
      );
      const missing = await api.post(
        '/v1/renders',
        body({ modifications: { 'intro.title': `file:${randomUUID()}` } }),
      );
      expect(missing.status).toBe(422);
      const both = await api.post('/v1/renders', { ...body(), project_id: randomUUID() });
      expect(both.status).toBe(400);
      expect(both.body.error).toMatchObject({ code: 'invalid_request', field: 'template_id' });
      const unknown = await api.post('/v1/renders', body({ template_id: randomUUID() }));
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('template_not_found');
      await nothingQueued(principal.tenantId);
    });
  });

  it('orders a queue by the plans’ priorities', async () => {
    const low = await tenant({ ...ROOMY, render_queue: 'preview', priority: 2 });
    const high = await tenant({ ...ROOMY, render_queue: 'preview', priority: 9 });
    const slow = await low.api.post('/v1/renders', body());
    const fast = await high.api.post('/v1/renders', body());
    expect(slow.body.job).toMatchObject({ queue: 'render.queue.preview', priority: 2 });
    expect(fast.body.job).toMatchObject({ queue: 'render.queue.preview', priority: 9 });
    // Both jobs' chunks wait in the queue before any node consumes it.
    await waitFor(
      async () =>
        (
          await rows(
            harness,
            `select 1 from outbox where routing_key = 'render.queue.preview' and sent_at is null`,
          )
        ).length === 0
          ? true
          : undefined,
      10_000,
      'dispatch',
    );
    const node = new ScriptedNode(harness);
    await node.start(['render.queue.preview']);
    try {
      await events.next('render.job.completed.v1', (d) => d.job_id === slow.body.job.id, 60_000);
      const items = await rows<{ id: string; job_id: string }>(
        harness,
        `select id, job_id from render_item where job_id in ('${slow.body.job.id}', '${fast.body.job.id}')`,
      );
      const jobOf = new Map(items.map((i) => [i.id, i.job_id]));
      const order = node.log.claimed.filter((c) => c.status === 200).map((c) => jobOf.get(c.item));
      const fastChunks = fast.body.job.chunk_count as number;
      expect(order.slice(0, fastChunks)).toEqual(Array(fastChunks).fill(fast.body.job.id));
    } finally {
      await node.stop();
    }
  });

  it('batches: JSON rows and CSV make one job per row, checked row by row; jobs beyond the concurrency wait', async () => {
    const { principal, api } = await tenant({ ...ROOMY, max_concurrent_jobs: 1 });
    const bad = await api.post('/v1/renders/batch', {
      template_id: template.template_id,
      output: { format: 'mp4', quality: 'draft' },
      rows: [{ modifications: { brand: '#ff0000' } }, { modifications: { brand: 'nope' } }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('batch_invalid');
    expect(bad.body.error.details[0]).toMatchObject({ row: 1, field: 'rows[1].modifications.brand' });
    await nothingQueued(principal.tenantId);

    const ok = await api.post('/v1/renders/batch', {
      template_id: template.template_id,
      output: { format: 'mp4', quality: 'draft' },
      metadata: { campaign: 'nowruz' },
      rows: [
        { modifications: { brand: '#ff0000' } },
        { modifications: { brand: '#00ff00' }, metadata: { row: 2 } },
      ],
    });
    expect(ok.status).toBe(202);
    expect(ok.body.jobs).toHaveLength(2);
    expect(ok.body.jobs.map((j: { stage: string }) => j.stage)).toEqual(['queued', 'waiting']);
    expect(ok.body.jobs[1].metadata).toEqual({ row: 2 });
    expect(ok.body.quote.render_seconds).toBe(9);
    // The waiting job is dispatched as soon as the first one ends.
    expect(
      await rows(
        harness,
        `select 1 from render_item where job_id = '${ok.body.jobs[1].id}' and status = 'waiting'`,
      ),
    ).not.toHaveLength(0);
    await api.post(`/v1/renders/${ok.body.jobs[0].id}/cancel`);
    const promoted = (await api.get(`/v1/renders/${ok.body.jobs[1].id}`)).body;
    expect(promoted.stage).toBe('queued');
    expect(
      await rows(
        harness,
        `select 1 from render_item where job_id = '${ok.body.jobs[1].id}' and status = 'waiting'`,
      ),
    ).toHaveLength(0);
    await api.post(`/v1/renders/${ok.body.jobs[1].id}/cancel`);

    const csv = 'brand,intro.title\n#112233,"سلام، ۱"\n#445566,Hello\n';
    const res = await harness.app.inject({
      method: 'POST',
      url: `/v1/renders/batch?template_id=${template.template_id}&format=mp4&quality=draft`,
      headers: { ...(await harness.authHeaders(principal)), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(202);
    const batch = res.json();
    const list = (await api.get(`/v1/renders?batch_id=${batch.batch_id}`)).body;
    expect(list.items).toHaveLength(2);
    const badCsv = await harness.app.inject({
      method: 'POST',
      url: `/v1/renders/batch?template_id=${template.template_id}`,
      headers: { ...(await harness.authHeaders(principal)), 'content-type': 'text/csv' },
      payload: 'brand,unknown\n#fff,1\n',
    });
    expect(badCsv.statusCode).toBe(422);
    expect(badCsv.json().error.details[0]).toMatchObject({ field: 'unknown', code: 'unknown_field' });
  });

  it('retries a cancelled job as a new job and lists jobs newest first with a cursor', async () => {
    const { api } = await tenant();
    const first = (await api.post('/v1/renders', body())).body.job;
    const cancel = await api.post(`/v1/renders/${first.id}/cancel`);
    expect(cancel.body).toMatchObject({
      status: 'cancelled',
      refunded: { seconds: 4.5, cost: 4500 },
      billed_seconds: 0,
    });
    expect((await api.post(`/v1/renders/${first.id}/cancel`)).status).toBe(409);
    const retry = await api.post(`/v1/renders/${first.id}/retry`);
    expect(retry.status).toBe(202);
    expect(retry.body.job).toMatchObject({ retry_of: first.id, status: 'queued' });
    const page1 = (await api.get('/v1/renders?limit=1')).body;
    expect(page1.items[0].id).toBe(retry.body.job.id);
    const page2 = (await api.get(`/v1/renders?limit=1&cursor=${page1.next_cursor}`)).body;
    expect(page2.items[0].id).toBe(first.id);
    expect(page2.next_cursor).toBeNull();
    expect(
      (await api.get('/v1/renders?status=cancelled')).body.items.map((j: { id: string }) => j.id),
    ).toEqual([first.id]);
    await api.post(`/v1/renders/${retry.body.job.id}/cancel`);
  });

  it('snapshots from the API and from studio’s event, rendered by a node and polled by id', async () => {
    const { principal, api } = await tenant();
    const node = new ScriptedNode(harness);
    await node.start(['render.queue.snapshot']);
    try {
      const res = await api.post('/v1/snapshots', {
        template_id: template.template_id,
        time: 1,
        format: 'jpg',
        resolution: '360p',
      });
      expect(res.status).toBe(202);
      // One long poll answers once the node's result is in, without polling again.
      const ready = (await api.get(`/v1/snapshots/${res.body.id}?wait=20`)).body;
      expect(ready).toMatchObject({ status: 'ready', width: 640, height: 360, format: 'jpg' });
      expect(ready.url).toContain('/v1/blobs/');
      const readyEvent = await events.next('render.snapshot.ready.v1', (d) => d.snapshot_id === res.body.id);
      expect(readyEvent.data).toMatchObject({ output: { mime: 'image/jpeg', width: 640, height: 360 } });

      const snapshotId = randomUUID();
      await harness.bus.publish(
        sampleEnvelope('render.snapshot.requested.v1', {
          tenant_id: principal.tenantId,
          user_id: principal.userId,
          producer: 'studio',
          data: {
            snapshot_id: snapshotId,
            project_id: null,
            template: { template_id: template.template_id, version: 1 },
            aspect: '9:16',
            time_seconds: 3,
            format: 'png',
            width: 180,
            height: 320,
            requested_at: new Date().toISOString(),
          },
        }),
      );
      const fromStudio = await waitFor(async () => {
        const s = (await api.get(`/v1/snapshots/${snapshotId}`)).body;
        return s.status === 'ready' ? s : undefined;
      });
      expect(fromStudio).toMatchObject({ aspect: '9:16', width: 180, height: 320, format: 'png' });
      const usage = (await api.get('/v1/usage')).body;
      expect(usage.snapshots).toBe(2);
    } finally {
      await node.stop();
    }
  });

  it('a long poll of a snapshot no node takes answers with its state when the wait runs out', async () => {
    const { api } = await tenant();
    const res = await api.post('/v1/snapshots', {
      template_id: template.template_id,
      time: 1,
      format: 'png',
    });
    expect(res.status).toBe(202);
    const pending = await api.get(`/v1/snapshots/${res.body.id}?wait=0.5`);
    expect(pending.status).toBe(200);
    expect(pending.body.status).toBe('queued');
    const tooLong = await api.get(`/v1/snapshots/${res.body.id}?wait=600`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.field).toBe('wait');
  });

  it('checks every request’s own values, though a project checked before is not checked again', async () => {
    const { principal, api } = await tenant();
    const still = (title: string) =>
      api.post('/v1/snapshots', {
        template_id: template.template_id,
        modifications: { 'intro.title': title },
        time: 1,
        format: 'jpg',
      });
    expect((await still('سلام دنیا')).status).toBe(202);
    // Valid as a value; only the render checks know Vazirmatn has no glyphs for it.
    const unfit = await still('漢字');
    expect(unfit.status).toBe(422);
    expect(unfit.body.error.code).toBe('render_checks_failed');
    expect(unfit.body.error.field).toBe('modifications.intro.title');
    expect((await still('سلام دنیا')).status).toBe(202);
    const queued = await rows<{ n: number }>(
      harness,
      `select count(*)::int as n from snapshot where tenant_id = '${principal.tenantId}'`,
    );
    expect(queued[0]?.n).toBe(2);
  });

  it('mockup and voice-over jobs go to their queues with what a node needs', async () => {
    const { principal, api } = await tenant();
    const taken: DeliveredMessage[] = [];
    const subscriptions = await Promise.all(
      (['render.queue.mockup', 'render.queue.voiceover'] as const).map((queue) =>
        harness.bus.subscribe({ queue, prefetch: 1 }, async (m) => {
          taken.push(m);
        }),
      ),
    );
    try {
      const fileId = await uploadPng(harness, principal);
      const mockup = await api.post('/v1/mockups', {
        file_id: fileId,
        mockup: 'phone',
        format: 'png',
        width: 800,
      });
      expect(mockup.status, JSON.stringify(mockup.body)).toBe(202);
      expect(mockup.body.job).toMatchObject({ kind: 'mockup', queue: 'render.queue.mockup' });
      const voice = await api.post('/v1/voiceovers', {
        text: 'سلام، به فلت‌رندر خوش آمدید',
        language: 'fa',
        format: 'mp3',
      });
      expect(voice.status).toBe(202);
      expect(voice.body.job).toMatchObject({ kind: 'voiceover', queue: 'render.queue.voiceover' });
      const [m, v] = await waitFor(() => {
        const a = taken.find((t) => t.routingKey === 'render.queue.mockup');
        const b = taken.find((t) => t.routingKey === 'render.queue.voiceover');
        return a && b ? [a, b] : undefined;
      });
      expect(m?.envelope.data).toMatchObject({
        job_id: mockup.body.job.id,
        mockup: 'phone',
        width: 800,
        image: { file_id: fileId, width: 400, height: 300, mime: 'image/png' },
      });
      expect(v?.envelope.data).toMatchObject({
        job_id: voice.body.job.id,
        language: 'fa',
        format: 'mp3',
        voice: 'f1',
      });
      const notImage = await api.post('/v1/mockups', { file_id: randomUUID(), mockup: 'poster' });
      expect(notImage.status).toBe(422);
    } finally {
      await Promise.all(subscriptions.map((s) => s.cancel()));
    }
  });

  it('keeps tenants apart on every endpoint (404 for another tenant’s ids) and forces row-level security', async () => {
    const a = await tenant();
    const b = await tenant();
    const job = (await a.api.post('/v1/renders', body())).body.job;
    const snapshot = (await a.api.post('/v1/snapshots', { template_id: template.template_id, time: 0 })).body;
    for (const [method, url] of [
      ['GET', `/v1/renders/${job.id}`],
      ['POST', `/v1/renders/${job.id}/cancel`],
      ['POST', `/v1/renders/${job.id}/retry`],
      ['GET', `/v1/snapshots/${snapshot.id}`],
    ] as const) {
      const res = method === 'GET' ? await b.api.get(url) : await b.api.post(url);
      expect(res.status, url).toBe(404);
    }
    expect((await b.api.get('/v1/renders')).body.items).toEqual([]);
    expect((await b.api.get('/v1/usage')).body.render_seconds.reserved).toBe(0);
    expect((await a.api.get('/v1/usage')).body.render_seconds.reserved).toBe(4.5);
    // A private template of tenant A is not B's to render.
    const own = await publishTemplate(harness, tinyTemplate(2, 2.5, 'private-one'), {
      ownerTenant: a.principal.tenantId,
    });
    expect((await b.api.post('/v1/renders', body({ template_id: own.template_id }))).status).toBe(404);
    expect((await a.api.post('/v1/renders', body({ template_id: own.template_id }))).status).toBe(202);
    // Admin routes are for platform administrators only.
    for (const url of ['/v1/admin/nodes', '/v1/admin/queues', '/v1/admin/jobs'])
      expect((await a.api.get(url)).status).toBe(403);
    const admin = client(harness, harness.newPrincipal({ platformAdmin: true }));
    const queues = (await admin.get('/v1/admin/queues')).body.items;
    expect(queues.find((q: { queue: string }) => q.queue === 'render.queue.paid').waiting).toBeGreaterThan(0);
    const jobs = (await admin.get(`/v1/admin/jobs?tenant_id=${a.principal.tenantId}`)).body;
    expect(jobs.items.every((j: { tenant_id: string }) => j.tenant_id === a.principal.tenantId)).toBe(true);
    expect(jobs.counts.queued).toBeGreaterThan(0);
    // Without a token nothing is served.
    expect((await harness.app.inject({ method: 'GET', url: '/v1/renders' })).statusCode).toBe(401);
    // A viewer may look but not render.
    const viewer = client(harness, { ...a.principal, role: 'viewer', scopes: ['renders:read'] });
    expect((await viewer.post('/v1/renders', body())).status).toBe(403);
    expect(PLATFORM_TENANT_ID).not.toBe(a.principal.tenantId);
    const database = harness.database;
    if (!database) throw new Error('no database');
    await assertTenantTablesForceRls(database, ['render']);
  });

  it('publishes only valid messages as render-orchestrator', () => {
    expect(events.received.filter((m) => !m.valid)).toEqual([]);
    const ours = events.received.filter(
      (m) => m.routingKey.startsWith('render.job') || m.routingKey === 'tenant.usage.recorded.v1',
    );
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((m) => m.envelope.producer === 'render-orchestrator')).toBe(true);
  });
});
