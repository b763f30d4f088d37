import { randomBytes } from 'node:crypto';
import { type MessageKey, validateMessage } from '@flatrender/contracts';
import {
  collectBlobList,
  type DeliveredMessage,
  type Principal,
  type Subscription,
} from '@flatrender/platform';
import { type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { createFileService } from '../src/index';
import type { RetentionScheduler } from '../src/retention.scheduler';

export interface EventLog {
  messages: DeliveredMessage[];
  /** Messages that failed the catalog check, the producer or the tenant header (must stay empty). */
  invalid: string[];
  /** Waits until a message of `key` matching `where` arrived, and returns it. */
  waitFor(
    key: MessageKey,
    where?: (data: Record<string, unknown>, m: DeliveredMessage) => boolean,
    timeoutMs?: number,
  ): Promise<DeliveredMessage>;
  /** Messages of `key` (for one tenant when given) received so far. */
  of(key: MessageKey, tenantId?: string): DeliveredMessage[];
}

/** Subscribes a private test queue to everything the file service publishes, checking every envelope. */
export async function recordFileEvents(
  harness: ServiceHarness,
): Promise<EventLog & { subscription: Subscription }> {
  const messages: DeliveredMessage[] = [];
  const invalid: string[] = [];
  const subscription = await harness.bus.subscribe(
    { queue: `test.file.${randomBytes(4).toString('hex')}`, bindings: ['file.#'], transient: true },
    async (message) => {
      // Valid on the wire: the envelope and its data against the catalog, producer and headers set.
      const result = validateMessage(message.routingKey, message.body);
      if (!result.ok) invalid.push(`${message.routingKey}: ${result.error}`);
      if (message.envelope.producer !== 'file')
        invalid.push(`${message.routingKey}: producer ${message.envelope.producer}`);
      if (message.headers['x-tenant-id'] !== message.envelope.tenant_id)
        invalid.push(`${message.routingKey}: x-tenant-id header`);
      messages.push(message);
    },
  );
  const matches =
    (key: MessageKey, where?: (data: Record<string, unknown>, m: DeliveredMessage) => boolean) =>
    (m: DeliveredMessage) =>
      m.routingKey === key && (!where || where(m.envelope.data as Record<string, unknown>, m));
  return {
    subscription,
    messages,
    invalid,
    of: (key, tenantId) =>
      messages.filter((m) => m.routingKey === key && (!tenantId || m.envelope.tenant_id === tenantId)),
    async waitFor(key, where, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(matches(key, where));
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `no ${key} event within ${timeoutMs} ms (got ${messages.map((m) => m.routingKey).join(', ')})`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

export interface FileHarness {
  harness: ServiceHarness;
  events: EventLog;
  retention: RetentionScheduler;
  clock: { now: Date; advance(ms: number): void };
  stop(): Promise<void>;
}

/**
 * The file service on real PostgreSQL, RabbitMQ and S3 (s3rver), with a clock the test moves and the
 * retention scheduler at hand (its own loop is slowed down unless `env` says otherwise).
 */
export async function startFileHarness(env: Record<string, string> = {}): Promise<FileHarness> {
  const clock = {
    now: new Date(),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  let retention: RetentionScheduler | undefined;
  const service = createFileService({
    env: { FILE_RETENTION_INTERVAL_SECONDS: '3600', ...env },
    clock: () => clock.now,
    onRetention: (scheduler) => {
      retention = scheduler;
    },
  });
  const harness = await startServiceHarness({
    services: [service],
    database: 'postgres',
    bus: 'rabbitmq',
    blobs: 's3',
  });
  const events = await recordFileEvents(harness);
  if (!retention) throw new Error('the file service did not hand out its retention scheduler');
  return {
    harness,
    events,
    retention,
    clock,
    async stop() {
      await events.subscription.cancel().catch(() => undefined);
      await harness.stop();
    },
  };
}

/** A multipart/form-data body with optional fields before one file part. */
export function multipart(
  file: { name: string; type: string; content: Buffer },
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----flatrender${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads through `POST /v1/files` as `principal`. */
export async function uploadFile(
  harness: ServiceHarness,
  principal: Principal,
  file: { name: string; type: string; content: Buffer },
  query = '',
) {
  const body = multipart(file);
  return harness.app.inject({
    method: 'POST',
    url: `/v1/files${query}`,
    headers: { ...(await harness.authHeaders(principal)), ...body.headers },
    payload: body.payload,
  });
}

/** Every blob stored for a tenant (uploads, variants, resumable pieces). */
export async function tenantBlobs(harness: ServiceHarness, tenantId: string): Promise<string[]> {
  return (await collectBlobList(harness.blobs.list(`tenants/${tenantId}/`))).map((b) => b.key).sort();
}
