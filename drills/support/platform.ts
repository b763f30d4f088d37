import { randomBytes } from 'node:crypto';
import { createDeployment, type DrillDeployment, freePort } from './deployment';
import type { DrillServers } from './drill-servers';

/** The distributed platform the drills run against: every service and two render nodes. */
export interface DrillPlatform {
  deployment: DrillDeployment;
  url: string;
  adminPassword: string;
  api: Api;
  /** A new user whose tenant has the business plan (API access, 5 concurrent jobs). */
  account(): Promise<Account>;
  /** Starts another render node (the drill that kills one starts its replacement). */
  addNode(name: string): Promise<void>;
  teardown(): Promise<void>;
}

export interface Account {
  token: string;
  tenantId: string;
  email: string;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are checked by the drills that read them.
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  ms: number;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are checked by the drills that read them.
export type Api = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) => Promise<ApiAnswer<T>>;

export const SERVICES = [
  'identity',
  'content',
  'file',
  'studio',
  'render',
  'notification',
  'gateway',
] as const;

export async function startPlatform(
  servers: DrillServers,
  log: (line: string) => void,
): Promise<DrillPlatform> {
  const adminPassword = `drill admin ${randomBytes(9).toString('base64url')}`;
  const deployment = await createDeployment(servers, {
    name: 'platform',
    log,
    env: {
      FLATRENDER_ADMIN_PASSWORD: adminPassword,
      // No mail is sent in the drills: sign-in must not wait for a verification link.
      IDENTITY_REQUIRE_EMAIL_VERIFICATION: 'false',
      // The fuzz and the burst are one client: the general rate limits would answer 429 to most of it.
      GATEWAY_RATE_LIMIT_ANONYMOUS_MAX: '1000000',
      GATEWAY_RATE_LIMIT_MAX: '1000000',
      GATEWAY_SESSION_RATE_LIMIT_MAX: '1000000',
      GATEWAY_AUTH_RATE_LIMIT_MAX: '1000000',
      GATEWAY_AUTH_EMAIL_RATE_LIMIT_MAX: '1000000',
      // Short leases so a killed node's work comes back within seconds.
      RENDER_LEASE_SECONDS: '10',
      RENDER_NODE_TIMEOUT_SECONDS: '10',
      RENDER_REAPER_INTERVAL_MS: '1000',
      NODE_HEARTBEAT_SECONDS: '2',
      LOG_LEVEL: 'info',
    },
  });
  try {
    log('seeding (flatrender seed)');
    await deployment.seed();
    log(`starting ${SERVICES.join(', ')} and two render nodes`);
    for (const service of SERVICES) await deployment.serve(service);
    const addNode = async (name: string) => {
      await deployment.node(name, { NODE_METRICS_PORT: String(await freePort()) });
    };
    await Promise.all([addNode('node-1'), addNode('node-2')]);
  } catch (error) {
    await deployment.teardown();
    throw error;
  }
  const url = deployment.gatewayUrl();

  const api: Api = async (method, path, body, token) => {
    const started = performance.now();
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if (text && res.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as never, ms: performance.now() - started };
  };

  const must = async <T>(what: string, answer: Promise<ApiAnswer<T>>, status: number): Promise<T> => {
    const a = await answer;
    if (a.status !== status) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body).slice(0, 500)}`);
    return a.body;
  };

  let adminToken: string | undefined;
  const account = async (): Promise<Account> => {
    const email = `drill-${randomBytes(5).toString('hex')}@example.com`;
    const password = `drill password ${randomBytes(9).toString('base64url')}`;
    // 202 whether or not the address is new (no account enumeration).
    await must(
      'register',
      api('POST', '/v1/auth/register', { email, password, display_name: 'Drill', locale: 'en' }),
      202,
    );
    const login = await must<{ access_token: string; tenant: { id: string } }>(
      'login',
      api('POST', '/v1/auth/login', { email, password }),
      200,
    );
    adminToken ??= (
      await must<{ access_token: string }>(
        'admin login',
        api('POST', '/v1/auth/login', { email: 'admin@flatrender.local', password: adminPassword }),
        200,
      )
    ).access_token;
    await must(
      'grant business',
      api(
        'POST',
        '/v1/admin/payments',
        { tenant_id: login.tenant.id, plan_code: 'business', reference: 'drill' },
        adminToken,
      ),
      201,
    );
    // The plan reaches render and file through identity's events: sign in again for fresh claims.
    const again = await must<{ access_token: string }>(
      'login',
      api('POST', '/v1/auth/login', { email, password }),
      200,
    );
    return { token: again.access_token, tenantId: login.tenant.id, email };
  };

  return {
    deployment,
    url,
    adminPassword,
    api,
    account,
    addNode: (name) =>
      freePort().then((port) =>
        deployment.node(name, { NODE_METRICS_PORT: String(port) }).then(() => undefined),
      ),
    teardown: () => deployment.teardown(),
  };
}
