import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceHarness } from '@flatrender/platform/testing';
import { rows, waitFor } from './render-test-kit';

const CLI = fileURLToPath(new URL('../../../bin/flatrender', import.meta.url));

export interface NodeProcess {
  id: string;
  process: ChildProcess;
  /** Everything the process wrote to stderr (for failure messages). */
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts a real render node (`flatrender node`) joined to the harness: the harness's vhost, bucket
 * and secret, and the harness's HTTP server as the orchestrator. Resolves once the node is online.
 */
export async function spawnNode(
  harness: ServiceHarness,
  orchestratorUrl: string,
  options: { queues?: string[]; env?: Record<string, string>; cpu?: number } = {},
): Promise<NodeProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'render-node-'));
  const queues = (options.queues ?? ['render.queue.paid', 'render.queue.snapshot']).join(',');
  const args = [CLI, 'node', '--queues', queues];
  const command = options.cpu === undefined ? process.execPath : 'taskset';
  const argv = options.cpu === undefined ? args : ['-c', String(options.cpu), process.execPath, ...args];
  const child = spawn(command, argv, {
    env: {
      ...process.env,
      ...harness.processEnv,
      RENDER_URL: orchestratorUrl,
      FLATRENDER_DATA_DIR: dataDir,
      NODE_HEARTBEAT_SECONDS: '1',
      NODE_DRAW_WORKERS: '1',
      LOG_LEVEL: process.env.NODE_LOG_LEVEL ?? 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const keep = (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  };
  child.stderr?.on('data', keep);
  child.stdout?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const id = await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`render node exited (${child.exitCode}): ${stderr}`);
      return (await readFile(path.join(dataDir, 'node-id'), 'utf8').catch(() => '')).trim() || undefined;
    },
    60_000,
    'node id',
  );
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`render node exited (${child.exitCode}): ${stderr}`);
      const found = await rows(
        harness,
        `select 1 from render_node where id = '${id}' and status = 'online' and queues <> '[]'::jsonb`,
      );
      return found.length > 0 || undefined;
    },
    60_000,
    'node online',
  );
  return {
    id,
    process: child,
    output: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
