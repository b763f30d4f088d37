import { createHash, randomUUID } from 'node:crypto';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import type { Principal } from '@flatrender/platform';
import { describeWithServices } from '@flatrender/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileHarness, startFileHarness, tenantBlobs, uploadFile } from './file-harness';
import { png } from './fixtures';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'file service: render outputs, retention and cleanup',
  () => {
    let h: FileHarness;
    beforeAll(async () => {
      h = await startFileHarness({
        FILE_DEFAULT_RETENTION_DAYS: '7',
        FILE_ORPHAN_DAYS: '3',
        FILE_CLEANUP_GRACE_HOURS: '24',
      });
    });
    afterAll(() => h?.stop());

    const internal = <T>(request: Parameters<typeof h.harness.infra.internal.request>[1]) =>
      h.harness.infra.internal.request<T>('file', request);

    /** Stores bytes where render would have put an output, as render does before registering it. */
    async function renderOutput(tenantId: string, size = 3000) {
      const fileId = randomUUID();
      const bytes = Buffer.alloc(size, 9);
      const key = `tenants/${tenantId}/renders/${fileId}/output.mp4`;
      await h.harness.blobs.put(key, bytes, { contentType: 'video/mp4' });
      return {
        file_id: fileId,
        blob_key: key,
        mime: 'video/mp4',
        size_bytes: size,
        content_hash: createHash('sha256').update(bytes).digest('hex'),
      };
    }

    describe('render outputs', () => {
      it('are registered through POST /internal/files (idempotently) and looked up through GET /internal/files/:id', async () => {
        const alice = h.harness.newPrincipal();
        const output = await renderOutput(alice.tenantId);
        const body = {
          tenant_id: alice.tenantId,
          kind: 'render_output',
          ...output,
          width: 64,
          height: 48,
          duration_seconds: 1,
        };
        const created = await internal<{ id: string; purpose: string; blob_key: string }>({
          method: 'POST',
          path: '/internal/files',
          body,
        });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({
          id: output.file_id,
          purpose: 'render_output',
          kind: 'video',
          blob_key: output.blob_key,
        });
        expect((await internal({ method: 'POST', path: '/internal/files', body })).status).toBe(200);
        const clash = await internal<{ error: { code: string } }>({
          method: 'POST',
          path: '/internal/files',
          body: { ...body, content_hash: 'a'.repeat(64) },
        });
        expect(clash.status).toBe(409);

        const lookup = await internal({ method: 'GET', path: `/internal/files/${output.file_id}` });
        expect(lookup.body).toMatchObject({
          tenant_id: alice.tenantId,
          content_hash: output.content_hash,
          blob_key: output.blob_key,
        });
        // Acting for another tenant's user, the file does not exist.
        const foreign = await internal({
          method: 'GET',
          path: `/internal/files/${output.file_id}`,
          principal: h.harness.newPrincipal(),
        });
        expect(foreign.status).toBe(404);
        const usage = await h.harness.app.inject({
          url: '/v1/files/usage',
          headers: await h.harness.authHeaders(alice),
        });
        expect(usage.json()).toMatchObject({ used_bytes: 3000, file_count: 1 });
      });

      it('refuse unsigned callers, missing blobs and wrong sizes', async () => {
        const alice = h.harness.newPrincipal();
        const unsigned = await h.harness.app.inject({ method: 'POST', url: '/internal/files', payload: {} });
        expect(unsigned.statusCode).toBe(401);
        const withUserToken = await h.harness.app.inject({
          url: `/internal/files/${randomUUID()}`,
          headers: await h.harness.authHeaders(alice),
        });
        expect(withUserToken.statusCode).toBe(401);
        const output = await renderOutput(alice.tenantId);
        const missing = await internal<{ error: { code: string; field: string } }>({
          method: 'POST',
          path: '/internal/files',
          body: { tenant_id: alice.tenantId, ...output, blob_key: `tenants/${alice.tenantId}/nothing.mp4` },
        });
        expect(missing.status).toBe(422);
        expect(missing.body.error).toMatchObject({ code: 'blob_missing', field: 'blob_key' });
        const wrongSize = await internal<{ error: { code: string } }>({
          method: 'POST',
          path: '/internal/files',
          body: { tenant_id: alice.tenantId, ...output, size_bytes: 1 },
        });
        expect(wrongSize.body.error.code).toBe('size_mismatch');
        const mismatch = await internal({
          method: 'POST',
          path: '/internal/files',
          principal: h.harness.newPrincipal(),
          body: { tenant_id: alice.tenantId, ...output },
        });
        expect(mismatch.status).toBe(403);
      });

      it('are adopted from render.job.completed.v1 and render.snapshot.ready.v1', async () => {
        const bob = h.harness.newPrincipal();
        const job = sampleEnvelope('render.job.completed.v1');
        const output = await renderOutput(bob.tenantId, 2000);
        await h.harness.bus.publish({
          ...job,
          tenant_id: bob.tenantId,
          user_id: bob.userId,
          data: { ...job.data, output: { ...job.data.output, ...output } },
        });
        const snap = sampleEnvelope('render.snapshot.ready.v1');
        const still = await renderOutput(bob.tenantId, 500);
        await h.harness.bus.publish({
          ...snap,
          tenant_id: bob.tenantId,
          data: { ...snap.data, output: { ...snap.data.output, ...still, mime: 'image/png', format: 'png' } },
        });
        let items: { id: string; kind: string }[] = [];
        for (let i = 0; i < 100 && items.length < 2; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          items = (
            await h.harness.app.inject({
              url: '/v1/files?purpose=render_output',
              headers: await h.harness.authHeaders(bob),
            })
          ).json().items;
        }
        expect(items.map((f) => [f.id, f.kind]).sort()).toEqual(
          [
            [output.file_id, 'video'],
            [still.file_id, 'image'],
          ].sort(),
        );
      });
    });

    describe('retention', () => {
      it('schedules outputs past retention and never-referenced uploads, warns, then deletes after the grace period', async () => {
        const carol = h.harness.newPrincipal();
        const output = await renderOutput(carol.tenantId);
        await internal({
          method: 'POST',
          path: '/internal/files',
          body: { tenant_id: carol.tenantId, ...output },
        });
        const orphan = (
          await uploadFile(h.harness, carol, { name: 'left.png', type: 'image/png', content: await png() })
        ).json();
        const used = (
          await uploadFile(h.harness, carol, { name: 'used.png', type: 'image/png', content: await png() })
        ).json();
        const avatar = (
          await uploadFile(
            h.harness,
            carol,
            { name: 'me.png', type: 'image/png', content: await png() },
            '?purpose=avatar',
          )
        ).json();

        // A saved project lists `used`: it is referenced from now on.
        const saved = sampleEnvelope('studio.project.saved.v1');
        await h.harness.bus.publish({
          ...saved,
          tenant_id: carol.tenantId,
          data: { ...saved.data, file_ids: [used.id] },
        });
        for (let i = 0; i < 100; i++) {
          const view = await h.harness.app.inject({
            url: `/v1/files/${used.id}`,
            headers: await h.harness.authHeaders(carol),
          });
          if (view.json().referenced) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }

        // Nothing is due within the orphan period.
        h.clock.advance(2 * DAY);
        await h.retention.runOnce();
        expect(h.events.of('file.cleanup.scheduled.v1', carol.tenantId)).toHaveLength(0);

        // Past 3 days the orphan is due, past 7 days the render output too; the referenced upload and the avatar never.
        h.clock.advance(6 * DAY);
        const report = await h.retention.runOnce();
        expect(report.cleanupsScheduled).toBeGreaterThanOrEqual(1);
        const scheduled = await h.events.waitFor(
          'file.cleanup.scheduled.v1',
          (_d, m) => m.envelope.tenant_id === carol.tenantId,
        );
        const data = scheduled.envelope.data as {
          cleanup_id: string;
          file_ids: string[];
          scheduled_for: string;
          reason_code: string;
        };
        expect(data.reason_code).toBe('retention_expired');
        expect([...data.file_ids].sort()).toEqual([output.file_id, orphan.id].sort());
        expect(new Date(data.scheduled_for).getTime()).toBe(h.clock.now.getTime() + 24 * HOUR);
        const listed = await h.harness.app.inject({
          url: `/v1/files/${orphan.id}`,
          headers: await h.harness.authHeaders(carol),
        });
        expect(listed.json().scheduled_for_deletion).toBe(true);

        // Within the grace period nothing goes; a second run schedules nothing twice.
        h.clock.advance(12 * HOUR);
        await h.retention.runOnce();
        expect(h.events.of('file.cleanup.scheduled.v1', carol.tenantId)).toHaveLength(1);
        expect(h.events.of('file.deleted.v1', carol.tenantId)).toHaveLength(0);

        h.clock.advance(13 * HOUR);
        await h.retention.runOnce();
        const executed = await h.events.waitFor(
          'file.cleanup.executed.v1',
          (d) => d.cleanup_id === data.cleanup_id,
        );
        expect(executed.envelope.data).toMatchObject({
          reason_code: 'retention_expired',
          deleted_count: 2,
          skipped_count: 0,
          failed_count: 0,
        });
        for (const id of [output.file_id, orphan.id]) {
          const deleted = await h.events.waitFor('file.deleted.v1', (d) => d.file_id === id);
          expect(deleted.envelope.data).toMatchObject({
            reason_code: 'retention_expired',
            cleanup_id: data.cleanup_id,
          });
        }
        const left = (
          await h.harness.app.inject({ url: '/v1/files', headers: await h.harness.authHeaders(carol) })
        ).json().items;
        expect(left.map((f: { id: string }) => f.id).sort()).toEqual([used.id, avatar.id].sort());
        const blobs = await tenantBlobs(h.harness, carol.tenantId);
        expect(blobs.some((k) => k.includes(orphan.id) || k.includes(output.file_id))).toBe(false);
        expect(blobs.filter((k) => k.includes(used.id))).toHaveLength(2);
      });

      it('spares a scheduled upload that a project references before the cleanup runs', async () => {
        const dave = h.harness.newPrincipal();
        const upload = (
          await uploadFile(h.harness, dave, { name: 'late.png', type: 'image/png', content: await png() })
        ).json();
        h.clock.advance(4 * DAY);
        await h.retention.runOnce();
        const scheduled = await h.events.waitFor('file.cleanup.scheduled.v1', (d) =>
          (d.file_ids as string[]).includes(upload.id),
        );
        const saved = sampleEnvelope('studio.project.saved.v1');
        await h.harness.bus.publish({
          ...saved,
          tenant_id: dave.tenantId,
          data: { ...saved.data, file_ids: [upload.id] },
        });
        for (let i = 0; i < 100; i++) {
          const view = await h.harness.app.inject({
            url: `/v1/files/${upload.id}`,
            headers: await h.harness.authHeaders(dave),
          });
          if (view.json().referenced) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        h.clock.advance(25 * HOUR);
        await h.retention.runOnce();
        const executed = await h.events.waitFor(
          'file.cleanup.executed.v1',
          (d) => d.cleanup_id === scheduled.envelope.data.cleanup_id,
        );
        expect(executed.envelope.data).toMatchObject({ deleted_count: 0, skipped_count: 1 });
        const view = await h.harness.app.inject({
          url: `/v1/files/${upload.id}`,
          headers: await h.harness.authHeaders(dave),
        });
        expect(view.json()).toMatchObject({ referenced: true, scheduled_for_deletion: false });
      });

      it('after a plan expires into a smaller quota, schedules the oldest outputs until the rest fits', async () => {
        const erin: Principal = h.harness.newPrincipal();
        const outputs: Awaited<ReturnType<typeof renderOutput>>[] = [];
        for (let i = 0; i < 3; i++) {
          h.clock.advance(1000);
          const output = await renderOutput(erin.tenantId, 1000);
          await internal({
            method: 'POST',
            path: '/internal/files',
            body: { tenant_id: erin.tenantId, ...output },
          });
          outputs.push(output);
        }
        const expired = sampleEnvelope('identity.plan.expired.v1');
        await h.harness.bus.publish({
          ...expired,
          tenant_id: erin.tenantId,
          data: {
            ...expired.data,
            tenant_id: erin.tenantId,
            effective_at: new Date(h.clock.now.getTime()).toISOString(),
            effective_plan: {
              ...expired.data.effective_plan,
              limits: { ...expired.data.effective_plan.limits, storage_bytes: 1500, retention_days: 30 },
            },
          },
        });
        const scheduled = await h.events.waitFor(
          'file.cleanup.scheduled.v1',
          (_d, m) => m.envelope.tenant_id === erin.tenantId,
        );
        expect(scheduled.envelope.data).toMatchObject({
          reason_code: 'plan_expired',
          file_ids: [outputs[0]?.file_id, outputs[1]?.file_id],
          total_bytes: 2000,
        });
        h.clock.advance(25 * HOUR);
        await h.retention.runOnce();
        const executed = await h.events.waitFor(
          'file.cleanup.executed.v1',
          (d) => d.cleanup_id === scheduled.envelope.data.cleanup_id,
        );
        expect(executed.envelope.data).toMatchObject({
          reason_code: 'plan_expired',
          deleted_count: 2,
          freed_bytes: 2000,
        });
        const deleted = await h.events.waitFor('file.deleted.v1', (d) => d.file_id === outputs[0]?.file_id);
        expect(deleted.envelope.data).toMatchObject({ reason_code: 'quota_enforced' });
        const usage = await h.harness.app.inject({
          url: '/v1/files/usage',
          headers: await h.harness.authHeaders(erin),
        });
        expect(usage.json()).toMatchObject({ used_bytes: 1000, quota_bytes: 1500, retention_days: 30 });
      });
    });

    it('published only valid envelopes', () => {
      expect(h.events.messages.length).toBeGreaterThan(5);
      expect(h.events.invalid).toEqual([]);
    });
  },
);

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'file service: the retention scheduler runs from start()',
  () => {
    let h: FileHarness;
    beforeAll(async () => {
      h = await startFileHarness({ FILE_RETENTION_INTERVAL_SECONDS: '1', FILE_ORPHAN_DAYS: '1' });
    });
    afterAll(() => h?.stop());

    it('schedules a cleanup on its own once the clock passes the orphan period', async () => {
      const frank = h.harness.newPrincipal();
      const file = (
        await uploadFile(h.harness, frank, { name: 'x.png', type: 'image/png', content: await png() })
      ).json();
      h.clock.advance(2 * DAY);
      const scheduled = await h.events.waitFor(
        'file.cleanup.scheduled.v1',
        (d) => (d.file_ids as string[]).includes(file.id),
        15_000,
      );
      expect(scheduled.envelope.tenant_id).toBe(frank.tenantId);
    });
  },
);
