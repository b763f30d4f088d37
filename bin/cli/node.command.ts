import { parseArgs } from 'node:util';
import { startPlatformProcess } from './platform-process';

/**
 * `flatrender node`: a render node. It joins the platform through RabbitMQ and the blob store, so it
 * runs on any machine that reaches them; start as many as there are machines (or cores) to spare.
 */
export async function runNode(argv: string[]): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true });
  const platform = await startPlatformProcess({
    services: ['render-node'],
    mode: 'distributed',
    http: false,
  });
  platform.infra.lifecycle.handleSignals();
  return new Promise<number>(() => {});
}
