import { parseArgs } from 'node:util';
import { createRenderNodeService, readRenderNodeConfig } from '@flatrender/render-node';
import { startPlatformProcess } from './platform-process';

const USAGE =
  'usage: flatrender node [--queues render.queue.snapshot,render.queue.paid,...] [--slots N]\n' +
  '  --queues  render queues to consume (default NODE_QUEUES, else all)\n' +
  '  --slots   work items rendered at once (default NODE_SLOTS, else 1)\n';

/**
 * `flatrender node`: a render node. It joins the platform through RabbitMQ and the blob store, so it
 * runs on any machine that reaches them; start as many as there are machines (or cores) to spare.
 * `--queues` and `--slots` override NODE_QUEUES and NODE_SLOTS (a snapshot-only fast node, say).
 */
export async function runNode(argv: string[]): Promise<number> {
  let values: { queues?: string; slots?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        queues: { type: 'string' },
        slots: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const env = {
    ...process.env,
    ...(values.queues !== undefined ? { NODE_QUEUES: values.queues } : {}),
    ...(values.slots !== undefined ? { NODE_SLOTS: values.slots } : {}),
  };
  // With NODE_METRICS_PORT the node serves health and Prometheus metrics (containers, scrapers).
  const { metricsPort } = readRenderNodeConfig(env);
  const platform = await startPlatformProcess({
    services: ['render-node'],
    definitions: [createRenderNodeService({ env })],
    mode: 'distributed',
    http: metricsPort !== undefined,
    env: metricsPort !== undefined ? { ...env, PORT: String(metricsPort) } : env,
  });
  platform.infra.lifecycle.handleSignals();
  return new Promise<number>(() => {});
}
