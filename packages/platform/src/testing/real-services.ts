import net from 'node:net';
import { describe } from 'vitest';

/**
 * Integration tests talk to real servers. In CI (`FLATRENDER_REQUIRE_SERVICES=1`) a missing server
 * fails the test; on a laptop without them the suite is skipped with one loud line.
 */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type RealService = 'postgres' | 'rabbitmq' | 'redis';

const urls: Record<RealService, string> = {
  postgres: TEST_DATABASE_URL,
  rabbitmq: TEST_AMQP_URL,
  redis: TEST_REDIS_URL,
};

export const servicesRequired = ['1', 'true', 'yes'].includes(process.env.FLATRENDER_REQUIRE_SERVICES ?? '');

function reachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const u = new URL(url);
  const port =
    Number(u.port) ||
    { 'postgres:': 5432, 'postgresql:': 5432, 'amqp:': 5672, 'redis:': 6379 }[u.protocol] ||
    0;
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

const available = new Map<RealService, boolean>();

async function check(services: readonly RealService[]): Promise<RealService[]> {
  const missing: RealService[] = [];
  for (const s of services) {
    if (!available.has(s)) available.set(s, await reachable(urls[s]));
    if (!available.get(s)) missing.push(s);
  }
  return missing;
}

/**
 * `describe` for tests that need real servers: skipped loudly when they are absent, unless
 * FLATRENDER_REQUIRE_SERVICES is set, in which case the absence is a failure.
 */
export async function describeWithServices(
  services: readonly RealService[],
  name: string,
  body: () => void,
): Promise<void> {
  const missing = await check(services);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const line = `${name}: ${missing.join(', ')} not reachable (${missing.map((m) => urls[m]).join(', ')})`;
  if (servicesRequired) {
    describe(name, () => {
      throw new Error(`FLATRENDER_REQUIRE_SERVICES is set but ${line}`);
    });
    return;
  }
  console.warn(
    `\n!!! SKIPPED integration suite "${line}". Set FLATRENDER_REQUIRE_SERVICES=1 to fail instead.\n`,
  );
  describe.skip(name, body);
}
