import { randomUUID } from 'node:crypto';
import { CATALOG, type Envelope, REQUIRED_HEADERS, validateAgainst } from '@flatrender/contracts';
import type { DeliveredMessage, Principal, Subscription } from '@flatrender/platform';
import { type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { expect } from 'vitest';
import { createContentService } from '../src/index';

/** The content service on real PostgreSQL, RabbitMQ and S3, with every content event recorded. */
export interface ContentHarness {
  harness: ServiceHarness;
  events: EventRecorder;
  /** Sends a request as `principal` (none: anonymous). */
  request(
    principal: Partial<Principal> | undefined,
    options: {
      method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
      url: string;
      payload?: unknown;
      headers?: Record<string, string>;
    },
  ): Promise<Awaited<ReturnType<ServiceHarness['app']['inject']>>>;
  stop(): Promise<void>;
}

export async function startContentHarness(env: Record<string, string> = {}): Promise<ContentHarness> {
  const harness = await startServiceHarness({
    services: [createContentService({ env: { CONTENT_PREVIEW_POLL_MS: '200', ...env } })],
    database: 'postgres',
    bus: 'rabbitmq',
    blobs: 's3',
  });
  const events = new EventRecorder();
  await events.listen(harness);
  return {
    harness,
    events,
    async request(principal, { method = 'GET', url, payload, headers = {} }) {
      const auth = principal ? await harness.authHeaders(principal) : {};
      const isBuffer = Buffer.isBuffer(payload);
      return harness.app.inject({
        method,
        url,
        headers: { ...auth, ...headers },
        ...(payload === undefined ? {} : { payload: isBuffer ? payload : (payload as object) }),
      });
    },
    async stop() {
      await events.close();
      await harness.stop();
    },
  };
}

/** Collects every `content.*` event from a queue of its own, checking each envelope and its headers. */
export class EventRecorder {
  readonly received: DeliveredMessage[] = [];
  private subscription: Subscription | undefined;

  async listen(harness: ServiceHarness): Promise<void> {
    this.subscription = await harness.bus.subscribe(
      { queue: `test.content.${randomUUID()}`, bindings: ['content.#'], transient: true },
      async (message) => {
        this.received.push(message);
      },
    );
  }

  of<T = Record<string, unknown>>(
    key: string,
    where: (data: T) => boolean = () => true,
  ): Envelope<string, T>[] {
    return this.received
      .filter((m) => m.routingKey === key && where(m.envelope.data as T))
      .map((m) => m.envelope as Envelope<string, T>);
  }

  /** Waits until an event of `key` matching `where` arrived, checks its envelope, and returns it. */
  async waitFor<T = Record<string, unknown>>(
    key: string,
    where: (data: T) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<Envelope<string, T>> {
    const found = await waitUntil(
      () => this.received.find((m) => m.routingKey === key && where(m.envelope.data as T)),
      timeoutMs,
      `event ${key}`,
    );
    const check = validateAgainst(CATALOG, key, found.body);
    expect(check.ok, check.ok ? '' : check.error).toBe(true);
    for (const header of REQUIRED_HEADERS) expect(found.headers[header], `header ${header}`).toBeDefined();
    expect(found.headers['x-event-type']).toBe(key);
    expect(found.envelope.producer).toBe('content');
    return found.envelope as Envelope<string, T>;
  }

  async close(): Promise<void> {
    await this.subscription?.cancel();
  }
}

export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && (value as unknown) !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A multipart/form-data body with one file and plain fields. */
export function multipartBody(
  file: { name: string; bytes: Buffer; contentType?: string } | undefined,
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----flatrender${randomUUID().replaceAll('-', '')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Installs Vazirmatn faces as platform fonts through the admin upload route (what templates in tests use). */
export async function installPlatformVazirmatn(
  h: ContentHarness,
  weights: readonly number[] = [400, 800],
): Promise<void> {
  const { bundledFontFiles } = await import('@flatrender/engine/node');
  const { readFile } = await import('node:fs/promises');
  for (const file of bundledFontFiles().filter((f) => weights.includes(f.weight))) {
    const body = multipartBody({
      name: `Vazirmatn-${file.weight}.ttf`,
      bytes: await readFile(file.path),
      contentType: 'font/ttf',
    });
    const res = await h.request(
      { platformAdmin: true },
      { method: 'POST', url: '/v1/admin/fonts', payload: body.payload, headers: body.headers },
    );
    if (res.statusCode !== 201 && res.statusCode !== 200)
      throw new Error(`installing Vazirmatn ${file.weight}: ${res.body}`);
  }
}
