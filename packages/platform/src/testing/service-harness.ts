import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTVerifyGetKey, SignJWT } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ACCESS_TOKEN_TYPE } from '../auth/access-token';
import { authenticate } from '../auth/authenticate';
import { type Principal, ROLE_SCOPES } from '../auth/principal';
import { type BlobStore, DiskBlobStore, S3BlobStore } from '../blob';
import { createBus, InProcessBroker, type ManagedBus } from '../bus';
import { loadPlatformConfig } from '../config';
import { type Database, PGliteDatabase, PostgresDatabase } from '../db';
import { createHttpServer, type HttpServer } from '../http/http-server';
import { Lifecycle } from '../lifecycle';
import { createLogger } from '../log';
import { createMetricsRegistry } from '../metrics';
import { createInternalClient } from '../service/internal-client';
import type { ServiceDefinition } from '../service/service-definition';
import { type Infrastructure, type StartedService, startService } from '../service/service-host';
import { createTestVhost } from './rabbitmq-vhost';
import { createTestDatabase } from './test-database';
import { startTestS3 } from './test-s3';

export interface ServiceHarnessOptions {
  services: readonly ServiceDefinition[];
  /** `postgres` and `rabbitmq`/`s3` use the real servers (a fresh database, vhost and bucket). */
  database?: 'pglite' | 'postgres';
  bus?: 'in-process' | 'rabbitmq';
  blobs?: 'disk' | 's3';
  /** Extra environment for the platform config (e.g. a service's own settings). */
  env?: Record<string, string>;
}

export interface ServiceHarness {
  app: HttpServer;
  infra: Infrastructure;
  bus: ManagedBus;
  database?: Database;
  blobs: BlobStore;
  started: StartedService[];
  /**
   * The environment another process needs to join this platform (a `flatrender node` spawned by a
   * test): its database, vhost, S3 bucket and secret. Only the adapters the harness uses are set.
   */
  processEnv: Record<string, string>;
  /** A signed access token for `principal` (defaults: a new user and tenant, owner). */
  tokenFor(principal?: Partial<Principal>, expiresIn?: string): Promise<string>;
  /** Authorization headers for a principal. */
  authHeaders(principal?: Partial<Principal>): Promise<{ authorization: string }>;
  /** A fresh principal (new user in a new tenant) with the role's scopes. */
  newPrincipal(overrides?: Partial<Principal>): Principal;
  stop(): Promise<void>;
}

/**
 * Runs services the way a platform process does (migrations, routes, outbox relay, consumers) on real
 * adapters, with an access-token key of its own so tests can act as any principal. The identity
 * service issues real tokens in production; here the harness plays that part.
 */
export async function startServiceHarness(options: ServiceHarnessOptions): Promise<ServiceHarness> {
  const cleanups: (() => Promise<void>)[] = [];
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
  const lifecycle = new Lifecycle(logger, 10_000);
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const secret = randomUUID() + randomUUID();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-harness-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

  const processEnv: Record<string, string> = { FLATRENDER_SECRET: secret };
  let database: Database | undefined;
  if (options.services.some((s) => s.schema)) {
    if (options.database === 'postgres') {
      const testDb = await createTestDatabase();
      cleanups.push(() => testDb.drop());
      processEnv.DATABASE_URL = testDb.url;
      database = new PostgresDatabase({ url: testDb.url });
    } else {
      database = await PGliteDatabase.open();
    }
    const db = database;
    lifecycle.onStop('database', () => db.close());
  }

  let amqpUrl: string | undefined;
  if (options.bus === 'rabbitmq') {
    const vhost = await createTestVhost();
    cleanups.push(() => vhost.drop());
    amqpUrl = vhost.url;
    processEnv.AMQP_URL = vhost.url;
  }
  const bus = await createBus({
    amqpUrl,
    broker: new InProcessBroker(),
    logger,
    registry: metrics,
    backoffBaseMs: 20,
    backoffCapMs: 200,
  });
  lifecycle.onStop('bus', () => bus.close());

  let blobs: BlobStore;
  let s3Env: Record<string, string> = {};
  if (options.blobs === 's3') {
    const s3 = await startTestS3();
    cleanups.push(() => s3.stop());
    blobs = new S3BlobStore({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    s3Env = { S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket };
    Object.assign(processEnv, s3Env, {
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
    });
  } else {
    blobs = new DiskBlobStore({ root: path.join(dataDir, 'blobs'), publicUrl: 'http://127.0.0.1', secret });
  }

  const config = loadPlatformConfig({
    FLATRENDER_DATA_DIR: dataDir,
    FLATRENDER_SECRET: secret,
    ...s3Env,
    ...options.env,
  });

  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'harness', alg: 'EdDSA', use: 'sig' };
  const harnessKeys = createLocalJWKSet({ keys: [jwk] });
  // Tokens the harness signs, plus those of an identity service under test (its JWKS, read in-process).
  const keys: JWTVerifyGetKey = async (header, token) => {
    if (header.kid === 'harness' || !options.services.some((s) => s.name === 'identity')) {
      return harnessKeys(header, token);
    }
    const res = await internal.request<{ keys: JWK[] }>('identity', {
      method: 'GET',
      path: '/internal/jwks',
    });
    return createLocalJWKSet(res.body)(header, token);
  };

  const app = createHttpServer({ logger, metrics });
  app.addHook('onRequest', authenticate({ keys }));
  const internal = createInternalClient({ secret, config, local: options.services.map((s) => s.name), app });
  const infra: Infrastructure = {
    config,
    logger,
    metrics,
    lifecycle,
    bus,
    blobs,
    internal,
    secret,
    ...(database ? { database } : {}),
  };
  const started: StartedService[] = [];
  for (const definition of options.services) started.push(await startService(definition, infra, app));
  await app.ready();

  const newPrincipal = (overrides: Partial<Principal> = {}): Principal => {
    const role = overrides.role ?? 'owner';
    return {
      kind: 'user',
      userId: randomUUID(),
      tenantId: randomUUID(),
      role,
      scopes: ROLE_SCOPES[role],
      platformAdmin: false,
      ...overrides,
    };
  };
  const tokenFor = async (overrides: Partial<Principal> = {}, expiresIn = '10m') => {
    const p = newPrincipal(overrides);
    return new SignJWT({
      tid: p.tenantId,
      role: p.role,
      scp: [...p.scopes],
      ...(p.platformAdmin ? { adm: true } : {}),
      ...(p.apiKeyId ? { akid: p.apiKeyId } : {}),
      ...(p.locale ? { loc: p.locale } : {}),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'harness', typ: ACCESS_TOKEN_TYPE })
      .setSubject(p.userId)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(pair.privateKey);
  };

  return {
    app,
    infra,
    bus,
    ...(database ? { database } : {}),
    blobs,
    started,
    processEnv,
    tokenFor,
    authHeaders: async (p) => ({ authorization: `Bearer ${await tokenFor(p)}` }),
    newPrincipal,
    async stop() {
      await app.close();
      await lifecycle.stop().catch(() => undefined);
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    },
  };
}
