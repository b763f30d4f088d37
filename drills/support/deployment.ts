import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SERVICE_PORTS } from '@flatrender/platform';
import { startTestS3, type TestS3 } from '@flatrender/platform/testing';
import { initDb } from '../../deploy/init-db.command';
import type { DrillServers } from './drill-servers';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FLATRENDER = path.join(ROOT, 'bin', 'flatrender');
const run = promisify(execFile);

export type ServedService = keyof typeof SERVICE_PORTS | 'gateway';

/** One FlatRender process of the drill deployment (`flatrender serve <svc>` or `flatrender node`). */
export interface DrillProcess {
  name: string;
  child: ChildProcess;
  /** http://127.0.0.1:<port> for served services. */
  url?: string;
  alive(): boolean;
  /** The last 256 KiB of its output. */
  output(): string;
  /** SIGKILL, as a crash: no drain, no goodbye. */
  kill9(): void;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * A distributed FlatRender on the drill servers: one database prepared by deploy/init-db, a vhost, an
 * S3 server (s3rver), Redis, and a process per service as an operator would run them.
 */
export interface DrillDeployment {
  env: Record<string, string>;
  databaseUrl: string;
  /** The deployment's vhost on the drill RabbitMQ node. */
  amqpUrl: string;
  s3: TestS3;
  processes: DrillProcess[];
  serve(service: ServedService, extraEnv?: Record<string, string>): Promise<DrillProcess>;
  /** Any Node program with the deployment's environment, ready when its output matches `ready`. */
  spawn(
    name: string,
    nodeArgs: string[],
    extraEnv: Record<string, string>,
    ready: RegExp,
  ): Promise<DrillProcess>;
  node(name: string, extraEnv?: Record<string, string>): Promise<DrillProcess>;
  seed(): Promise<void>;
  gatewayUrl(): string;
  teardown(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const LISTENING = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/;
const NODE_STARTED = /"service":"render-node"[^\n]*"msg":"service started"/;

export async function createDeployment(
  servers: DrillServers,
  options: { name: string; env?: Record<string, string>; log: (line: string) => void },
): Promise<DrillDeployment> {
  const id = `${options.name}_${randomBytes(3).toString('hex')}`;
  const database = `flatrender_${id}`;
  const owner = 'flatrender_drill';
  const databaseUrl = `postgres://${owner}:drill@${new URL(servers.postgresUrl).host}/${database}`;
  await initDb({ adminUrl: servers.postgresUrl, databaseUrl, log: () => undefined });
  const vhost = `flatrender_${id}`;
  await servers.rabbitctl('-q', 'add_vhost', vhost);
  await servers.rabbitctl('-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  const amqpUrl = `${servers.amqpUrl}/${vhost}`;
  const s3 = await startTestS3();
  const ports: Record<string, number> = {};
  for (const service of [...Object.keys(SERVICE_PORTS), 'gateway']) ports[service] = await freePort();

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    AMQP_URL: amqpUrl,
    REDIS_URL: process.env.DRILL_REDIS_URL ?? 'redis://127.0.0.1:6379',
    GATEWAY_REDIS_PREFIX: `flatrender-drill-${id}:`,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_REGION: s3.region,
    FLATRENDER_SECRET: randomBytes(32).toString('base64url'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    PUBLIC_URL: `http://127.0.0.1:${ports.gateway}`,
    ...Object.fromEntries(
      Object.keys(SERVICE_PORTS).map((s) => [`${s.toUpperCase()}_URL`, `http://127.0.0.1:${ports[s]}`]),
    ),
    ...options.env,
  };

  const processes: DrillProcess[] = [];
  const dataDirs: string[] = [];

  const spawnProcess = async (
    name: string,
    nodeArgs: string[],
    extraEnv: Record<string, string>,
    ready: RegExp,
  ): Promise<DrillProcess> => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `flatrender-drill-${name}-`));
    dataDirs.push(dataDir);
    const child = spawn(process.execPath, nodeArgs, {
      cwd: ROOT,
      env: { ...process.env, ...env, FLATRENDER_DATA_DIR: dataDir, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const append = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 512 * 1024) out = out.slice(-256 * 1024);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = await new Promise<string | undefined>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} not ready within 120 s:\n${out.slice(-4000)}`)),
        120_000,
      );
      const check = () => {
        const match = ready.exec(out);
        if (match) {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.stderr?.off('data', check);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before it was ready:\n${out.slice(-4000)}`));
      });
    });
    const proc: DrillProcess = {
      name,
      child,
      ...(url ? { url } : {}),
      alive: () => child.exitCode === null && child.signalCode === null,
      output: () => out,
      kill9: () => {
        child.kill('SIGKILL');
      },
      stop: async () => {
        if (!proc.alive()) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      },
    };
    processes.push(proc);
    return proc;
  };

  return {
    env,
    databaseUrl,
    amqpUrl,
    s3,
    processes,
    serve: (service, extraEnv = {}) =>
      spawnProcess(
        service,
        [FLATRENDER, 'serve', service],
        { PORT: String(ports[service]), ...extraEnv },
        LISTENING,
      ),
    node: (name, extraEnv = {}) => spawnProcess(name, [FLATRENDER, 'node'], extraEnv, NODE_STARTED),
    spawn: spawnProcess,
    async seed() {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-drill-seed-'));
      dataDirs.push(dataDir);
      await run(process.execPath, [FLATRENDER, 'seed'], {
        cwd: ROOT,
        env: { ...process.env, ...env, FLATRENDER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    },
    gatewayUrl: () => `http://127.0.0.1:${ports.gateway}`,
    async teardown() {
      await Promise.all(processes.map((p) => p.stop().catch(() => undefined)));
      await s3.stop().catch(() => undefined);
      await servers.rabbitctl('-q', 'delete_vhost', vhost).catch(() => undefined);
      for (const dir of dataDirs) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
