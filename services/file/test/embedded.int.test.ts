import { type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileService } from '../src/index';
import type { RetentionScheduler } from '../src/retention.scheduler';
import { recordFileEvents, tenantBlobs, uploadFile } from './file-harness';
import { HOSTILE_SVG, png } from './fixtures';

/**
 * The one-process mode: the same service on PGlite, the in-process bus and the disk store, so its SQL
 * (row locks, SKIP LOCKED, intervals) and its streams work there too.
 */
describe('file service embedded (PGlite, in-process bus, disk)', () => {
  let harness: ServiceHarness;
  let retention: RetentionScheduler | undefined;
  let events: Awaited<ReturnType<typeof recordFileEvents>>;
  let now = new Date();

  beforeAll(async () => {
    const service = createFileService({
      env: { FILE_RETENTION_INTERVAL_SECONDS: '3600', FILE_ORPHAN_DAYS: '1', FILE_CLEANUP_GRACE_HOURS: '0' },
      clock: () => now,
      onRetention: (scheduler) => {
        retention = scheduler;
      },
    });
    harness = await startServiceHarness({ services: [service] });
    events = await recordFileEvents(harness);
  });
  afterAll(async () => {
    await events?.subscription.cancel();
    await harness?.stop();
  });

  it('uploads by multipart and by tus, lists, cleans up orphans and deletes', async () => {
    const alice = harness.newPrincipal();
    const image = await uploadFile(harness, alice, {
      name: 'a.png',
      type: 'image/png',
      content: await png(),
    });
    expect(image.statusCode).toBe(201);

    const svg = Buffer.from(HOSTILE_SVG);
    const auth = await harness.authHeaders(alice);
    const created = await harness.app.inject({
      method: 'POST',
      url: '/v1/uploads',
      headers: {
        ...auth,
        'tus-resumable': '1.0.0',
        'upload-length': String(svg.length),
        'upload-metadata': `filename ${Buffer.from('x.svg').toString('base64')}`,
      },
    });
    const location = created.headers.location as string;
    for (const [from, to] of [
      [0, 500],
      [500, svg.length],
    ] as const) {
      const res = await harness.app.inject({
        method: 'PATCH',
        url: location,
        headers: {
          ...auth,
          'tus-resumable': '1.0.0',
          'upload-offset': String(from),
          'content-type': 'application/offset+octet-stream',
        },
        payload: svg.subarray(from, to),
      });
      expect(res.statusCode).toBe(204);
    }
    const list = (await harness.app.inject({ url: '/v1/files', headers: auth })).json();
    expect(list.items.map((f: { kind: string }) => f.kind).sort()).toEqual(['image', 'svg']);

    now = new Date(now.getTime() + 2 * 24 * 3600 * 1000);
    // With no grace period the run that schedules the cleanup also executes it.
    const report = await retention?.runOnce();
    expect(report).toMatchObject({ cleanupsScheduled: 1, cleanupsExecuted: 1, filesDeleted: 2 });
    expect(await tenantBlobs(harness, alice.tenantId)).toEqual([]);
    await events.waitFor('file.cleanup.executed.v1', (d) => d.deleted_count === 2);
    expect((await harness.app.inject({ url: '/v1/files/usage', headers: auth })).json()).toMatchObject({
      used_bytes: 0,
    });
    expect(events.invalid).toEqual([]);
  });
});
