import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface SpawnedPlatform {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `flatrender <args>` as a real process on a free port with its own data dir and waits for the
 * "running" line that carries its URL.
 */
export async function spawnPlatform(
  args: string[],
  env: Record<string, string> = {},
  readyPattern = /running: (http:\/\/\S+)/,
  timeoutMs = 60_000,
): Promise<SpawnedPlatform> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-e2e-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/flatrender'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      FLATRENDER_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ready line within ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      out += d;
      const match = readyPattern.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${out}`));
    });
  });
  let stopped: Promise<number | null> | undefined;
  return {
    url,
    child,
    output: () => out,
    stop() {
      stopped ??= (async () => {
        child.kill('SIGTERM');
        const code = await exited;
        await rm(dataDir, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
}
