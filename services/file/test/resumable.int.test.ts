import { createHash } from 'node:crypto';
import net from 'node:net';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import type { Principal } from '@flatrender/platform';
import { describeWithServices } from '@flatrender/platform/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FileHarness, startFileHarness, tenantBlobs } from './file-harness';
import { windowsExe } from './fixtures';

const TUS = { 'tus-resumable': '1.0.0' };

function metadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
}

await describeWithServices(['postgres', 'rabbitmq'], 'file service: resumable uploads (tus 1.0)', () => {
  let h: FileHarness;
  let image: Buffer;
  let port: number;
  beforeAll(async () => {
    h = await startFileHarness();
    image = await sharp({
      create: {
        width: 220,
        height: 220,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 50 },
      },
    })
      .png()
      .toBuffer();
    await h.harness.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.harness.app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => h?.stop());

  const auth = (p: Principal) => h.harness.authHeaders(p);

  async function create(
    principal: Principal,
    length: number,
    meta: Record<string, string> = { filename: 'photo.png', filetype: 'image/png' },
  ) {
    return h.harness.app.inject({
      method: 'POST',
      url: '/v1/uploads',
      headers: {
        ...TUS,
        ...(await auth(principal)),
        'upload-length': String(length),
        'upload-metadata': metadata(meta),
      },
    });
  }

  async function patch(principal: Principal, location: string, offset: number, body: Buffer) {
    return h.harness.app.inject({
      method: 'PATCH',
      url: location,
      headers: {
        ...TUS,
        ...(await auth(principal)),
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      },
      payload: body,
    });
  }

  async function head(principal: Principal, location: string) {
    return h.harness.app.inject({
      method: 'HEAD',
      url: location,
      headers: { ...TUS, ...(await auth(principal)) },
    });
  }

  /** Sends a PATCH over a real socket, writes only `sent` of its `body`, then drops the connection. */
  async function interruptedPatch(
    principal: Principal,
    location: string,
    offset: number,
    body: Buffer,
    sent: number,
  ) {
    const { authorization } = await auth(principal);
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `PATCH ${location} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${authorization}\r\nTus-Resumable: 1.0.0\r\n` +
        `Upload-Offset: ${offset}\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, sent));
    await new Promise((resolve) => setTimeout(resolve, 400));
    socket.destroy();
  }

  it('takes an upload interrupted mid-PATCH and resumed from the offset the server reports', async () => {
    const alice = h.harness.newPrincipal();
    const created = await create(alice, image.length);
    expect(created.statusCode).toBe(201);
    const location = created.headers.location as string;
    expect(location).toMatch(/^\/v1\/uploads\/[0-9a-f-]{36}$/);
    const uploadId = location.split('/').pop() as string;

    const firstChunk = 40_000;
    const first = await patch(alice, location, 0, image.subarray(0, firstChunk));
    expect(first.statusCode).toBe(204);
    expect(first.headers['upload-offset']).toBe(String(firstChunk));

    // The connection drops after 25 000 of the next 60 000 bytes: what arrived is kept.
    await interruptedPatch(
      alice,
      location,
      firstChunk,
      image.subarray(firstChunk, firstChunk + 60_000),
      25_000,
    );
    let offset = firstChunk;
    for (let i = 0; i < 100 && offset === firstChunk; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      offset = Number((await head(alice, location)).headers['upload-offset']);
    }
    expect(offset).toBe(firstChunk + 25_000);
    const status = await h.harness.app.inject({ url: location, headers: await auth(alice) });
    expect(status.json()).toMatchObject({
      id: uploadId,
      offset,
      length: image.length,
      status: 'receiving',
      file_id: null,
    });

    const stale = await patch(alice, location, firstChunk, image.subarray(firstChunk));
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('offset_conflict');

    const last = await patch(alice, location, offset, image.subarray(offset));
    expect(last.statusCode).toBe(204);
    expect(last.headers['upload-offset']).toBe(String(image.length));
    expect(last.headers['upload-file-id']).toBe(uploadId);

    const file = await h.harness.app.inject({ url: `/v1/files/${uploadId}`, headers: await auth(alice) });
    expect(file.json()).toMatchObject({
      id: uploadId,
      kind: 'image',
      mime: 'image/png',
      width: 220,
      original_name: 'photo.png',
    });
    const uploaded = await h.events.waitFor('file.uploaded.v1', (d) => d.file_id === uploadId);
    // The pieces were put back together exactly: the hash of what was received is the file's.
    expect(uploaded.envelope.data).toMatchObject({
      size_bytes: image.length,
      content_hash: createHash('sha256').update(image).digest('hex'),
    });
    await h.events.waitFor('file.processed.v1', (d) => d.file_id === uploadId);
    expect(await tenantBlobs(h.harness, alice.tenantId)).toEqual([
      `tenants/${alice.tenantId}/files/${uploadId}/file.png`,
      `tenants/${alice.tenantId}/files/${uploadId}/thumbnail.webp`,
    ]);
    const done = await h.harness.app.inject({ url: location, headers: await auth(alice) });
    expect(done.json()).toMatchObject({ status: 'completed', file_id: uploadId, offset: image.length });
  });

  it('takes a whole upload in the creation request (creation-with-upload)', async () => {
    const alice = h.harness.newPrincipal();
    const res = await h.harness.app.inject({
      method: 'POST',
      url: '/v1/uploads',
      headers: {
        ...TUS,
        ...(await auth(alice)),
        'upload-length': String(image.length),
        'upload-metadata': metadata({ filename: 'one-go.png', purpose: 'avatar' }),
        'content-type': 'application/offset+octet-stream',
      },
      payload: image,
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['upload-offset']).toBe(String(image.length));
    const id = (res.headers.location as string).split('/').pop();
    const file = await h.harness.app.inject({ url: `/v1/files/${id}`, headers: await auth(alice) });
    expect(file.json()).toMatchObject({ purpose: 'avatar', original_name: 'one-go.png' });
  });

  it('refuses a finished upload that is not an accepted type, keeping nothing', async () => {
    const mallory = h.harness.newPrincipal();
    const exe = windowsExe();
    const location = (await create(mallory, exe.length, { filename: 'invoice.png' })).headers
      .location as string;
    const half = await patch(mallory, location, 0, exe.subarray(0, 256));
    expect(half.statusCode).toBe(204);
    expect((await tenantBlobs(h.harness, mallory.tenantId)).length).toBe(1);
    const rest = await patch(mallory, location, 256, exe.subarray(256));
    expect(rest.statusCode).toBe(415);
    expect(rest.json().error).toMatchObject({ code: 'unsupported_type' });
    expect(rest.json().error.message).toContain('application/x-msdownload');
    expect(await tenantBlobs(h.harness, mallory.tenantId)).toEqual([]);
    expect((await head(mallory, location)).statusCode).toBe(404);
    expect(
      (await h.harness.app.inject({ url: '/v1/files', headers: await auth(mallory) })).json().items,
    ).toEqual([]);
  });

  it('refuses at creation what is too large for the plan or the remaining quota', async () => {
    const bob = h.harness.newPrincipal();
    const tooBig = await create(bob, 10 * 1024 * 1024 * 1024);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('too_large');

    const envelope = sampleEnvelope('identity.plan.activated.v1');
    await h.harness.bus.publish({
      ...envelope,
      tenant_id: bob.tenantId,
      data: {
        ...envelope.data,
        tenant_id: bob.tenantId,
        effective_at: new Date().toISOString(),
        plan: { ...envelope.data.plan, limits: { ...envelope.data.plan.limits, storage_bytes: 1000 } },
      },
    });
    let res = await create(bob, 5000);
    for (let i = 0; i < 100 && res.statusCode === 201; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      res = await create(bob, 5000);
    }
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('quota_exceeded');
    await h.events.waitFor(
      'file.quota_exceeded.v1',
      (d, m) => m.envelope.tenant_id === bob.tenantId && d.refused_bytes === 5000,
    );
  });

  it('terminates an upload on DELETE and discards abandoned ones after their expiry', async () => {
    const carol = h.harness.newPrincipal();
    const a = (await create(carol, image.length)).headers.location as string;
    await patch(carol, a, 0, image.subarray(0, 1000));
    const deleted = await h.harness.app.inject({
      method: 'DELETE',
      url: a,
      headers: { ...TUS, ...(await auth(carol)) },
    });
    expect(deleted.statusCode).toBe(204);
    expect((await head(carol, a)).statusCode).toBe(404);

    const b = (await create(carol, image.length)).headers.location as string;
    await patch(carol, b, 0, image.subarray(0, 1000));
    expect((await tenantBlobs(h.harness, carol.tenantId)).length).toBe(1);
    h.clock.advance(25 * 3600 * 1000);
    const report = await h.retention.runOnce();
    expect(report.uploadsDiscarded).toBeGreaterThanOrEqual(1);
    expect(await tenantBlobs(h.harness, carol.tenantId)).toEqual([]);
    expect((await head(carol, b)).statusCode).toBe(404);
  });

  it('keeps uploads apart by tenant and speaks the protocol errors as error bodies', async () => {
    const alice = h.harness.newPrincipal();
    const eve = h.harness.newPrincipal();
    const location = (await create(alice, image.length)).headers.location as string;
    expect((await head(eve, location)).statusCode).toBe(404);
    const foreignPatch = await patch(eve, location, 0, image.subarray(0, 100));
    expect(foreignPatch.statusCode).toBe(404);
    expect(foreignPatch.json().error.code).toBe('not_found');
    expect((await h.harness.app.inject({ url: location, headers: await auth(eve) })).statusCode).toBe(404);
    const foreignDelete = await h.harness.app.inject({
      method: 'DELETE',
      url: location,
      headers: { ...TUS, ...(await auth(eve)) },
    });
    expect(foreignDelete.statusCode).toBe(404);
    expect(Number((await head(alice, location)).headers['upload-offset'])).toBe(0);

    const noVersion = await h.harness.app.inject({
      method: 'POST',
      url: '/v1/uploads',
      headers: { ...(await auth(alice)), 'upload-length': '10' },
    });
    expect(noVersion.statusCode).toBe(412);
    expect(noVersion.json().error.code).toBe('tus_version_required');
    const badPurpose = await create(alice, 10, { purpose: 'render_output' });
    expect(badPurpose.statusCode).toBe(400);
    expect(badPurpose.json().error.message).toContain('purpose');
    const viewer = await create(h.harness.newPrincipal({ role: 'viewer' }), 10);
    expect(viewer.statusCode).toBe(403);
  });

  it('published only valid envelopes', () => {
    expect(h.events.messages.length).toBeGreaterThan(3);
    expect(h.events.invalid).toEqual([]);
  });
});
