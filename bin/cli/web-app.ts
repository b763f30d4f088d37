import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from '@flatrender/platform';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const WEB_APP_DIR = path.join(ROOT, 'apps', 'web');
/** What the web bundle is made of: a change to any of these makes the last build stale. */
const SOURCES = [
  path.join(WEB_APP_DIR, 'src'),
  path.join(WEB_APP_DIR, 'package.json'),
  path.join(WEB_APP_DIR, 'next.config.ts'),
  path.join(WEB_APP_DIR, 'tsconfig.json'),
  path.join(ROOT, 'packages', 'engine', 'src'),
  path.join(ROOT, 'packages', 'engine', 'package.json'),
];
const BUILD_ID = path.join(WEB_APP_DIR, '.next', 'BUILD_ID');
const BUILD_LOCK = path.join(WEB_APP_DIR, '.next-build.lock');

export interface WebAppOptions {
  /** WEB_PORT; 0 picks a free port. */
  port: number;
  host: string;
  /** Where the web server reaches the gateway (this process). */
  gatewayUrl: string;
  /** The gateway as users reach it (PUBLIC_URL): its absolute links are rewritten to the web proxy. */
  gatewayPublicUrl: string;
  logger: Logger;
  /** Told once the web app answers (or failed to). */
  onReady?: (url: string) => void;
}

export interface RunningWebApp {
  stop(): Promise<void>;
}

async function newestMtime(target: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** True when there is no production build, or a source changed after it was made. */
export async function webBuildIsStale(): Promise<boolean> {
  if (!existsSync(BUILD_ID)) return true;
  const built = (await stat(BUILD_ID)).mtimeMs;
  for (const source of SOURCES) if ((await newestMtime(source)) > built) return true;
  return false;
}

function nextBin(): string {
  return createRequire(path.join(WEB_APP_DIR, 'package.json')).resolve('next/dist/bin/next');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One build at a time per checkout (several `flatrender start` may run at once, e.g. tests): the
 * lock is a directory holding the builder's pid; a lock whose builder died is taken over.
 */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(BUILD_LOCK);
      await writeFile(path.join(BUILD_LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(await readFile(path.join(BUILD_LOCK, 'pid'), 'utf8').catch(() => '0'));
      if (pid && !pidAlive(pid)) await rm(BUILD_LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await work();
  } finally {
    await rm(BUILD_LOCK, { recursive: true, force: true });
  }
}

function runNext(args: string[], env: NodeJS.ProcessEnv, logger: Logger): ChildProcess {
  const child = spawn(process.execPath, [nextBin(), ...args], {
    cwd: WEB_APP_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (args[0] === 'build') {
    // A build talks a lot; its output matters only when it fails.
    let output = '';
    const keep = (data: Buffer) => {
      output = (output + data.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      if (code !== 0) logger.error({ web: 'build', code, output }, 'the web app failed to build');
    });
    return child;
  }
  const forward = (level: 'debug' | 'warn') => (data: Buffer) => {
    for (const line of data.toString().split('\n')) {
      const text = line.trim();
      if (text) logger[level]({ web: args[0] }, text);
    }
  };
  child.stdout?.on('data', forward('debug'));
  child.stderr?.on('data', forward('warn'));
  return child;
}

async function buildWebApp(logger: Logger, track: (child: ChildProcess) => void): Promise<void> {
  await withBuildLock(async () => {
    // Another process may have built it while this one waited for the lock.
    if (!(await webBuildIsStale())) return;
    const child = runNext(['build'], { NODE_ENV: 'production' }, logger);
    track(child);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0)
      throw new Error(`next build exited with ${code} (run "npm run build -w @flatrender/web")`);
  });
}

/** A free TCP port on `host` (WEB_PORT=0). */
async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** While the first build runs, WEB_PORT answers with a page that reloads itself. */
function placeholder(port: number, host: string, message: () => string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '5' });
    res.end(
      `<!doctype html><html lang="fa" dir="rtl"><meta charset="utf-8"><meta http-equiv="refresh" content="5">` +
        `<title>FlatRender</title><body style="font-family:Tahoma,sans-serif;display:grid;place-items:center;min-height:90vh">` +
        `<p>${message()}</p></body></html>`,
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the web app did not answer within ${timeoutMs} ms`);
}

/**
 * Serves the web app (Next.js production server as a child process) at WEB_PORT, building it first
 * in the background when the build is missing or stale. The gateway does not wait for it: it is
 * healthy within seconds, the web app follows when ready.
 */
export async function startWebApp(options: WebAppOptions): Promise<RunningWebApp> {
  const { logger, host } = options;
  const port = options.port === 0 ? await freePort(host) : options.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${shownHost}:${port}`;
  let child: ChildProcess | undefined;
  let holder: Server | undefined;
  let stopping = false;
  let failure: string | undefined;

  const run = async () => {
    if (await webBuildIsStale()) {
      process.stdout.write(
        `FlatRender web app: building it (first start or changed sources); it will answer at ${url}\n`,
      );
      holder = await placeholder(port, host, () =>
        failure ? `FlatRender web app failed to build: ${failure}` : 'FlatRender is preparing the web app…',
      ).catch((error: Error) => {
        throw new Error(`WEB_PORT ${port}: ${error.message}`);
      });
      await buildWebApp(logger, (build) => {
        child = build;
      });
      if (stopping) return;
      await new Promise((resolve) => holder?.close(resolve));
      holder = undefined;
    }
    if (stopping) return;
    child = runNext(
      ['start', '--port', String(port), '--hostname', host],
      {
        NODE_ENV: 'production',
        GATEWAY_URL: options.gatewayUrl,
        GATEWAY_PUBLIC_URL: options.gatewayPublicUrl,
      },
      logger,
    );
    child.once('exit', (code, signal) => {
      if (!stopping) logger.error({ code, signal }, 'the web app stopped unexpectedly');
    });
    await waitUntilAnswering(`http://127.0.0.1:${port}`, child, 60_000);
    process.stdout.write(`FlatRender web app: ${url}\n`);
    options.onReady?.(url);
  };
  run().catch((error: Error) => {
    if (stopping) return;
    failure = error.message;
    logger.error({ err: error }, 'the web app is not served');
    process.stderr.write(`flatrender: the web app is not served: ${error.message}\n`);
  });

  return {
    async stop() {
      stopping = true;
      if (holder) await new Promise((resolve) => holder?.close(resolve));
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
