import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type SpawnedPlatform, spawnPlatform } from '../../support/platform-process';
import { waitForMailLink } from './mail';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface WebPlatform {
  platform: SpawnedPlatform;
  /** The web app's origin. */
  web: string;
  /** The gateway's origin (PUBLIC_URL). */
  gateway: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * `flatrender start` with the web app on its own ports and data dir, waiting until the web app
 * serves (it is built first when its build is missing or older than its sources).
 */
export async function startWebPlatform(env: Record<string, string> = {}): Promise<WebPlatform> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-web-account-'));
  const [webPort, gatewayPort] = [await freePort(), await freePort()];
  const web = `http://127.0.0.1:${webPort}`;
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  const platform = await spawnPlatform(
    ['start'],
    {
      FLATRENDER_DATA_DIR: dataDir,
      PORT: String(gatewayPort),
      PUBLIC_URL: gateway,
      WEB_PORT: String(webPort),
      WEB_ORIGIN: web,
      LOG_LEVEL: 'warn',
      ...env,
    },
    /running: (http:\/\/\S+)/,
    120_000,
  );
  const deadline = Date.now() + 600_000;
  while (!/FlatRender web app: http:\/\/\S+\n/.test(platform.output())) {
    if (/the web app is not served/.test(platform.output()) || Date.now() > deadline) {
      await platform.stop();
      throw new Error(platform.output().slice(-6000));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    platform,
    web,
    gateway,
    dataDir,
    async stop() {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/** A JSON call to the gateway, as a program (curl) makes it. */
export async function gatewayCall<T = unknown>(
  gateway: string,
  pathname: string,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${gateway}${pathname}`, {
    method: options.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Registers a person through the API and confirms the address with the link from the mail. */
export async function registerVerified(
  platform: WebPlatform,
  person: { email: string; password: string; name: string; locale?: 'fa' | 'en' },
): Promise<void> {
  const registered = await gatewayCall(platform.gateway, '/v1/auth/register', {
    method: 'POST',
    body: {
      email: person.email,
      password: person.password,
      display_name: person.name,
      locale: person.locale ?? 'fa',
    },
  });
  if (registered.status !== 202)
    throw new Error(`register ${registered.status}: ${JSON.stringify(registered.body)}`);
  const link = await waitForMailLink(
    path.join(platform.dataDir, 'outbox-mail'),
    person.email,
    /https?:\/\/[^\s"'<>]+\/verify-email\?token=[A-Za-z0-9_%-]+/,
  );
  const token = decodeURIComponent(new URL(link).searchParams.get('token') ?? '');
  const verified = await gatewayCall(platform.gateway, '/v1/auth/verify-email', {
    method: 'POST',
    body: { token },
  });
  if (verified.status !== 204) throw new Error(`verify ${verified.status}: ${JSON.stringify(verified.body)}`);
}

export async function signInToken(gateway: string, email: string, password: string): Promise<string> {
  const answer = await gatewayCall<{ access_token: string }>(gateway, '/v1/auth/login', {
    method: 'POST',
    body: { email, password },
  });
  if (answer.status !== 200) throw new Error(`login ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.access_token;
}
