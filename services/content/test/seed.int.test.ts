import { randomUUID } from 'node:crypto';
import { demoTemplates } from '@flatrender/engine/node';
import { describeWithServices } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ContentHarness, startContentHarness, waitUntil } from './content-harness';

await describeWithServices(['postgres', 'rabbitmq'], 'content seed', () => {
  let h: ContentHarness;
  const viewer = { tenantId: randomUUID(), role: 'viewer' as const, scopes: ['templates:read' as const] };
  const seed = () => h.harness.started[0]!.parts.seed!();

  beforeAll(async () => {
    h = await startContentHarness();
  });
  afterAll(() => h?.stop());

  it('installs every Vazirmatn weight and publishes every demo template, and a second run changes nothing', async () => {
    await seed();
    const demos = demoTemplates()
      .map((d) => d.id)
      .sort();
    const fonts = (await h.request(viewer, { url: '/v1/fonts?visibility=platform' })).json().items;
    expect(fonts.map((f: { family: string; weight: number }) => `${f.family}:${f.weight}`)).toEqual(
      [100, 200, 300, 400, 500, 600, 700, 800, 900].map((w) => `Vazirmatn:${w}`),
    );
    expect(fonts.every((f: { coverage: { persian: boolean } }) => f.coverage.persian)).toBe(true);
    const catalogue = (await h.request(viewer, { url: '/v1/templates?visibility=public&limit=100' })).json();
    expect(catalogue.items.map((t: { slug: string }) => t.slug).sort()).toEqual(demos);
    expect(
      catalogue.items.every(
        (t: { version: number; visibility: string }) => t.version === 1 && t.visibility === 'public',
      ),
    ).toBe(true);
    await waitUntil(
      () => h.events.of('content.template.published.v1').length >= demos.length || undefined,
      15_000,
      'published events',
    );
    await waitUntil(
      () => h.events.of('content.font.installed.v1').length >= 9 || undefined,
      15_000,
      'font events',
    );

    await seed();
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.events.of('content.template.published.v1')).toHaveLength(demos.length);
    expect(h.events.of('content.font.installed.v1')).toHaveLength(9);
    const again = (await h.request(viewer, { url: '/v1/templates?visibility=public&limit=100' })).json();
    expect(again.items.map((t: { version: number }) => t.version)).toEqual(catalogue.items.map(() => 1));

    // Every demo template draws its gallery previews at every aspect it declares.
    const ready = await waitUntil(
      async () => {
        const items = (await h.request(viewer, { url: '/v1/templates?visibility=public&limit=100' })).json()
          .items;
        const previews = items.flatMap((t: { previews: { status: string }[] }) => t.previews);
        if (previews.some((p: { status: string }) => p.status === 'failed'))
          throw new Error(JSON.stringify(items));
        return previews.every((p: { status: string }) => p.status === 'ready') ? items : undefined;
      },
      240_000,
      'demo previews',
    );
    for (const t of ready) {
      const declared = demoTemplates().find((d) => d.id === t.slug)!.template.aspects;
      expect(t.previews.map((p: { aspect: string }) => p.aspect).sort()).toEqual(
        Object.keys(declared).sort(),
      );
    }
  }, 300_000);
});
