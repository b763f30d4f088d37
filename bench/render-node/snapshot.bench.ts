/**
 * Render-node snapshot benchmark (`npx tsx bench/render-node/snapshot.bench.ts [--count 200]`): the
 * node's side of a warm snapshot, without the bus or the API: a 1080p JPEG still of a demo template
 * from a work item (template from the cache, fonts held, values mapped, drawn on the main thread,
 * encoded, stored in a disk blob store, hashed). The API-level figure (through the gateway, the
 * orchestrator and RabbitMQ) is the render farm benchmark's.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { MessageData } from '@flatrender/contracts';
import { bundledFontFiles, demoTemplates } from '@flatrender/engine/node';
import { createLogger, DiskBlobStore } from '@flatrender/platform';
import { ContentCache } from '../../services/render-node/src/cache/content-cache';
import { TemplateStore } from '../../services/render-node/src/cache/template.store';
import { renderSnapshotItem } from '../../services/render-node/src/work/project-work';

const { values: args } = parseArgs({ options: { count: { type: 'string', default: '200' } } });
const count = Number(args.count);
const dir = mkdtempSync(join(tmpdir(), 'bench-node-snapshot-'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

try {
  const blobs = new DiskBlobStore({
    root: join(dir, 'blobs'),
    publicUrl: 'http://127.0.0.1',
    secret: 'x'.repeat(32),
  });
  const cache = await ContentCache.open({ dir: join(dir, 'cache'), capacityBytes: 1e9, source: blobs });
  const deps = {
    blobs,
    cache,
    templates: new TemplateStore(cache),
    drawWorkers: 1,
    logger: createLogger({ level: 'silent' }),
  };
  const demo = demoTemplates().find((t) => t.id === 'quote-of-the-day')!;
  const doc = Buffer.from(JSON.stringify(demo.document));
  await blobs.put(`templates/${sha(doc)}`, doc, { contentType: 'application/json' });
  const fonts: MessageData<'render.queue.snapshot'>['fonts'] = [];
  for (const weight of [400, 700]) {
    const file = await readFile(bundledFontFiles().find((f) => f.weight === weight)!.path);
    await blobs.put(`fonts/${sha(file)}`, file, { contentType: 'font/ttf' });
    fonts.push({
      family: 'Vazirmatn',
      weight,
      style: 'normal' as const,
      content_hash: sha(file),
      blob_key: `fonts/${sha(file)}`,
    });
  }
  const item = (time: number): MessageData<'render.queue.snapshot'> => ({
    snapshot_id: randomUUID(),
    attempt: 1,
    engine: 1,
    template: {
      template_id: randomUUID(),
      version: 1,
      content_hash: sha(doc),
      source: { type: 'blob', blob_key: `templates/${sha(doc)}` },
    },
    values: { 'words.quote': 'هر کجا هستی، باش؛ آسمان مال من است.' },
    scenes: demo.template.scenes.map((s) => ({
      id: s.id,
      block: 'block' in s ? s.block : 'layers',
      duration_seconds: s.duration.default,
    })),
    aspect: '9:16',
    fonts,
    assets: [],
    output_key: `snapshots/${randomUUID()}.jpg`,
    watermark: false,
    locale: 'fa',
    time_seconds: time,
    format: 'jpg',
    width: 1080,
    height: 1920,
  });

  let t = performance.now();
  await renderSnapshotItem(deps, item(4));
  const cold = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    t = performance.now();
    await renderSnapshotItem(deps, item((i * 0.05) % 10));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  console.log(`node-side warm snapshot, 1080x1920 JPEG, ${count} stills`);
  console.log(`  first (template fetch + parse + prepare): ${cold.toFixed(0)} ms`);
  console.log(
    `  p50 ${pct(50).toFixed(1)} ms   p95 ${pct(95).toFixed(1)} ms   max ${pct(100).toFixed(1)} ms`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
