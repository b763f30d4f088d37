import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PLATFORM_TENANT_ID, SYSTEM_USER_ID } from '@flatrender/contracts';
import type { TemplateInput } from '@flatrender/engine';
import type { Principal } from '@flatrender/platform';
import { describeWithServices, type ServiceHarness } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ContentStandIn,
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

/** 960×540 (and 540×960) at 12 fps, 4.5 s: a clip is its first 4 s (48 frames) at 480×270. */
function galleryTemplate(id: string): TemplateInput {
  const doc = tinyTemplate(2, 2.5, id) as TemplateInput & { aspects: Record<string, [number, number]> };
  doc.aspects = { '16:9': [960, 540], '9:16': [540, 960] };
  return doc;
}

/** The id, key and hash publishTemplate gives a document, known before it is announced. */
function stored(doc: TemplateInput): PublishedTemplate {
  const hash = createHash('sha256')
    .update(Buffer.from(JSON.stringify(doc)))
    .digest('hex');
  return {
    template_id: randomUUID(),
    version: 1,
    document_key: `content/templates/${hash}.json`,
    content_hash: hash,
  };
}

interface PreviewJob {
  id: string;
  tenant_id: string;
  user_id: string;
  status: string;
  aspect: string;
  queue: string;
  priority: number;
  width: number;
  height: number;
  fps: number;
  frame_count: number;
  quality: string;
  format: string;
  quote_seconds: number;
  quote_cost: string;
  billed_seconds: number | null;
  clip_reported_at: Date | null;
  output: { blob_key: string } | null;
}

await describeWithServices(['postgres', 'rabbitmq'], 'render: gallery preview clips', () => {
  const content = new ContentStandIn();
  let harness: ServiceHarness;
  let events: EventRecorder;
  let owner: Principal;
  let scratch: string;
  let tenantTemplate: PublishedTemplate;
  let platformTemplate: PublishedTemplate;
  const nodes: ScriptedNode[] = [];

  const previewJobs = (templateId: string) =>
    rows<PreviewJob>(
      harness,
      `select * from render_job where purpose = 'preview_clip' and template_id = '${templateId}' order by aspect, seq`,
    );

  /**
   * Makes the orchestrator sweep (a publication kicks it) and returns once that sweep has finished:
   * sweeps never overlap, so the one after it asking content again means it is done.
   */
  let throwaway = 0;
  const sweepNow = async () => {
    for (let round = 0; round < 2; round++) {
      const before = content.clipLists;
      await publishTemplate(harness, tinyTemplate(2, 2.5, `preview-kick-${throwaway++}`));
      await waitFor(() => content.clipLists > before || undefined, 15_000, 'a preview sweep');
    }
  };

  beforeAll(async () => {
    harness = await startRenderHarness({ RENDER_MAX_ATTEMPTS: '1' }, content);
    scratch = await mkdtemp(path.join(os.tmpdir(), 'render-previews-'));
    events = await recordEvents(harness, ['render.#', 'tenant.#']);
    owner = harness.newPrincipal();
    // One job at a time and ten seconds a month: a preview job must take neither from the owner.
    await setPlan(harness, owner.tenantId, { ...ROOMY, max_concurrent_jobs: 1, monthly_render_seconds: 10 });
  });

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await events?.stop();
    await harness?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('turns the clips content wants of a published template into preview jobs at the lowest priority', async () => {
    const tenantDoc = galleryTemplate('preview-tenant');
    tenantTemplate = stored(tenantDoc);
    const platformDoc = galleryTemplate('preview-platform');
    platformTemplate = stored(platformDoc);
    // Content records the wanted clips in its publish transaction, before the event goes out.
    content.want(tenantTemplate, owner.tenantId, ['16:9', '9:16']);
    content.want(platformTemplate, PLATFORM_TENANT_ID, ['16:9']);
    await publishTemplate(harness, tenantDoc, {
      ownerTenant: owner.tenantId,
      templateId: tenantTemplate.template_id,
    });
    await publishTemplate(harness, platformDoc, { templateId: platformTemplate.template_id });

    const jobs = await waitFor(
      async () => {
        const found = await previewJobs(tenantTemplate.template_id);
        return found.length === 2 ? found : undefined;
      },
      20_000,
      'preview jobs of the tenant template',
    );
    expect(jobs.map((j) => [j.aspect, j.width, j.height])).toEqual([
      ['16:9', 480, 270],
      ['9:16', 270, 480],
    ]);
    for (const job of jobs)
      expect(job).toMatchObject({
        tenant_id: owner.tenantId,
        user_id: SYSTEM_USER_ID,
        status: 'queued',
        queue: 'render.queue.preview',
        priority: 0,
        format: 'mp4',
        quality: 'draft',
        fps: 12,
        frame_count: 48,
        quote_seconds: 0,
        quote_cost: '0',
      });
    const items = await rows<{ queue: string; priority: number; frames: number }>(
      harness,
      `select queue, priority, frame_end - frame_start as frames from render_item
        where job_id in ('${jobs.map((j) => j.id).join("','")}')`,
    );
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(new Set(items.map((i) => `${i.queue}@${i.priority}`))).toEqual(
      new Set(['render.queue.preview@0']),
    );
    expect(items.reduce((n, i) => n + i.frames, 0)).toBe(96);

    const platform = await waitFor(async () => (await previewJobs(platformTemplate.template_id))[0]);
    expect(platform).toMatchObject({ tenant_id: PLATFORM_TENANT_ID, aspect: '16:9', priority: 0 });

    // Nobody asked for them: no tenant hears of them.
    const ids = new Set([...jobs, platform].map((j) => j.id));
    expect(
      events.received.filter((m) => ids.has((m.envelope.data as { job_id?: string }).job_id ?? '')),
    ).toEqual([]);
  });

  it('takes nothing from the owner: not in its render list, not against its concurrency or allowance', async () => {
    const api = client(harness, owner);
    const [preview] = await previewJobs(tenantTemplate.template_id);
    // Its one concurrent job is free although two of its preview jobs are queued.
    const own = await api.post('/v1/renders', {
      template_id: tenantTemplate.template_id,
      output: { format: 'mp4', quality: 'draft', resolution: '360p' },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(202);
    const list = await api.get('/v1/renders');
    expect(list.body.items.map((j: { id: string }) => j.id)).toEqual([own.body.job.id]);
    expect((await api.get(`/v1/renders?template_id=${tenantTemplate.template_id}`)).body.items).toHaveLength(
      1,
    );
    expect((await api.get(`/v1/renders/${preview?.id}`)).status).toBe(404);
    expect((await api.post(`/v1/renders/${preview?.id}/cancel`)).status).toBe(404);
    const usage = (await api.get('/v1/usage')).body;
    expect(usage.render_seconds).toMatchObject({ used: 0, reserved: own.body.quote.render_seconds });
    expect((await api.post(`/v1/renders/${own.body.job.id}/cancel`)).status).toBe(200);
  });

  it('makes no second job for a clip on a later sweep', async () => {
    await sweepNow();
    expect(await previewJobs(tenantTemplate.template_id)).toHaveLength(2);
    expect(await previewJobs(platformTemplate.template_id)).toHaveLength(1);
    // Two replicas sweeping at once: the second insert of a live version and aspect is refused.
    const [job] = await previewJobs(tenantTemplate.template_id);
    await expect(
      rows(
        harness,
        `insert into render_job (id, tenant_id, user_id, kind, source, status, template_id, template_version,
           aspect, format, quality, chunk_count, queue, priority, spec, period, quote_seconds, quote_cost, purpose)
         select '${randomUUID()}', tenant_id, user_id, kind, source, 'queued', template_id, template_version,
           aspect, format, quality, chunk_count, queue, priority, spec, period, 0, 0, 'preview_clip'
           from render_job where id = '${job?.id}'`,
      ),
    ).rejects.toThrow(/render_job_preview_clip_idx/);
  });

  it('reports each clip a node renders to content with its key, hash, size and figures', async () => {
    const node = new ScriptedNode(harness);
    nodes.push(node);
    await node.start(['render.queue.preview']);
    // Three real 48-frame clips; a loaded CI machine takes a while.
    await waitFor(() => (content.reports.length >= 3 ? true : undefined), 150_000, 'three clip reports');

    const jobs = await previewJobs(tenantTemplate.template_id);
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'completed', billed_seconds: 0 });
      expect(job.clip_reported_at).not.toBeNull();
      const report = content.reports.find(
        (r) => r.template_id === tenantTemplate.template_id && r.aspect === job.aspect,
      );
      const bytes = Buffer.concat(await (await harness.blobs.get(`renders/${job.id}/output.mp4`)).toArray());
      expect(report?.version).toBe(1);
      expect(report?.body).toEqual({
        blob_key: `renders/${job.id}/output.mp4`,
        content_hash: createHash('sha256').update(bytes).digest('hex'),
        size_bytes: bytes.length,
        mime: 'video/mp4',
        width: job.width,
        height: job.height,
        duration_seconds: expect.closeTo(4, 1),
      });
      // A real clip: H.264 of the first 48 frames at the clip's size, no audio.
      const file = path.join(scratch, `${job.id}.mp4`);
      await writeFile(file, bytes);
      const probe = JSON.parse(
        execFileSync('ffprobe', [
          '-v',
          'error',
          '-count_packets',
          '-show_streams',
          '-of',
          'json',
          file,
        ]).toString(),
      ) as { streams: { codec_type: string; codec_name: string; width: number; nb_read_packets: string }[] };
      expect(
        probe.streams.map((s) => [s.codec_type, s.codec_name, s.width, Number(s.nb_read_packets)]),
      ).toEqual([['video', 'h264', job.width, 48]]);
    }
    expect(content.reports.filter((r) => r.template_id === platformTemplate.template_id)).toHaveLength(1);
    expect(content.pending).toEqual([]);
    // Messages came off the preview queue at priority 0.
    const delivered = node.log.delivered.filter((d) =>
      jobs.some((j) => j.id === (d.data as { job_id?: string }).job_id),
    );
    expect(delivered.length).toBeGreaterThanOrEqual(2);
    expect(new Set(delivered.map((d) => `${d.queue}@${d.priority}`))).toEqual(
      new Set(['render.queue.preview@0']),
    );

    // Nothing was billed, recorded as usage or announced to the owner.
    const ids = new Set(jobs.map((j) => j.id));
    const about = events.received.filter(
      (m) =>
        ids.has((m.envelope.data as { job_id?: string }).job_id ?? '') ||
        ids.has((m.envelope.data as { source_id?: string }).source_id ?? ''),
    );
    expect(about).toEqual([]);
    expect(await rows(harness, `select 1 from usage_record where tenant_id = '${owner.tenantId}'`)).toEqual(
      [],
    );
    const usage = (await client(harness, owner).get('/v1/usage')).body;
    expect(usage).toMatchObject({
      render_seconds: { used: 0, reserved: 0 },
      jobs: 0,
      frames: 0,
      size_bytes: 0,
    });
    expect((await client(harness, owner).get('/v1/renders')).body.items).toHaveLength(1);
  }, 180_000);

  it('keeps a report content did not take owed, and makes it at the next sweep', async () => {
    const doc = galleryTemplate('preview-content-down');
    const template = stored(doc);
    content.refuseReports = true;
    content.want(template, owner.tenantId, ['9:16']);
    await publishTemplate(harness, doc, { ownerTenant: owner.tenantId, templateId: template.template_id });
    const done = await waitFor(
      async () => {
        const [job] = await previewJobs(template.template_id);
        return job?.status === 'completed' ? job : undefined;
      },
      60_000,
      'the clip rendered while content is down',
    );
    expect(done.clip_reported_at).toBeNull();
    expect(content.reports.some((r) => r.template_id === template.template_id)).toBe(false);

    content.refuseReports = false;
    await sweepNow();
    const report = content.reports.find((r) => r.template_id === template.template_id);
    expect(report?.body).toMatchObject({ blob_key: done.output?.blob_key, width: 270, height: 480 });
    const [after] = await previewJobs(template.template_id);
    expect(after?.clip_reported_at).not.toBeNull();
    expect(await previewJobs(template.template_id)).toHaveLength(1);
  });

  it('leaves a failed clip failed and gives a version and aspect at most three jobs', async () => {
    for (const node of nodes) node.setBehaviour('fail');
    const doc = galleryTemplate('preview-failing');
    const template = stored(doc);
    content.want(template, PLATFORM_TENANT_ID, ['16:9']);
    await publishTemplate(harness, doc, { templateId: template.template_id });
    // Other sweeps (the publish event's, the timer's) may make the next job before this loop looks:
    // each round waits for at least `attempt` jobs, all failed.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await waitFor(
        async () => {
          const found = await previewJobs(template.template_id);
          return found.length >= attempt && found.every((j) => j.status === 'failed') ? true : undefined;
        },
        30_000,
        `preview job ${attempt} failed`,
      );
      await sweepNow();
    }
    await sweepNow();
    const jobs = await previewJobs(template.template_id);
    expect(jobs.map((j) => j.status)).toEqual(['failed', 'failed', 'failed']);
    expect(content.pending.map((c) => c.template_id)).toContain(template.template_id);
    expect(events.received.filter((m) => m.routingKey === 'render.job.failed.v1')).toEqual([]);
  }, 180_000);
});
