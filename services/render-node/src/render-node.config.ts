import { RENDER_QUEUES } from '@flatrender/contracts';
import { type ConfigOf, defineConfig, env, readConfig } from '@flatrender/platform';
import { z } from 'zod';

/** The render node's own settings (docs/services/render-node.md). */
export const renderNodeConfigShape = defineConfig('render-node', {
  queues: {
    env: 'NODE_QUEUES',
    doc: 'Render queues this node consumes (comma list of render.queue.* names); `flatrender node --queues`.',
    schema: env.list(RENDER_QUEUES, RENDER_QUEUES),
    defaultDoc: 'all render queues',
  },
  slots: {
    env: 'NODE_SLOTS',
    doc: 'Work items rendered at once (each consumer takes one message per slot); `flatrender node --slots`.',
    schema: env.int(1, 1),
    defaultDoc: '1',
  },
  heartbeatSeconds: {
    env: 'NODE_HEARTBEAT_SECONDS',
    doc: 'Seconds between node.heartbeat.v1 messages; each one extends the leases the node holds.',
    schema: z.coerce.number({ message: 'must be a number' }).positive('must be positive').default(5),
    defaultDoc: '5',
  },
  cacheDir: {
    env: 'NODE_CACHE_DIR',
    doc: 'Content-addressed cache of templates, fonts and assets.',
    schema: z.string().min(1).optional(),
    defaultDoc: '$FLATRENDER_DATA_DIR/node-cache',
  },
  cacheMaxBytes: {
    env: 'NODE_CACHE_MAX_BYTES',
    doc: 'Size cap of the cache; least recently used objects are evicted beyond it.',
    schema: env.int(2 * 1024 ** 3, 1),
    defaultDoc: '2147483648 (2 GiB)',
  },
  drainSeconds: {
    env: 'NODE_DRAIN_SECONDS',
    doc: 'On shutdown, how long in-flight work may finish before it is abandoned (failed as node_lost); keep it below SHUTDOWN_TIMEOUT_MS.',
    schema: z.coerce.number({ message: 'must be a number' }).min(0, 'must be 0 or more').default(10),
    defaultDoc: '10',
  },
  workDir: {
    env: 'NODE_WORK_DIR',
    doc: 'Scratch space for chunk files before upload (emptied at start).',
    schema: z.string().min(1).optional(),
    defaultDoc: '$FLATRENDER_DATA_DIR/node-work',
  },
  metricsPort: {
    env: 'NODE_METRICS_PORT',
    doc: '`flatrender node` serves /healthz, /readyz and /metrics on this port; unset: the node serves no HTTP.',
    schema: z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .optional(),
    defaultDoc: 'unset',
  },
  drawWorkers: {
    env: 'NODE_DRAW_WORKERS',
    doc: 'Draw threads per chunk; 0 = one per spare core divided among the slots.',
    schema: env.int(0, 0),
    defaultDoc: '0',
  },
});

export type RenderNodeConfig = ConfigOf<typeof renderNodeConfigShape>;

export function readRenderNodeConfig(
  source: Readonly<Record<string, string | undefined>> = process.env,
): RenderNodeConfig {
  return readConfig(renderNodeConfigShape, source);
}
