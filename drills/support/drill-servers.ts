import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The drills restart PostgreSQL and RabbitMQ. Restarting the servers every test on this machine
 * shares would break other people's tests, so the drills run their own: a PostgreSQL 15 cluster and a
 * RabbitMQ node, both real servers on other ports, created for the run and removed after it. The
 * restarts are the operator's own commands: `pg_ctlcluster ... restart` and `rabbitmqctl stop_app`
 * / `start_app`.
 */
export interface DrillServers {
  /** Superuser URL of the drill cluster's `postgres` database (trust auth on 127.0.0.1). */
  postgresUrl: string;
  /** guest on the drill node's `/` vhost. */
  amqpUrl: string;
  restartPostgres(): Promise<void>;
  stopRabbit(): Promise<void>;
  startRabbit(): Promise<void>;
  rabbitctl(...args: string[]): Promise<string>;
  /** Stops and removes both servers; safe to call twice and after a failure. */
  teardown(): Promise<void>;
}

const PG_VERSION = '15';

async function sh(command: string, args: string[], timeoutMs = 120_000): Promise<string> {
  const { stdout } = await run(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms`);
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startDrillServers(log: (line: string) => void): Promise<DrillServers> {
  const id = randomBytes(3).toString('hex');
  const cluster = `frdrill_${id}`;
  const pgPort = await freePort();
  const amqpPort = await freePort();
  const distPort = await freePort();
  const node = `frdrill${id}@localhost`;
  // Under RabbitMQ's home: the server scripts switch to the rabbitmq user, who must own the files.
  const rabbitDir = `/var/lib/rabbitmq/flatrender-drill-${id}`;
  const rabbitEnv = {
    ...process.env,
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: `${rabbitDir}/mnesia`,
    RABBITMQ_LOG_BASE: `${rabbitDir}/log`,
    RABBITMQ_ENABLED_PLUGINS_FILE: `${rabbitDir}/enabled_plugins`,
    RABBITMQ_CONFIG_FILE: `${rabbitDir}/rabbitmq.conf`,
    RABBITMQ_CONF_ENV_FILE: `${rabbitDir}/rabbitmq-env.conf`,
    RABBITMQ_PID_FILE: `${rabbitDir}/pid`,
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
  const rabbitctl = async (...args: string[]) => {
    const { stdout } = await run('rabbitmqctl', ['-n', node, ...args], { timeout: 120_000 });
    return stdout;
  };

  let pgCreated = false;
  let rabbitStarted = false;
  const teardown = async () => {
    if (rabbitStarted) {
      rabbitStarted = false;
      await rabbitctl('-q', 'stop').catch((e: Error) =>
        log(`stopping the drill RabbitMQ node: ${e.message}`),
      );
    }
    await rm(rabbitDir, { recursive: true, force: true }).catch(() => undefined);
    if (pgCreated) {
      pgCreated = false;
      await sh('pg_dropcluster', [PG_VERSION, cluster, '--stop']).catch((e: Error) =>
        log(`dropping the drill PostgreSQL cluster: ${e.message}`),
      );
    }
  };

  try {
    log(`PostgreSQL ${PG_VERSION} cluster ${cluster} on port ${pgPort}`);
    await sh('pg_createcluster', [
      PG_VERSION,
      cluster,
      '--port',
      String(pgPort),
      '--start',
      '--',
      '--auth-local=trust',
      '--auth-host=trust',
    ]);
    pgCreated = true;
    // The services' pools plus the drill's own connections.
    await sh('psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(pgPort),
      '-U',
      'postgres',
      '-qc',
      'ALTER SYSTEM SET max_connections = 400',
    ]);
    await sh('pg_ctlcluster', ['--skip-systemctl-redirect', PG_VERSION, cluster, 'restart']);

    log(`RabbitMQ node ${node} on port ${amqpPort}`);
    await mkdir(`${rabbitDir}/mnesia`, { recursive: true });
    await mkdir(`${rabbitDir}/log`, { recursive: true });
    await writeFile(
      `${rabbitDir}/rabbitmq.conf`,
      `listeners.tcp.local = 127.0.0.1:${amqpPort}\nloopback_users = none\n`,
    );
    await writeFile(`${rabbitDir}/enabled_plugins`, '[].\n');
    await writeFile(`${rabbitDir}/rabbitmq-env.conf`, '');
    await sh('chown', ['-R', 'rabbitmq:rabbitmq', rabbitDir]);
    await run('rabbitmq-server', ['-detached'], { env: rabbitEnv, timeout: 60_000 });
    rabbitStarted = true;
    // The node registers with epmd a moment after -detached returns; await_startup needs it there.
    await waitFor('the RabbitMQ node', () => rabbitctl('-q', 'ping').then(() => true), 60_000);
    await rabbitctl('-q', 'await_startup', '--timeout', '120');
    await waitFor('RabbitMQ', () => reachable(amqpPort), 30_000);
  } catch (error) {
    await teardown();
    throw error;
  }

  return {
    postgresUrl: `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
    amqpUrl: `amqp://guest:guest@127.0.0.1:${amqpPort}`,
    async restartPostgres() {
      await sh('pg_ctlcluster', ['--skip-systemctl-redirect', PG_VERSION, cluster, 'restart']);
    },
    async stopRabbit() {
      await rabbitctl('-q', 'stop_app');
    },
    async startRabbit() {
      await rabbitctl('-q', 'start_app');
      await rabbitctl('-q', 'await_startup', '--timeout', '120');
    },
    rabbitctl,
    teardown,
  };
}
