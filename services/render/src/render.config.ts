import { defineConfig, env, readConfig } from '@flatrender/platform';
import { z } from 'zod';

/** The render orchestrator's own settings (docs/services/render.md). */
export const renderConfigShape = defineConfig('render', {
  leaseSeconds: {
    env: 'RENDER_LEASE_SECONDS',
    doc: 'How long a node holds a work item without a heartbeat extending it; then the item is re-queued.',
    schema: env.int(30, 2),
    defaultDoc: '30',
  },
  nodeTimeoutSeconds: {
    env: 'RENDER_NODE_TIMEOUT_SECONDS',
    doc: 'A node silent this long is marked crashed (node.crashed.v1) and its leases are re-queued at once.',
    schema: env.int(30, 2),
    defaultDoc: '30',
  },
  reaperIntervalMs: {
    env: 'RENDER_REAPER_INTERVAL_MS',
    doc: 'How often expired leases, silent nodes, deferred dispatches and unjoined jobs are looked for.',
    schema: env.int(2000, 50),
    defaultDoc: '2000',
  },
  chunkSeconds: {
    env: 'RENDER_CHUNK_SECONDS',
    doc: 'Seconds of output per chunk aimed at when a video is split.',
    schema: env.int(3, 1),
    defaultDoc: '3',
  },
  splitAboveSeconds: {
    env: 'RENDER_SPLIT_ABOVE_SECONDS',
    doc: 'Videos longer than this are split into at least two chunks, so nodes share them.',
    schema: env.int(4, 1),
    defaultDoc: '4',
  },
  maxChunks: {
    env: 'RENDER_MAX_CHUNKS',
    doc: 'Most chunks one job is split into.',
    schema: env.int(64, 1),
    defaultDoc: '64',
  },
  maxFailedNodes: {
    env: 'RENDER_MAX_FAILED_NODES',
    doc: 'A work item failing on this many different nodes fails its job.',
    schema: env.int(3, 1),
    defaultDoc: '3',
  },
  maxAttempts: {
    env: 'RENDER_MAX_ATTEMPTS',
    doc: 'Most attempts of one work item, whatever the nodes.',
    schema: env.int(6, 1),
    defaultDoc: '6',
  },
  quarantineFailures: {
    env: 'RENDER_QUARANTINE_FAILURES',
    doc: 'A node failing this many attempts within the window is quarantined (its claims are refused).',
    schema: env.int(5, 1),
    defaultDoc: '5',
  },
  quarantineWindowSeconds: {
    env: 'RENDER_QUARANTINE_WINDOW_SECONDS',
    doc: 'Window over which node failures are counted for quarantine.',
    schema: env.int(600, 1),
    defaultDoc: '600',
  },
  progressIntervalMs: {
    env: 'RENDER_PROGRESS_INTERVAL_MS',
    doc: 'Least time between two render.job.progress.v1 events of one job.',
    schema: env.int(500, 50),
    defaultDoc: '500',
  },
  secondPrice: {
    env: 'RENDER_SECOND_PRICE_RIAL',
    doc: 'Price of one rendered second (rial minor units) for plans that do not name one.',
    schema: env.int(1000, 0),
    defaultDoc: '1000',
  },
  stillSeconds: {
    env: 'RENDER_STILL_SECONDS',
    doc: 'Seconds of allowance an image render counts as.',
    schema: env.int(1, 0),
    defaultDoc: '1',
  },
  minItemSeconds: {
    env: 'RENDER_MIN_ITEM_SECONDS',
    doc: 'Least max_render_seconds of a work item (a node busy longer treats it as hung).',
    schema: env.int(120, 1),
    defaultDoc: '120',
  },
  outputUrlSeconds: {
    env: 'RENDER_OUTPUT_URL_TTL_SECONDS',
    doc: 'Lifetime of the signed output and snapshot links in API answers.',
    schema: env.int(3600, 60),
    defaultDoc: '3600',
  },
  freeSnapshot: {
    env: 'RENDER_FREE_SNAPSHOT',
    doc: 'Every video job also gets a still (snapshot_url), rendered first.',
    schema: env.bool(true),
    defaultDoc: 'true',
  },
  workDir: {
    env: 'RENDER_WORK_DIR',
    doc: 'Scratch space for verifying chunks and joining outputs.',
    schema: z.string().min(1).optional(),
    defaultDoc: '$FLATRENDER_DATA_DIR/render-work',
  },
  fontDir: {
    env: 'RENDER_FONT_DIR',
    doc: 'Where font files of templates are kept for the pre-render checks.',
    schema: z.string().min(1).optional(),
    defaultDoc: '$FLATRENDER_DATA_DIR/render/fonts',
  },
  previewClips: {
    env: 'RENDER_PREVIEW_CLIPS',
    doc: 'Render the gallery preview clip content asks for (per published template version and aspect) on render.queue.preview.',
    schema: env.bool(true),
    defaultDoc: 'true',
  },
  previewSweepSeconds: {
    env: 'RENDER_PREVIEW_SWEEP_SECONDS',
    doc: 'How often content is asked for preview clips still wanted (besides on every publication), so a missed event or a crash loses none.',
    schema: env.int(300, 1),
    defaultDoc: '300',
  },
  maxBatchRows: {
    env: 'RENDER_MAX_BATCH_ROWS',
    doc: 'Most jobs one batch request may create.',
    schema: env.int(500, 1),
    defaultDoc: '500',
  },
});

export type RenderConfig = ReturnType<typeof readRenderConfig>;

export function readRenderConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return readConfig(renderConfigShape, source);
}
