import { createHash, randomUUID } from 'node:crypto';
import { type Envelope, type EventKey, PLATFORM_TENANT_ID, validateMessage } from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { parseTemplate, type TemplateInput } from '@flatrender/engine';
import { defineService, type Principal, requireInternal } from '@flatrender/platform';
import type { ServiceHarness } from '@flatrender/platform/testing';
import { sql } from 'kysely';

/** Waits until `probe` returns something other than undefined (or fails after `timeoutMs`). */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface StoredTemplate {
  template_id: string;
  version: number;
  slug: string;
  document_key: string;
  content_hash: string;
  size_bytes: number;
  title: { fa: string; en: string };
  mode: 'fixed' | 'flexible';
  fps: number;
  aspects: ('16:9' | '9:16' | '1:1' | '4:5')[];
}

/** Puts a template document in the blob store the way content does (content-addressed). */
export async function storeTemplate(
  harness: ServiceHarness,
  doc: TemplateInput,
  templateId: string,
  version: number,
): Promise<StoredTemplate> {
  const bytes = Buffer.from(JSON.stringify(doc));
  const hash = createHash('sha256').update(bytes).digest('hex');
  const key = `templates/${hash}.json`;
  await harness.blobs.put(key, bytes, { contentType: 'application/json' });
  const template = parseTemplate(doc);
  const title = template.title as { fa: string; en: string };
  return {
    template_id: templateId,
    version,
    slug: template.id,
    document_key: key,
    content_hash: hash,
    size_bytes: bytes.length,
    title: { fa: title.fa, en: title.en },
    mode: template.mode,
    fps: template.fps,
    aspects: Object.keys(template.aspects) as StoredTemplate['aspects'],
  };
}

/**
 * Publishes a template version as content would (`content.template.published.v1` on the real bus)
 * and waits until studio has recorded it. `ownerTenant`: a tenant's private template.
 */
export async function publishTemplate(
  harness: ServiceHarness,
  doc: TemplateInput,
  options: { templateId: string; version: number; ownerTenant?: string },
): Promise<StoredTemplate> {
  const stored = await storeTemplate(harness, doc, options.templateId, options.version);
  const { size_bytes, ...facts } = stored;
  await harness.bus.publish(
    sampleEnvelope('content.template.published.v1', {
      tenant_id: options.ownerTenant ?? PLATFORM_TENANT_ID,
      producer: 'content',
      data: {
        ...facts,
        size_bytes,
        visibility: options.ownerTenant ? 'tenant' : 'public',
        engine: 1,
        fonts: [],
        assets: [],
        published_at: new Date().toISOString(),
      },
    }),
  );
  const db = harness.started.find((s) => s.definition.name === 'studio')!.context.db!;
  await waitFor(async () => {
    const { rows } = await db.asSystem((tx) =>
      sql`select 1 from template_version where template_id = ${options.templateId} and version = ${options.version}`.execute(
        tx,
      ),
    );
    return rows.length > 0 ? true : undefined;
  });
  return stored;
}

/** Every message of `keys` published on the bus while the test runs, checked against the catalog. */
export async function collectEvents(harness: ServiceHarness, keys: readonly EventKey[]) {
  const received: { routingKey: string; envelope: Envelope; valid: boolean; error?: string }[] = [];
  const subscription = await harness.bus.subscribe(
    { queue: `test.studio.${randomUUID()}`, bindings: keys, transient: true },
    async (message) => {
      const verdict = validateMessage(message.routingKey, message.body);
      received.push({
        routingKey: message.routingKey,
        envelope: message.envelope,
        valid: verdict.ok,
        ...(verdict.ok ? {} : { error: verdict.error }),
      });
    },
  );
  return {
    received,
    /** Waits for the first message matching `match`. */
    async next(key: EventKey, match: (data: Record<string, unknown>) => boolean = () => true) {
      return waitFor(async () =>
        received.find((m) => m.routingKey === key && match(m.envelope.data as Record<string, unknown>)),
      );
    },
    stop: () => subscription.cancel(),
  };
}

export interface FakeFile {
  tenantId: string;
  kind: 'image' | 'svg' | 'video' | 'audio' | 'font';
  mime: string;
  width?: number;
  height?: number;
  durationSeconds?: number;
  status?: 'ready' | 'deleting';
}

/**
 * The test's own stand-in for the file service's internal route: files the test puts in `files`,
 * visible only to their tenant, answered in the file service's shape.
 */
export function fakeFileService(files: Map<string, FakeFile>) {
  return defineService({
    name: 'file',
    setup: (ctx) => ({
      routes(app) {
        app.get('/internal/files/:id', async (req, reply) => {
          const principal = requireInternal(req, ctx.secret);
          const { id } = req.params as { id: string };
          const file = files.get(id);
          if (!file || (principal && principal.tenantId !== file.tenantId))
            return reply.code(404).send({ error: { code: 'not_found', message: 'The file was not found.' } });
          return {
            id,
            tenant_id: file.tenantId,
            purpose: 'project_asset',
            kind: file.kind,
            mime: file.mime,
            original_name: 'upload',
            size_bytes: 1000,
            content_hash: 'a'.repeat(64),
            blob_key: `uploads/${id}`,
            width: file.width ?? null,
            height: file.height ?? null,
            duration_seconds: file.durationSeconds ?? null,
            details: {},
            variants: [],
            status: file.status ?? 'ready',
            created_at: new Date().toISOString(),
          };
        });
      },
    }),
  });
}

/**
 * The test's own stand-in for content's internal template routes (the start-up fallback): versions
 * the test stored, answered in content's shape; `calls` counts the requests.
 */
export function fakeContentService(versions: Map<string, StoredTemplate>, calls: { count: number }) {
  return defineService({
    name: 'content',
    setup: (ctx) => ({
      routes(app) {
        app.get('/internal/templates/:id', async (req, reply) => {
          requireInternal(req, ctx.secret);
          calls.count++;
          const { id } = req.params as { id: string };
          const known = [...versions.values()].filter((v) => v.template_id === id);
          if (known.length === 0)
            return reply.code(404).send({ error: { code: 'not_found', message: 'Template not found.' } });
          const live = known.map((v) => v.version).sort((a, b) => a - b);
          return {
            template_id: id,
            slug: known[0]!.slug,
            visibility: 'public',
            current_version: live.at(-1),
            live_versions: live,
          };
        });
        app.get('/internal/templates/:id/versions/:version', async (req, reply) => {
          requireInternal(req, ctx.secret);
          calls.count++;
          const { id, version } = req.params as { id: string; version: string };
          const v = versions.get(`${id}@${version}`);
          if (!v)
            return reply.code(404).send({ error: { code: 'not_found', message: 'Version not found.' } });
          return {
            ...v,
            tenant_id: PLATFORM_TENANT_ID,
            visibility: 'public',
            engine: 1,
            fonts: [],
            assets: [],
            published_at: new Date().toISOString(),
            withdrawn_at: null,
            document: {},
          };
        });
      },
    }),
  });
}

/** Requests as a principal, JSON in and out. */
export function client(harness: ServiceHarness, principal: Principal) {
  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers = {},
  ) => {
    const res = await harness.app.inject({
      method,
      url,
      headers: { ...(await harness.authHeaders(principal)), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
  };
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => call('POST', url, body, headers),
    patch: (url: string, body: unknown, headers?: Record<string, string>) =>
      call('PATCH', url, body, headers),
    delete: (url: string, headers?: Record<string, string>) => call('DELETE', url, undefined, headers),
  };
}
