import { randomUUID } from 'node:crypto';
import { type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentService } from '../src/index';
import { multipartBody, waitUntil } from './content-harness';
import { fontFixtures } from './font-fixtures';
import { sampleTemplate } from './template-fixtures';

// The one-process mode: PGlite (one connection, so no transaction may wait on another), the
// in-process bus and disk blobs. Same service code as on PostgreSQL, RabbitMQ and S3.
describe('content in the embedded mode (PGlite, in-process bus, disk)', () => {
  let harness: ServiceHarness;
  const editor = { tenantId: randomUUID(), userId: randomUUID(), role: 'editor' as const };
  const admin = { platformAdmin: true, role: 'owner' as const };

  beforeAll(async () => {
    harness = await startServiceHarness({
      services: [createContentService({ env: { CONTENT_PREVIEW_POLL_MS: '100' } })],
      database: 'pglite',
      bus: 'in-process',
      blobs: 'disk',
    });
  });
  afterAll(() => harness?.stop());

  const call = async (
    who: object,
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    harness.app.inject({
      method,
      url,
      headers: { ...(await harness.authHeaders(who)), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('installs fonts, publishes a template and draws its previews while serving requests', async () => {
    for (const [weight, bytes] of [
      [400, fontFixtures.vazirmatnRegularTtf()],
      [800, fontFixtures.vazirmatnExtraBoldTtf()],
    ] as const) {
      const body = multipartBody({ name: `Vazirmatn-${weight}.ttf`, bytes });
      const res = await call(admin, 'POST', '/v1/admin/fonts', body.payload, body.headers);
      expect(res.statusCode, res.body).toBe(201);
    }
    const created = await call(editor, 'POST', '/v1/templates', {
      document: sampleTemplate('embedded-card'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const published = await call(editor, 'POST', `/v1/templates/${id}/publish`);
    expect(published.statusCode, published.body).toBe(201);
    // Requests keep being answered while the worker draws on the same single connection.
    const ready = await waitUntil(
      async () => {
        const detail = (await call(editor, 'GET', `/v1/templates/${id}`)).json();
        return detail.current.previews.every((p: { status: string }) => p.status === 'ready')
          ? detail
          : undefined;
      },
      60_000,
      'previews',
    );
    expect(ready.current.previews.map((p: { aspect: string }) => p.aspect)).toEqual(['16:9', '9:16']);
    const list = (await call(editor, 'GET', '/v1/templates?q=yalda')).json();
    expect(list.items.map((t: { id: string }) => t.id)).toEqual([id]);
  });
});
