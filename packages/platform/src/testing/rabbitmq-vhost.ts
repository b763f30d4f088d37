import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { TEST_AMQP_URL } from './real-services';

const run = promisify(execFile);

async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 30_000 });
  return stdout;
}

export interface TestVhost {
  name: string;
  /** `TEST_AMQP_URL` pointing at the vhost. */
  url: string;
  /** Closes every client connection to the vhost from the server side (clients see a dropped connection). */
  closeConnections(): Promise<void>;
  /** Deletes the vhost with everything in it. */
  drop(): Promise<void>;
}

/**
 * A fresh RabbitMQ vhost for one test suite, so parallel test files (and other people's tests on the
 * same broker) never see each other's queues. Needs `rabbitmqctl` on the broker's machine (root).
 */
export async function createTestVhost(prefix = 'flatrender_test'): Promise<TestVhost> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const user = decodeURIComponent(new URL(TEST_AMQP_URL).username || 'guest');
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, user, '.*', '.*', '.*');
  const url = new URL(TEST_AMQP_URL);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: url.toString(),
    closeConnections: async () => {
      await rabbitmqctl('close_all_connections', '-p', name, 'closed by a test');
    },
    drop: async () => {
      await rabbitmqctl('delete_vhost', name);
    },
  };
}
