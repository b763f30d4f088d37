import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DLQ_QUEUE, HEADER } from '@flatrender/contracts';
import { Connection } from 'rabbitmq-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestVhost, describeWithServices, type TestVhost } from '../testing';
import { MALFORMED_KINDS } from './publish-malformed';
import { LAST_ERROR_HEADER } from './retry.policy';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./publish-malformed.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

await describeWithServices(['rabbitmq'], 'publish-malformed script', () => {
  let vhost: TestVhost;

  beforeAll(async () => {
    vhost = await createTestVhost();
  });

  afterAll(async () => {
    await vhost?.drop();
  });

  it('lands every malformed message in flatrender.dlq with its original routing key', async () => {
    const { stdout } = await run('npx', ['tsx', script, 'content.font.installed.v1'], {
      cwd: repoRoot,
      env: { ...process.env, AMQP_URL: vhost.url },
      timeout: 60_000,
    });
    expect(stdout).toContain(`${MALFORMED_KINDS.length} malformed messages are in ${DLQ_QUEUE}`);

    // Checked again with a separate client: the messages are really in the queue, with their headers.
    const raw = new Connection(vhost.url);
    try {
      const found: Array<Record<string, unknown>> = [];
      for (;;) {
        const message = await raw.basicGet({ queue: DLQ_QUEUE, noAck: true });
        if (!message) break;
        found.push(message.headers ?? {});
      }
      expect(found).toHaveLength(MALFORMED_KINDS.length);
      for (const headers of found) {
        expect(headers[HEADER.originalRoutingKey]).toBe('content.font.installed.v1');
        expect(headers[HEADER.retryCount]).toBe(3);
        expect(String(headers[LAST_ERROR_HEADER])).toMatch(/^Error: invalid message: /);
      }
    } finally {
      await raw.close();
    }
  });
});
