import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type DispatchKey,
  type Envelope,
  type MessageData,
  PLATFORM_TENANT_ID,
  type RenderQueue,
} from '@flatrender/contracts';
import { bundledFontFiles, demoTemplates } from '@flatrender/engine/node';
import { type BlobStore, createEnvelope } from '@flatrender/platform';
import type { ServiceHarness } from '@flatrender/platform/testing';

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

type FontRef = MessageData<'render.queue.paid'>['fonts'][number];
type TemplateRef = MessageData<'render.queue.paid'>['template'];
type Chunk = MessageData<'render.queue.paid'>;

/** Stores bytes under a content-addressed key, as the content and file services do. */
export async function storeObject(blobs: BlobStore, prefix: string, data: Buffer, contentType: string) {
  const contentHash = sha256(data);
  const blobKey = `${prefix}/${contentHash}`;
  await blobs.put(blobKey, data, { contentType });
  return { contentHash, blobKey };
}

/** A bundled Vazirmatn weight stored in the blob store, optionally under another family name. */
export async function storeFont(blobs: BlobStore, weight: number, family = 'Vazirmatn'): Promise<FontRef> {
  const file = bundledFontFiles().find((f) => f.weight === weight);
  if (!file) throw new Error(`no bundled weight ${weight}`);
  const { contentHash, blobKey } = await storeObject(blobs, 'fonts', await readFile(file.path), 'font/ttf');
  return { family, weight, style: 'normal', content_hash: contentHash, blob_key: blobKey };
}

/** The quote-of-the-day demo template, stored as a document; `fonts` may rename its faces. */
export async function storeTemplate(
  blobs: BlobStore,
  fonts?: { display: string; body: string },
): Promise<{ ref: TemplateRef; scenes: Chunk['scenes'] }> {
  const demo = demoTemplates().find((t) => t.id === 'quote-of-the-day');
  if (!demo) throw new Error('demo template missing');
  const document = { ...(demo.document as Record<string, unknown>), ...(fonts ? { fonts } : {}) };
  const { contentHash, blobKey } = await storeObject(
    blobs,
    'templates',
    Buffer.from(JSON.stringify(document)),
    'application/json',
  );
  return {
    ref: {
      template_id: randomUUID(),
      version: 1,
      content_hash: contentHash,
      source: { type: 'blob', blob_key: blobKey },
    },
    scenes: demo.template.scenes.map((s) => ({
      id: s.id,
      block: 'block' in s ? s.block : 'layers',
      duration_seconds: s.duration.default,
    })),
  };
}

/** A chunk of a quote-of-the-day job (309 frames at 30 fps), small unless told otherwise. */
export function chunkItem(
  template: { ref: TemplateRef; scenes: Chunk['scenes'] },
  fonts: FontRef[],
  overrides: Partial<Chunk> = {},
): Chunk {
  const jobId = randomUUID();
  const chunkId = randomUUID();
  return {
    job_id: jobId,
    attempt: 1,
    fencing_token: 1,
    lease_seconds: 30,
    chunk_id: chunkId,
    chunk_index: 1,
    chunk_count: 3,
    max_render_seconds: 300,
    engine: 1,
    template: template.ref,
    values: { 'words.quote': 'Simple things, done well.' },
    scenes: template.scenes,
    aspect: '1:1',
    fonts,
    assets: [],
    output_key: `renders/${jobId}/1/1-1.mp4`,
    watermark: false,
    locale: 'en',
    output: { format: 'mp4', width: 270, height: 270, fps: 30, quality: 'draft' },
    frame_start: 90,
    frame_end: 120,
    ...overrides,
  };
}

/** Sends a work item as the orchestrator does (its envelope, the job's tenant, a priority). */
export async function dispatch<K extends RenderQueue>(
  harness: ServiceHarness,
  queue: K,
  data: MessageData<K>,
  priority = 5,
): Promise<void> {
  const envelope = createEnvelope('render-orchestrator', queue, data, { tenantId: randomUUID() });
  await harness.bus.dispatch(queue as DispatchKey, envelope as Envelope, { priority });
}

export async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const platformTenant = PLATFORM_TENANT_ID;
