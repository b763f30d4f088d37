import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Envelope,
  type EventKey,
  type Locale,
  type MessageData,
  type MessageKey,
  validateMessage,
} from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { type DeliveredMessage, defineService, type Principal, requireInternal } from '@flatrender/platform';
import { type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { createNotificationService, type NotificationServiceOptions } from '../src/index';
import type { NotificationScheduler } from '../src/notification.scheduler';

export type Adapters = Pick<Parameters<typeof startServiceHarness>[0], 'database' | 'bus' | 'blobs'>;
export const DISTRIBUTED: Adapters = { database: 'postgres', bus: 'rabbitmq' };

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A user and tenant as identity knows them (a fake identity serves them on its internal routes). */
export interface KnownUser {
  userId: string;
  tenantId: string;
  email: string;
  name: string;
  locale: Locale;
  verified: boolean;
}

/**
 * The test's stand-in for identity's internal contact routes: the users and tenants the test put in
 * `directory`, answered in identity's shape.
 */
export function fakeIdentityService(directory: {
  users: Map<string, KnownUser>;
  tenants: Map<string, KnownUser>;
}) {
  return defineService({
    name: 'identity',
    setup: (ctx) => ({
      routes(app) {
        app.get('/internal/users/:id/contact', async (req, reply) => {
          requireInternal(req, ctx.secret);
          const user = directory.users.get((req.params as { id: string }).id);
          if (!user)
            return reply.code(404).send({ error: { code: 'not_found', message: 'User was not found.' } });
          return {
            user_id: user.userId,
            email: user.email,
            display_name: user.name,
            locale: user.locale,
            email_verified: user.verified,
            personal_tenant_id: user.tenantId,
          };
        });
        app.get('/internal/tenants/:id/contact', async (req, reply) => {
          requireInternal(req, ctx.secret);
          const owner = directory.tenants.get((req.params as { id: string }).id);
          if (!owner)
            return reply.code(404).send({ error: { code: 'not_found', message: 'Tenant was not found.' } });
          return {
            tenant_id: owner.tenantId,
            name: `${owner.name}’s workspace`,
            kind: 'personal',
            owner_user_id: owner.userId,
            locale: owner.locale,
          };
        });
      },
    }),
  });
}

export interface EventLog {
  messages: DeliveredMessage[];
  /** Messages that failed the catalog check, the producer or the tenant header (must stay empty). */
  invalid: string[];
  of<K extends MessageKey>(key: K, where?: (data: MessageData<K>) => boolean): DeliveredMessage[];
  waitFor<K extends MessageKey>(
    key: K,
    where?: (data: MessageData<K>) => boolean,
    timeoutMs?: number,
  ): Promise<Envelope & { data: MessageData<K> }>;
  stop(): Promise<void>;
}

/** Subscribes a private queue to everything notification publishes, checking every envelope. */
export async function recordEvents(harness: ServiceHarness): Promise<EventLog> {
  const messages: DeliveredMessage[] = [];
  const invalid: string[] = [];
  const subscription = await harness.bus.subscribe(
    {
      queue: `test.notification.${randomBytes(4).toString('hex')}`,
      bindings: ['notification.#', 'tenant.webhook.#'],
      transient: true,
    },
    async (message) => {
      const result = validateMessage(message.routingKey, message.body);
      if (!result.ok) invalid.push(`${message.routingKey}: ${result.error}`);
      if (message.envelope.producer !== 'notification')
        invalid.push(`${message.routingKey}: producer ${message.envelope.producer}`);
      if (message.headers['x-tenant-id'] !== message.envelope.tenant_id)
        invalid.push(`${message.routingKey}: x-tenant-id header`);
      messages.push(message);
    },
  );
  const of = <K extends MessageKey>(key: K, where?: (data: MessageData<K>) => boolean) =>
    messages.filter((m) => m.routingKey === key && (!where || where(m.envelope.data as MessageData<K>)));
  return {
    messages,
    invalid,
    of,
    async waitFor(key, where, timeoutMs = 15_000) {
      const found = await waitFor(() => of(key, where)[0], timeoutMs);
      return found.envelope as never;
    },
    stop: () => subscription.cancel(),
  };
}

export interface NotificationHarness {
  harness: ServiceHarness;
  events: EventLog;
  directory: { users: Map<string, KnownUser>; tenants: Map<string, KnownUser> };
  scheduler: () => NotificationScheduler;
  /** Announces a user (and their personal tenant) the way identity does, and waits until it is known. */
  register(
    options?: Partial<Omit<KnownUser, 'userId' | 'tenantId'>> & { announce?: boolean },
  ): Promise<KnownUser>;
  /** The user's access principal in their personal tenant. */
  principal(user: KnownUser, overrides?: Partial<Principal>): Principal;
  publish<K extends EventKey>(
    key: K,
    tenantId: string,
    userId: string,
    data: Partial<MessageData<K>>,
  ): Promise<Envelope>;
  request(
    who: Principal | null,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers of many shapes, read field by field in tests.
  ): Promise<{ status: number; body: any; headers: Record<string, unknown>; text: string }>;
  stop(): Promise<void>;
}

/** The notification service on the given adapters with a fake identity, ready to publish events at. */
export async function startNotificationHarness(
  adapters: Adapters,
  env: Record<string, string>,
  options: Omit<NotificationServiceOptions, 'env' | 'onScheduler'> = {},
): Promise<NotificationHarness> {
  const directory = { users: new Map<string, KnownUser>(), tenants: new Map<string, KnownUser>() };
  let scheduler: NotificationScheduler | undefined;
  const harness = await startServiceHarness({
    services: [
      createNotificationService({ ...options, env, onScheduler: (s) => (scheduler = s) }),
      fakeIdentityService(directory),
    ],
    ...adapters,
  });
  const events = await recordEvents(harness);
  const db = harness.started.find((s) => s.definition.name === 'notification')!.context.db!;

  const publish: NotificationHarness['publish'] = async (key, tenantId, userId, data) => {
    const envelope = sampleEnvelope(key, { tenant_id: tenantId, user_id: userId, data } as never);
    await harness.bus.publish(envelope);
    return envelope;
  };

  return {
    harness,
    events,
    directory,
    scheduler: () => scheduler!,
    async register(options = {}) {
      const user: KnownUser = {
        userId: randomUUID(),
        tenantId: randomUUID(),
        email: options.email ?? `user-${randomBytes(4).toString('hex')}@example.test`,
        name: options.name ?? 'Sara',
        locale: options.locale ?? 'fa',
        verified: options.verified ?? true,
      };
      directory.users.set(user.userId, user);
      directory.tenants.set(user.tenantId, user);
      if (options.announce === false) return user;
      await publish('identity.user.registered.v1', user.tenantId, user.userId, {
        user_id: user.userId,
        email: user.email,
        display_name: user.name,
        locale: user.locale,
        personal_tenant_id: user.tenantId,
        signup_method: user.verified ? 'invitation' : 'password',
        email_verified: user.verified,
        verification: user.verified
          ? null
          : {
              token: randomBytes(32).toString('base64url'),
              expires_at: new Date(Date.now() + 86_400_000).toISOString(),
            },
        registered_at: new Date().toISOString(),
      });
      await publish('identity.tenant.created.v1', user.tenantId, user.userId, {
        tenant_id: user.tenantId,
        name: `${user.name}’s workspace`,
        slug: `ws-${randomBytes(4).toString('hex')}`,
        kind: 'personal',
        owner_user_id: user.userId,
        locale: user.locale,
        created_at: new Date().toISOString(),
      });
      await waitFor(async () => {
        const row = await db.asSystem((tx) =>
          tx
            .selectFrom('tenant_contact')
            .select('tenant_id')
            .where('tenant_id', '=', user.tenantId)
            .executeTakeFirst(),
        );
        const known = await db.asSystem((tx) =>
          tx.selectFrom('recipient').select('user_id').where('user_id', '=', user.userId).executeTakeFirst(),
        );
        return row && known ? true : undefined;
      });
      return user;
    },
    principal(user, overrides = {}) {
      return harness.newPrincipal({
        userId: user.userId,
        tenantId: user.tenantId,
        locale: user.locale,
        ...overrides,
      });
    },
    publish,
    async request(who, method, url, body, headers = {}) {
      const res = await harness.app.inject({
        method,
        url,
        headers: { ...(who ? await harness.authHeaders(who) : {}), ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      let parsed: unknown;
      try {
        parsed = res.body ? res.json() : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers, text: res.body };
    },
    async stop() {
      await events.stop().catch(() => undefined);
      await harness.stop();
    },
  };
}
