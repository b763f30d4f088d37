import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Envelope } from '@flatrender/contracts';
import { createBus, createLogger, createMetricsRegistry, type ManagedBus } from '@flatrender/platform';
import {
  createTestDatabase,
  createTestVhost,
  describeWithServices,
  type TestDatabase,
  type TestVhost,
} from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SpawnedPlatform, spawnPlatform } from './support/platform-process';

/** `flatrender serve` logs one JSON line when it listens; its `url` is where the process answers. */
const LISTENING = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/;
const SECRET = randomBytes(32).toString('base64url');
const ADMIN_PASSWORD = `admin ${randomBytes(12).toString('base64url')}`;
const ROOT = path.resolve(import.meta.dirname, '..');

/** `flatrender seed` against a deployment's servers (distributed processes do not seed themselves). */
async function seed(env: Record<string, string>): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-seed-'));
  try {
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/flatrender'), 'seed'], {
      cwd: ROOT,
      env: { ...process.env, ...env, FLATRENDER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      timeout: 180_000,
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Deployment {
  url: string;
  processes: SpawnedPlatform[];
  bus: ManagedBus;
  events: Envelope[];
  cleanup: (() => Promise<unknown>)[];
}

/** Real servers for one deployment: a fresh database, a fresh vhost, and a test consumer on it. */
async function infrastructure() {
  const db: TestDatabase = await createTestDatabase();
  const vhost: TestVhost = await createTestVhost();
  const bus = await createBus({
    amqpUrl: vhost.url,
    logger: createLogger({ level: 'silent' }),
    registry: createMetricsRegistry({ defaultMetrics: false }),
  });
  const events: Envelope[] = [];
  await bus.subscribe(
    { queue: `test.${randomBytes(4).toString('hex')}`, bindings: ['identity.#'], transient: true },
    async (m) => {
      events.push(m.envelope);
    },
  );
  const env = {
    DATABASE_URL: db.url,
    AMQP_URL: vhost.url,
    FLATRENDER_SECRET: SECRET,
    FLATRENDER_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  return { env, bus, events, cleanup: [() => bus.close(), () => vhost.drop(), () => db.drop()] };
}

async function stopAll(d: Deployment | undefined) {
  if (!d) return;
  for (const p of [...d.processes].reverse()) await p.stop();
  for (const c of d.cleanup) await c().catch(() => undefined);
}

/** Replaces what differs between two runs (ids, tokens, keys, times) with its kind. */
function normalise(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<jwt>')
      .replace(/fr_[A-Za-z0-9]+_[\w-]+/g, '<api-key>')
      .replace(/fr_[A-Za-z0-9]{4,12}/g, '<key-prefix>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, '<time>')
      .replace(/ticket=[\w-]+/, 'ticket=<secret>')
      .replace(/^[\w-]{40,}$/, '<secret>');
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        // Tenant slugs end in a random suffix.
        k === 'slug' && typeof v === 'string' ? v.replace(/-[0-9a-f]{6}$/, '-<random>') : normalise(v),
      ]),
    );
  }
  return value;
}

async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * The same conversation with a deployment, as a transcript of statuses and normalised bodies:
 * register → verify (token from the event) → login → /v1/me → create an API key → use it → revoke it
 * → refused, plus malformed input, /internal from outside, JWKS and the API description.
 */
async function conversation(d: Deployment): Promise<{ step: string; status: number; body: unknown }[]> {
  const transcript: { step: string; status: number; body: unknown }[] = [];
  const call = async (step: string, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${d.url}${path}`, init);
    const text = await res.text();
    const body = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    transcript.push({ step, status: res.status, body: normalise(body) });
    return { status: res.status, body, headers: res.headers };
  };
  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const email = 'same.person@example.com';
  const password = 'correct horse battery staple 42';

  const traceId = randomUUID();
  const registered = await call(
    'register',
    '/v1/auth/register',
    json({ email, password, display_name: 'Same Person', locale: 'en' }, { 'x-trace-id': traceId }),
  );
  expect(registered.headers.get('x-trace-id')).toBe(traceId);
  const event = await eventually(async () => {
    // The seed registers the platform admin too: pick this conversation's user.
    const found = d.events.find(
      (e) => e.event_type === 'identity.user.registered.v1' && e.data.email === email,
    );
    if (!found) throw new Error('no identity.user.registered.v1 yet');
    return found;
  });
  // The request's trace id reached the event it caused, across the proxy and the outbox.
  expect(event.trace_id).toBe(traceId);
  const verification = (event.data as { verification: { token: string } }).verification;
  await call('verify-email', '/v1/auth/verify-email', json({ token: verification.token }));

  await call('register-malformed', '/v1/auth/register', json({ email: 'nope', password: 'x' }));
  await call('login-malformed-json', '/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"email":',
  });
  const login = await call('login', '/v1/auth/login', json({ email, password }));
  const auth = { authorization: `Bearer ${login.body.access_token}` };
  await call('me', '/v1/me', { headers: auth });
  await call('me-anonymous', '/v1/me');

  // API access needs a paid plan: the platform admin records a manual payment for one.
  const admin = await call(
    'admin-login',
    '/v1/auth/login',
    json({ email: 'admin@flatrender.local', password: ADMIN_PASSWORD }),
  );
  await call(
    'admin-grants-pro',
    '/v1/admin/payments',
    json(
      { tenant_id: login.body.tenant.id, plan_code: 'pro', reference: 'e2e' },
      { authorization: `Bearer ${admin.body.access_token}` },
    ),
  );
  const created = await call(
    'create-api-key',
    '/v1/api-keys',
    json({ name: 'ci', scopes: ['templates:read', 'renders:read'] }, auth),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const key = created.body.key as string;
  await call('me-with-api-key', '/v1/me', { headers: { authorization: `Bearer ${key}` } });
  await call('api-key-cannot-manage-keys', '/v1/api-keys', { headers: { authorization: `Bearer ${key}` } });
  await call('api-key-in-url', `/v1/me?api_key=${key}`);
  await call('revoke-api-key', `/v1/api-keys/${created.body.api_key.id}`, {
    method: 'DELETE',
    headers: auth,
  });
  await eventually(async () => {
    const res = await fetch(`${d.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(401);
  });
  await call('me-with-revoked-key', '/v1/me', { headers: { authorization: `Bearer ${key}` } });

  await call('internal-from-outside', '/internal/jwks');
  const jwks = await call('jwks', '/.well-known/jwks.json');
  expect(jwks.body.keys.length).toBeGreaterThan(0);

  const ticket = await call('events-ticket', '/v1/events/ticket', { method: 'POST', headers: auth });
  const stream = await fetch(`${d.url}${ticket.body.stream_url}`);
  expect(stream.status).toBe(200);
  expect(stream.headers.get('content-type')).toContain('text/event-stream');
  await stream.body?.cancel();

  const doc = await (await fetch(`${d.url}/docs/openapi.json`)).json();
  await SwaggerParser.validate(structuredClone(doc));
  const paths = Object.keys(doc.paths);
  for (const p of ['/v1/auth/register', '/v1/auth/login', '/v1/me', '/v1/api-keys', '/v1/events/stream'])
    expect(paths).toContain(p);
  expect(paths.some((p) => p.startsWith('/internal'))).toBe(false);
  return transcript;
}

await describeWithServices(['postgres', 'rabbitmq'], 'the gateway in both modes (real processes)', () => {
  let distributed: Deployment | undefined;
  let oneProcess: Deployment | undefined;

  beforeAll(async () => {
    // Distributed: identity and the gateway as their own processes, sharing PostgreSQL and RabbitMQ.
    const d = await infrastructure();
    distributed = { url: '', processes: [], bus: d.bus, events: d.events, cleanup: d.cleanup };
    await seed(d.env);
    const identity = await spawnPlatform(['serve', 'identity'], d.env, LISTENING, 90_000);
    distributed.processes.push(identity);
    const gateway = await spawnPlatform(
      ['serve', 'gateway'],
      { ...d.env, IDENTITY_URL: identity.url },
      LISTENING,
      90_000,
    );
    distributed.processes.push(gateway);
    distributed.url = gateway.url;

    // One process: the gateway with identity mounted on it, on the same kind of servers.
    const o = await infrastructure();
    oneProcess = { url: '', processes: [], bus: o.bus, events: o.events, cleanup: o.cleanup };
    const all = await spawnPlatform(
      ['start'],
      { ...o.env, FLATRENDER_ROLES: 'gateway,identity' },
      undefined,
      90_000,
    );
    oneProcess.processes.push(all);
    oneProcess.url = all.url;
  }, 240_000);

  afterAll(async () => {
    await stopAll(distributed);
    await stopAll(oneProcess);
  });

  it('answers the same conversation the same way in both modes', async () => {
    const a = await conversation(oneProcess as Deployment);
    const b = await conversation(distributed as Deployment);
    expect(b).toEqual(a);
    // And the conversation says what it should.
    const status = Object.fromEntries(a.map((t) => [t.step, t.status]));
    expect(status).toMatchObject({
      register: 202,
      'verify-email': 204,
      'register-malformed': 400,
      'login-malformed-json': 400,
      login: 200,
      me: 200,
      'me-anonymous': 401,
      'admin-login': 200,
      'admin-grants-pro': 201,
      'create-api-key': 201,
      'me-with-api-key': 200,
      'api-key-cannot-manage-keys': 403,
      'api-key-in-url': 400,
      'me-with-revoked-key': 401,
      'internal-from-outside': 404,
      jwks: 200,
      'events-ticket': 201,
    });
  }, 120_000);
});
