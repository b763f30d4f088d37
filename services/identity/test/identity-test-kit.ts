import { randomUUID } from 'node:crypto';
import { type Envelope, validateMessage } from '@flatrender/contracts';
import type { DeliveredMessage } from '@flatrender/platform';
import { type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { expect } from 'vitest';
import { identityService } from '../src';

export interface IdentityKit {
  harness: ServiceHarness;
  /** Every identity event and every dispatched email, in arrival order. */
  messages: DeliveredMessage[];
  waitFor(
    match: (m: DeliveredMessage) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<DeliveredMessage>;
  stop(): Promise<void>;
}

/**
 * Identity on a fresh PostgreSQL database and RabbitMQ vhost (or PGlite and the in-process bus),
 * with a test queue bound to every identity event and a consumer on the email dispatch queue.
 * Service settings come from the environment, as in a real process.
 */
export async function startIdentityKit(
  options: {
    env?: Record<string, string>;
    database?: 'postgres' | 'pglite';
    bus?: 'rabbitmq' | 'in-process';
  } = {},
): Promise<IdentityKit> {
  Object.assign(process.env, { IDENTITY_SCHEDULER_INTERVAL_MS: '60000', ...options.env });
  const harness = await startServiceHarness({
    services: [identityService],
    database: options.database ?? 'postgres',
    bus: options.bus ?? 'rabbitmq',
  });
  const messages: DeliveredMessage[] = [];
  const waiters = new Set<() => void>();
  const record = async (m: DeliveredMessage) => {
    messages.push(m);
    for (const wake of waiters) wake();
  };
  await harness.bus.subscribe(
    { queue: `test.identity.${randomUUID()}`, bindings: ['identity.#'], transient: true },
    record,
  );
  await harness.bus.subscribe({ queue: 'notify.channel.email' }, record);
  return {
    harness,
    messages,
    async waitFor(match, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `timed out waiting for ${what}; saw ${messages.map((m) => m.routingKey).join(', ')}`,
          );
        }
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 200);
        });
      }
    },
    stop: () => harness.stop(),
  };
}

/** Asserts the message is a valid catalog envelope of its routing key, from identity. */
export function expectValidEnvelope(message: DeliveredMessage): Envelope {
  const checked = validateMessage(message.routingKey, message.body);
  expect(checked.ok, `${message.routingKey}: ${checked.ok ? '' : checked.error}`).toBe(true);
  expect(message.envelope.producer).toBe('identity');
  expect(message.envelope.event_type).toBe(message.routingKey);
  return message.envelope;
}

export const STRONG_PASSWORD = 'lantern-river-ochre-42';

export function uniqueEmail(label = 'user'): string {
  return `${label}.${randomUUID().slice(0, 8)}@example.com`;
}

type Data = Record<string, unknown>;

/** Token of the last verification email or registration event sent to `email`. */
export async function verificationToken(
  kit: IdentityKit,
  email: string,
  source: 'event' | 'email',
): Promise<string> {
  if (source === 'event') {
    const m = await kit.waitFor(
      (x) => x.routingKey === 'identity.user.registered.v1' && (x.envelope.data as Data).email === email,
      `registration of ${email}`,
    );
    return ((m.envelope.data as Data).verification as { token: string }).token;
  }
  const mails = () =>
    kit.messages.filter(
      (x) =>
        x.routingKey === 'notify.channel.email' &&
        ((x.envelope.data as Data).recipient as { email: string }).email === email &&
        ((x.envelope.data as Data).template as { kind: string } | undefined)?.kind === 'account.verify_email',
    );
  await kit.waitFor(() => mails().length > 0, `verification email to ${email}`);
  const last = mails().at(-1) as DeliveredMessage;
  return ((last.envelope.data as Data).template as { params: { token: string } }).params.token;
}

/** Registers, verifies by the emailed token and signs in; returns the token response. */
export async function signUp(kit: IdentityKit, label = 'user', password = STRONG_PASSWORD) {
  const { app } = kit.harness;
  const email = uniqueEmail(label);
  const reg = await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email, password, display_name: `Test ${label}`, locale: 'en' },
  });
  expect(reg.statusCode, reg.body).toBe(202);
  const token = await verificationToken(kit, email, 'event');
  const verified = await app.inject({ method: 'POST', url: '/v1/auth/verify-email', payload: { token } });
  expect(verified.statusCode, verified.body).toBe(204);
  const login = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
  expect(login.statusCode, login.body).toBe(200);
  const body = login.json() as {
    access_token: string;
    refresh_token: string;
    user: { id: string; email: string };
    tenant: { id: string; role: string };
  };
  return { ...body, email, password, auth: { authorization: `Bearer ${body.access_token}` } };
}
