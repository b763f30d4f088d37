import { createHash, randomUUID } from 'node:crypto';
import {
  type Envelope,
  type EventKey,
  PLATFORM_TENANT_ID,
  type PlanLimits,
  validateMessage,
} from '@flatrender/contracts';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { parseTemplate, type TemplateInput } from '@flatrender/engine';
import { createFileService } from '@flatrender/file';
import { defineService, type Principal, requireInternal } from '@flatrender/platform';
import { type ServiceHarness, startServiceHarness } from '@flatrender/platform/testing';
import { sql } from 'kysely';
import { createRenderService } from '../src/index';

/** Settings that make leases, the reaper and progress fast enough for tests. */
export const FAST_RENDER_ENV = {
  RENDER_LEASE_SECONDS: '3',
  RENDER_NODE_TIMEOUT_SECONDS: '4',
  RENDER_REAPER_INTERVAL_MS: '250',
  RENDER_PROGRESS_INTERVAL_MS: '200',
  RENDER_CHUNK_SECONDS: '2',
  RENDER_SPLIT_ABOVE_SECONDS: '1',
};

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A preview clip content wants, as `GET /internal/previews/clips` lists it. */
export interface StandInClip {
  template_id: string;
  version: number;
  aspect: string;
  tenant_id: string;
  document_key: string;
  content_hash: string;
  requested_at: string;
}

/**
 * Content as render sees it: its template routes answer 404 (a template was never announced; the
 * tests publish every template they render as an event, like content does), and its preview clip
 * routes serve `pending` and record each clip render reports (then no longer wanted), unless
 * `refuseReports` makes content look down.
 */
export class ContentStandIn {
  pending: StandInClip[] = [];
  reports: { template_id: string; version: number; aspect: string; body: Record<string, unknown> }[] = [];
  clipLists = 0;
  refuseReports = false;

  /** Marks the clips of every aspect of a published template as wanted, as content's publish does. */
  want(template: PublishedTemplate, tenantId: string, aspects: string[]): void {
    for (const aspect of aspects)
      this.pending.push({
        template_id: template.template_id,
        version: template.version,
        aspect,
        tenant_id: tenantId,
        document_key: template.document_key,
        content_hash: template.content_hash,
        requested_at: new Date().toISOString(),
      });
  }

  service() {
    return defineService({
      name: 'content',
      setup: (ctx) => ({
        routes: (app) => {
          app.get('/internal/templates/*', async (req, reply) => {
            requireInternal(req, ctx.secret);
            return reply
              .code(404)
              .send({ error: { code: 'not_found', message: 'The template was not found.' } });
          });
          app.get('/internal/previews/clips', async (req) => {
            requireInternal(req, ctx.secret);
            this.clipLists++;
            const limit = Number((req.query as { limit?: string }).limit ?? 50);
            return { items: this.pending.slice(0, limit) };
          });
          app.put('/internal/templates/:id/versions/:version/previews/:aspect/clip', async (req, reply) => {
            requireInternal(req, ctx.secret);
            if (this.refuseReports)
              return reply.code(503).send({ error: { code: 'unavailable', message: 'Content is down.' } });
            const p = req.params as { id: string; version: string; aspect: string };
            const key = { template_id: p.id, version: Number(p.version), aspect: p.aspect };
            const index = this.pending.findIndex(
              (c) =>
                c.template_id === key.template_id && c.version === key.version && c.aspect === key.aspect,
            );
            if (index < 0)
              return reply.code(404).send({ error: { code: 'not_found', message: 'No such preview.' } });
            this.pending.splice(index, 1);
            this.reports.push({ ...key, body: req.body as Record<string, unknown> });
            return reply.code(204).send();
          });
        },
      }),
    });
  }
}

/** The file and render services (and content's stand-in) on real PostgreSQL, RabbitMQ and an S3 server. */
export async function startRenderHarness(
  env: Record<string, string> = {},
  content: ContentStandIn = new ContentStandIn(),
): Promise<ServiceHarness> {
  const renderEnv = { ...FAST_RENDER_ENV, ...env };
  return startServiceHarness({
    services: [content.service(), createFileService(), createRenderService({ env: renderEnv })],
    database: 'postgres',
    bus: 'rabbitmq',
    blobs: 's3',
    env: renderEnv,
  });
}

export function renderDb(harness: ServiceHarness) {
  const started = harness.started.find((s) => s.definition.name === 'render');
  if (!started?.context.db) throw new Error('render is not running');
  return started.context.db;
}

/** Rows of a render table, seen by the system (tests look behind the API). */
export async function rows<T = Record<string, unknown>>(
  harness: ServiceHarness,
  query: string,
): Promise<T[]> {
  const { rows: found } = await renderDb(harness).asSystem((tx) => sql.raw<T>(query).execute(tx));
  return found;
}

/**
 * A short template (two scenes, no images) with small sizes so test renders take a second: 320×180
 * at 16:9, 12 fps, 4.5 s by default (scene lengths within the blocks' bounds: 2-10 s and 2.5-10 s).
 */
export function tinyTemplate(intro = 2, end = 2.5, id = 'render-test'): TemplateInput {
  return {
    id,
    engine: 1,
    mode: 'fixed',
    fps: 12,
    title: { fa: 'آزمون رندر', en: 'Render test' },
    aspects: { '16:9': [320, 180], '9:16': [180, 320] },
    fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
    palette: {
      background: '#0f1222',
      surface: '#1c2038',
      primary: { field: 'brand' },
      accent: '#ffb547',
      text: '#ffffff',
      muted: '#9aa3c0',
    },
    fields: { brand: { type: 'color', default: '#e94560' } },
    scenes: [
      {
        id: 'intro',
        block: 'title-card',
        duration: { default: intro, min: 2, max: 10 },
        fields: { title: { type: 'text', maxLength: 40, default: { fa: 'سلام', en: 'Hello' } } },
        props: { title: { field: 'intro.title' } },
      },
      {
        id: 'end',
        block: 'outro',
        duration: { default: end, min: 2.5, max: 10 },
        fields: { headline: { type: 'text', maxLength: 30, default: { fa: 'ممنون', en: 'Thanks' } } },
        props: { headline: { field: 'end.headline' } },
      },
    ],
    transition: { type: 'none', duration: 0 },
  } as unknown as TemplateInput;
}

export interface PublishedTemplate {
  template_id: string;
  version: number;
  document_key: string;
  content_hash: string;
}

/** Stores a template document as content does and announces it; waits until render recorded it. */
export async function publishTemplate(
  harness: ServiceHarness,
  doc: TemplateInput,
  options: { ownerTenant?: string; templateId?: string } = {},
): Promise<PublishedTemplate> {
  const template = parseTemplate(doc);
  const bytes = Buffer.from(JSON.stringify(doc));
  const hash = createHash('sha256').update(bytes).digest('hex');
  const key = `content/templates/${hash}.json`;
  await harness.blobs.put(key, bytes, { contentType: 'application/json' });
  const templateId = options.templateId ?? randomUUID();
  await harness.bus.publish(
    sampleEnvelope('content.template.published.v1', {
      tenant_id: options.ownerTenant ?? PLATFORM_TENANT_ID,
      producer: 'content',
      data: {
        template_id: templateId,
        slug: template.id,
        version: 1,
        title: { fa: 'آزمون', en: 'Test' },
        visibility: options.ownerTenant ? 'tenant' : 'public',
        engine: 1,
        mode: template.mode,
        fps: template.fps,
        aspects: Object.keys(template.aspects) as ('16:9' | '9:16')[],
        document_key: key,
        content_hash: hash,
        size_bytes: bytes.length,
        fonts: [],
        assets: [],
        published_at: new Date().toISOString(),
      },
    }),
  );
  await waitFor(
    async () =>
      (await rows(harness, `select 1 from template_version where template_id = '${templateId}'`)).length >
        0 || undefined,
    15_000,
    'template recorded',
  );
  return { template_id: templateId, version: 1, document_key: key, content_hash: hash };
}

/** Gives a tenant a plan as identity would (identity.plan.activated.v1), and waits for render to apply it. */
export async function setPlan(
  harness: ServiceHarness,
  tenantId: string,
  limits: Partial<PlanLimits>,
  code = 'test',
): Promise<void> {
  const envelope = sampleEnvelope('identity.plan.activated.v1', {
    tenant_id: tenantId,
    producer: 'identity',
  });
  const base = envelope.data.plan.limits;
  const effective = new Date().toISOString();
  await harness.bus.publish({
    ...envelope,
    data: {
      ...envelope.data,
      tenant_id: tenantId,
      plan: { code, name: { fa: 'آزمون', en: 'Test' }, limits: { ...base, ...limits } },
      effective_at: effective,
    },
  } as Envelope);
  await waitFor(
    async () =>
      (
        await rows<{ effective_at: Date }>(
          harness,
          `select effective_at from tenant_plan where tenant_id = '${tenantId}' and plan_code = '${code}'`,
        )
      ).length > 0 || undefined,
    15_000,
    'plan applied',
  );
}

/** Limits generous enough for any test render. */
export const ROOMY: Partial<PlanLimits> = {
  render_queue: 'paid',
  priority: 5,
  max_concurrent_jobs: 10,
  monthly_render_seconds: 10_000,
  max_video_seconds: 600,
  max_short_side_px: 2160,
  max_fps: 60,
  formats: ['mp4', 'webm', 'gif', 'png', 'jpg'],
  watermark: false,
};

/** JSON requests as a principal. */
export function client(harness: ServiceHarness, principal: Principal) {
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await harness.app.inject({
      method,
      url,
      headers: { ...(await harness.authHeaders(principal)), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected freely.
    return { status: res.statusCode, body: (res.body ? res.json() : undefined) as any, headers: res.headers };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => call('POST', url, body, headers),
  };
}

export interface EventRecorder {
  received: { routingKey: string; envelope: Envelope; valid: boolean; error?: string }[];
  next(
    key: EventKey,
    match?: (data: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Envelope>;
  all(key: EventKey, match?: (data: Record<string, unknown>) => boolean): Envelope[];
  stop(): Promise<void>;
}

/** Every message of `keys` on the bus while the test runs, each checked against the catalog. */
export async function recordEvents(harness: ServiceHarness, keys: readonly string[]): Promise<EventRecorder> {
  const received: EventRecorder['received'] = [];
  const subscription = await harness.bus.subscribe(
    { queue: `test.render.${randomUUID()}`, bindings: keys, transient: true },
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
  const matching = (key: EventKey, match?: (data: Record<string, unknown>) => boolean) =>
    received.filter(
      (m) => m.routingKey === key && (!match || match(m.envelope.data as Record<string, unknown>)),
    );
  return {
    received,
    async next(key, match, timeoutMs = 30_000) {
      const found = await waitFor(() => matching(key, match)[0], timeoutMs, key);
      return found.envelope;
    },
    all: (key, match) => matching(key, match).map((m) => m.envelope),
    stop: () => subscription.cancel(),
  };
}
