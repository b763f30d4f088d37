import { randomUUID } from 'node:crypto';
import type { Locale, PlanLimits } from '@flatrender/contracts';
import type { Aspect, FieldValues } from '@flatrender/engine';
import {
  type BlobStore,
  conflict,
  forbidden,
  HttpError,
  type Logger,
  notFound,
  type Principal,
  type ScopedDatabase,
  type ServiceContext,
} from '@flatrender/platform';
import { sql } from 'kysely';
import type { Dispatcher } from './dispatcher';
import { planChunks } from './domain/chunk-plan';
import type { JobSpec, MockupJobSpec, VoiceoverJobSpec } from './domain/job-spec';
import type { OutputRequest } from './domain/output-spec';
import { isPreviewClip } from './domain/preview-clip';
import { allowanceCovers, billedSeconds, periodOf, type Quote, quoteFor } from './domain/quote';
import { standingOf, type TenantStanding } from './domain/tenant-plan';
import type { ItemRepository } from './item.repository';
import type { JobRepository } from './job.repository';
import { type CancelReason, type JobLifecycle, routeOf, templateOf } from './job-lifecycle';
import type { JobPlanner, PlannedTemplateJob } from './job-planner';
import type { PeerServices } from './peer-services';
import type { RenderConfig } from './render.config';
import type { JobRow, RenderDb, RenderTx } from './render.db';
import type { SnapshotRepository } from './snapshot.repository';
import type { TemplateSource } from './template-source';
import type { TenantPlanRepository } from './tenant-plan.repository';
import type { UsageRepository } from './usage.repository';

export interface RenderRequest {
  project_id?: string | undefined;
  template_id?: string | undefined;
  template_version?: number | undefined;
  modifications?: Record<string, unknown> | undefined;
  durations?: Record<string, number> | undefined;
  scenes?: { id: string; block?: string | undefined }[] | undefined;
  aspect?: Aspect | undefined;
  locale?: Locale | undefined;
  output: OutputRequest & { time?: number | undefined };
  webhook_url?: string | null | undefined;
  metadata?: Record<string, string | number | boolean | null> | null | undefined;
}

export interface CreateOptions {
  source: 'studio' | 'api';
  /** Batches accept jobs beyond the concurrency limit and hold them until a slot frees. */
  holdOverLimit?: boolean;
  batch?: { id: string; row: number };
  retryOf?: string;
  /** Body path of the values (messages name it). */
  valuesPath?: string;
}

export interface AcceptedJob {
  job: JobRow;
  quote: Quote;
  cached: boolean;
}

/** A job ready to be inserted: planned and priced, not yet checked against the tenant's limits. */
interface PreparedJob {
  principal: Principal;
  request: RenderRequest;
  plan: PlannedTemplateJob;
  standing: TenantStanding;
  projectId: string | null;
  projectRevision: number | null;
  aspect: Aspect;
  quote: Quote;
  options: CreateOptions;
}

const lockTenant = (tx: RenderTx, tenantId: string) =>
  sql`select pg_advisory_xact_lock(hashtext(${`render.tenant.${tenantId}`}))`.execute(tx);

/**
 * Accepting, cancelling and retrying render jobs. Everything a job could be refused for is checked
 * before anything is queued (suspension 403, values 422, concurrency 429, allowance 402); the job,
 * its work items, their dispatch and `render.job.queued.v1` then commit in one transaction.
 */
export class JobService {
  constructor(
    private readonly deps: {
      ctx: ServiceContext;
      db: ScopedDatabase<RenderDb>;
      config: RenderConfig;
      jobs: JobRepository;
      items: ItemRepository;
      snapshots: SnapshotRepository;
      plans: TenantPlanRepository;
      usage: UsageRepository;
      templates: TemplateSource;
      planner: JobPlanner;
      dispatcher: Dispatcher;
      lifecycle: JobLifecycle;
      peers: PeerServices;
      blobs: BlobStore;
      logger: Logger;
    },
  ) {}

  /** The tenant's plan and suspension; a suspension identity has since lifted is forgotten. */
  async standing(tenantId: string): Promise<TenantStanding> {
    const { db, plans, peers } = this.deps;
    const row = await db.withTenant(tenantId, (tx) => plans.find(tx, tenantId));
    const standing = standingOf(row, new Date());
    if (standing.suspended && !(await peers.stillSuspended(tenantId))) {
      await db.withTenant(tenantId, (tx) => plans.lift(tx, tenantId));
      return { ...standing, suspended: false };
    }
    return standing;
  }

  async assertActive(tenantId: string): Promise<TenantStanding> {
    const standing = await this.standing(tenantId);
    if (standing.suspended)
      throw forbidden(
        'This team is suspended; rendering is refused until the suspension ends.',
        'tenant_suspended',
      );
    return standing;
  }

  async create(principal: Principal, request: RenderRequest, options: CreateOptions): Promise<AcceptedJob> {
    const standing = await this.assertActive(principal.tenantId);
    const prepared = await this.prepare(principal, request, standing, options);
    const cached = await this.fromCache(prepared);
    if (cached) return cached;
    const [accepted] = await this.insertAll([prepared]);
    if (!accepted) throw new Error('no job inserted');
    return accepted;
  }

  /** Many jobs of one request: each row planned and checked; all are queued or none. */
  async createMany(
    principal: Principal,
    requests: RenderRequest[],
    options: CreateOptions & { batch: { id: string; row: number } },
  ): Promise<{ accepted: AcceptedJob[]; problems: { row: number; error: HttpError }[] }> {
    const standing = await this.assertActive(principal.tenantId);
    const prepared: PreparedJob[] = [];
    const problems: { row: number; error: HttpError }[] = [];
    for (const [row, request] of requests.entries()) {
      try {
        prepared.push(
          await this.prepare(principal, request, standing, {
            ...options,
            batch: { id: options.batch.id, row },
            valuesPath: `rows[${row}].modifications`,
          }),
        );
      } catch (error) {
        // Only a row's own problems are reported by row; an unreachable service is everyone's.
        if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
        problems.push({ row, error });
      }
    }
    if (problems.length > 0) return { accepted: [], problems };
    return { accepted: await this.insertAll(prepared), problems };
  }

  async createMockup(
    principal: Principal,
    input: Omit<MockupJobSpec, 'kind' | 'image'> & { file_id: string },
  ) {
    const standing = await this.assertActive(principal.tenantId);
    const file = await this.deps.peers.file(principal, input.file_id);
    if (!file)
      throw new HttpError(
        422,
        'file_missing',
        `field "file_id": the uploaded file ${input.file_id} does not exist`,
        'file_id',
      );
    if (file.kind !== 'image' || !file.width || !file.height)
      throw new HttpError(
        422,
        'file_wrong_type',
        `field "file_id": file ${input.file_id} is ${file.mime}, not an image`,
        'file_id',
      );
    if (!standing.limits.formats.includes(input.format))
      throw new HttpError(
        422,
        'plan_limit',
        `field "format": your plan renders ${standing.limits.formats.join(', ')}`,
        'format',
      );
    const spec: MockupJobSpec = {
      kind: 'mockup',
      image: {
        file_id: file.id,
        content_hash: file.content_hash,
        blob_key: file.blob_key,
        mime: file.mime,
        width: file.width,
        height: file.height,
      },
      mockup: input.mockup,
      format: input.format,
      width: input.width,
    };
    return this.insertSimple(principal, standing, 'mockup', spec, {
      format: input.format,
      width: input.width,
      height: null,
    });
  }

  async createVoiceover(principal: Principal, input: Omit<VoiceoverJobSpec, 'kind'>) {
    const standing = await this.assertActive(principal.tenantId);
    const spec: VoiceoverJobSpec = { kind: 'voiceover', ...input };
    return this.insertSimple(principal, standing, 'voiceover', spec, {
      format: input.format,
      width: null,
      height: null,
    });
  }

  async cancel(principal: Principal, id: string, reason: CancelReason = 'user'): Promise<JobRow> {
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      const job = await this.deps.jobs.find(tx, id, { forUpdate: true });
      // A preview clip is the platform's job, not the tenant's, even on the tenant's rows.
      if (!job || isPreviewClip(job)) throw notFound('The render', 'render_not_found');
      if (job.status !== 'queued' && job.status !== 'rendering')
        throw conflict('render_finished', `The render is already ${job.status}; there is nothing to cancel.`);
      return this.deps.lifecycle.cancel(tx, job, reason, principal.userId);
    });
  }

  /** A failed (or cancelled) job rendered again as a new job with the same plan. */
  async retry(principal: Principal, id: string): Promise<AcceptedJob> {
    const old = await this.deps.db.withTenant(principal.tenantId, (tx) => this.deps.jobs.find(tx, id));
    if (!old || isPreviewClip(old)) throw notFound('The render', 'render_not_found');
    if (old.status !== 'failed' && old.status !== 'cancelled')
      throw conflict(
        'render_not_failed',
        `Only failed or cancelled renders can be retried; this one is ${old.status}.`,
      );
    const standing = await this.assertActive(principal.tenantId);
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      await lockTenant(tx, principal.tenantId);
      const quote = this.quoteOf(old.quote_seconds, standing.limits);
      await this.checkLimits(tx, principal.tenantId, standing, [quote.render_seconds], false);
      const job = await this.deps.jobs.insert(tx, {
        ...this.copyForRetry(old, principal, standing, quote),
      });
      await this.dispatchItems(tx, job, old.spec, standing.limits, false);
      await this.emitQueued(tx, job);
      return { job, quote, cached: false };
    });
  }

  private copyForRetry(old: JobRow, principal: Principal, standing: TenantStanding, quote: Quote) {
    const route = routeOf(standing.limits, old.kind);
    return {
      id: randomUUID(),
      tenant_id: principal.tenantId,
      user_id: principal.userId,
      kind: old.kind,
      source: old.source,
      status: 'queued' as const,
      project_id: old.project_id,
      project_revision: old.project_revision,
      template_id: old.template_id,
      template_version: old.template_version,
      aspect: old.aspect,
      locale: old.locale,
      format: old.format,
      width: old.width,
      height: old.height,
      fps: old.fps,
      quality: old.quality,
      frame_count: old.frame_count,
      duration_seconds: old.duration_seconds,
      chunk_count: old.chunk_count,
      queue: route.queue,
      priority: route.priority,
      watermark: standing.limits.watermark,
      spec: JSON.stringify(old.spec),
      cache_key: old.cache_key,
      period: quote.period,
      quote_seconds: quote.render_seconds,
      quote_cost: quote.cost,
      webhook_url: old.webhook_url,
      metadata: old.metadata === null ? null : JSON.stringify(old.metadata),
      retry_of: old.id,
    };
  }

  private quoteOf(seconds: number, limits: PlanLimits): Quote {
    return quoteFor(seconds, limits, this.deps.config.secondPrice, new Date());
  }

  private async prepare(
    principal: Principal,
    request: RenderRequest,
    standing: TenantStanding,
    options: CreateOptions,
  ): Promise<PreparedJob> {
    const { templates, peers, planner } = this.deps;
    let values: FieldValues;
    let loaded: Awaited<ReturnType<TemplateSource['forNewJob']>>;
    let aspect: Aspect;
    let locale: Locale;
    let projectId: string | null = null;
    let projectRevision: number | null = null;
    if (request.project_id) {
      const view = await peers.project(principal, request.project_id);
      loaded = await templates.forNewJob(principal, view.template.template_id, view.template.version);
      values = {
        ...(view.values.fields ? { fields: view.values.fields } : {}),
        ...(view.values.durations ? { durations: view.values.durations } : {}),
        ...(view.values.scenes ? { scenes: view.values.scenes } : {}),
      };
      aspect = request.aspect ?? view.project.aspect;
      locale = request.locale ?? view.project.locale;
      projectId = view.project.id;
      projectRevision = view.project.revision;
    } else {
      if (!request.template_id)
        throw new HttpError(
          400,
          'invalid_request',
          'body field "template_id" or "project_id" is required',
          'template_id',
        );
      loaded = await templates.forNewJob(principal, request.template_id, request.template_version);
      values = {
        ...(request.modifications ? { fields: request.modifications } : {}),
        ...(request.durations ? { durations: request.durations } : {}),
        ...(request.scenes
          ? { scenes: request.scenes.map((s) => (s.block ? { id: s.id, block: s.block } : { id: s.id })) }
          : {}),
      };
      aspect = request.aspect ?? (Object.keys(loaded.template.aspects)[0] as Aspect);
      locale = request.locale ?? loaded.template.locales[0] ?? 'fa';
    }
    const plan = await planner.planTemplate({
      principal,
      loaded,
      values,
      aspect,
      locale,
      output: request.output,
      time: request.output.time,
      limits: standing.limits,
      watermark: standing.limits.watermark,
      valuesPath: options.valuesPath ?? 'modifications',
    });
    const seconds = billedSeconds(plan.duration, this.deps.config.stillSeconds);
    return {
      principal,
      request,
      plan,
      standing,
      projectId,
      projectRevision,
      aspect,
      quote: this.quoteOf(seconds, standing.limits),
      options,
    };
  }

  /**
   * An identical earlier output (same cache key) whose file still exists completes the job at once:
   * nothing is rendered and nothing is billed.
   */
  private async fromCache(p: PreparedJob): Promise<AcceptedJob | undefined> {
    const { db, jobs, blobs, peers, lifecycle } = this.deps;
    const tenantId = p.principal.tenantId;
    const hit = await db.withTenant(tenantId, (tx) => jobs.findCached(tx, tenantId, p.plan.cacheKey));
    if (!hit?.output) return undefined;
    const [blob, file] = await Promise.all([
      blobs.head(hit.output.blob_key),
      peers.file(p.principal, hit.output.file_id).catch(() => null),
    ]);
    if (!blob || blob.size !== hit.output.size_bytes || !file) {
      await db.withTenant(tenantId, (tx) => jobs.forgetCache(tx, hit.id));
      return undefined;
    }
    const output = hit.output;
    return db.withTenant(tenantId, async (tx) => {
      const row = await jobs.insert(tx, { ...this.row(p, 0), from_cache: true });
      await this.emitQueued(tx, row);
      const job = await lifecycle.complete(tx, row, output, { fromCache: true });
      return { job, quote: p.quote, cached: true };
    });
  }

  private async insertAll(prepared: PreparedJob[]): Promise<AcceptedJob[]> {
    const first = prepared[0];
    if (!first) return [];
    const { tenantId } = first.principal;
    const standing = first.standing;
    return this.deps.db.withTenant(tenantId, async (tx) => {
      await lockTenant(tx, tenantId);
      const hold = first.options.holdOverLimit === true;
      await this.checkLimits(
        tx,
        tenantId,
        standing,
        prepared.map((p) => p.quote.render_seconds),
        hold,
      );
      let running = await this.deps.jobs.runningCount(tx, tenantId);
      const accepted: AcceptedJob[] = [];
      for (const p of prepared) {
        const held = running >= standing.limits.max_concurrent_jobs;
        if (!held) running++;
        const job = await this.deps.jobs.insert(tx, { ...this.row(p, 0), held });
        await this.dispatchItems(tx, job, p.plan.spec, standing.limits, held);
        await this.emitQueued(tx, job);
        accepted.push({ job, quote: p.quote, cached: false });
      }
      return accepted;
    });
  }

  private async checkLimits(
    tx: RenderTx,
    tenantId: string,
    standing: TenantStanding,
    seconds: number[],
    hold: boolean,
  ): Promise<void> {
    const { limits } = standing;
    if (!hold) {
      const active = await this.deps.jobs.activeCount(tx, tenantId);
      if (active + seconds.length > limits.max_concurrent_jobs)
        throw new HttpError(
          429,
          'concurrency_limit',
          `Your plan renders ${limits.max_concurrent_jobs} job(s) at a time and ${active} are queued or rendering; wait for one to finish.`,
          undefined,
          { limit: limits.max_concurrent_jobs, active },
        );
    }
    const period = periodOf(new Date());
    const wanted = seconds.reduce((a, b) => a + b, 0);
    const allowance = {
      period,
      limit: limits.monthly_render_seconds,
      used: await this.deps.usage.total(tx, tenantId, period, 'render_seconds'),
      reserved: await this.deps.jobs.reservedSeconds(tx, tenantId, period),
    };
    if (!allowanceCovers(allowance, wanted)) {
      const left = Math.max(0, (allowance.limit ?? 0) - allowance.used - allowance.reserved);
      throw new HttpError(
        402,
        'insufficient_allowance',
        `This render needs ${wanted} s but ${left} s of this month's ${allowance.limit} s are left; upgrade your plan or wait for next month.`,
        undefined,
        { ...allowance, needed: wanted, left },
      );
    }
  }

  private row(p: PreparedJob, _index: number) {
    const { plan, standing, principal, request } = p;
    const route = routeOf(standing.limits, plan.kind);
    const chunks = plan.kind === 'video' ? this.chunksOf(plan) : [[0, 1]];
    return {
      id: randomUUID(),
      tenant_id: principal.tenantId,
      user_id: principal.userId,
      kind: plan.kind,
      source: p.options.source,
      status: 'queued' as const,
      project_id: p.projectId,
      project_revision: p.projectRevision,
      template_id: plan.spec.template.template_id,
      template_version: plan.spec.template.version,
      aspect: p.aspect,
      locale: plan.spec.locale,
      format: plan.output.format,
      width: plan.output.width,
      height: plan.output.height,
      fps: plan.kind === 'video' ? plan.output.fps : null,
      quality: plan.output.quality,
      frame_count: plan.kind === 'video' ? plan.composition.frameCount : 1,
      duration_seconds: plan.duration,
      chunk_count: chunks.length,
      queue: route.queue,
      priority: route.priority,
      watermark: standing.limits.watermark,
      spec: JSON.stringify(plan.spec),
      cache_key: plan.cacheKey,
      period: p.quote.period,
      quote_seconds: p.quote.render_seconds,
      quote_cost: p.quote.cost,
      webhook_url: request.webhook_url ?? null,
      metadata: request.metadata ? JSON.stringify(request.metadata) : null,
      batch_id: p.options.batch?.id ?? null,
      batch_row: p.options.batch?.row ?? null,
      retry_of: p.options.retryOf ?? null,
    };
  }

  private chunksOf(plan: PlannedTemplateJob): [number, number][] {
    const { config } = this.deps;
    return planChunks(
      plan.composition.frameCount,
      plan.composition.fps,
      {
        chunkSeconds: config.chunkSeconds,
        splitAboveSeconds: config.splitAboveSeconds,
        maxChunks: config.maxChunks,
      },
      plan.output.format !== 'gif',
    );
  }

  /** The job's work items (chunks, or its one item) and, for a video, its free snapshot. */
  private async dispatchItems(
    tx: RenderTx,
    job: JobRow,
    spec: JobSpec,
    limits: PlanLimits,
    held: boolean,
  ): Promise<void> {
    const { dispatcher, config } = this.deps;
    const route = { queue: job.queue as ReturnType<typeof routeOf>['queue'], priority: job.priority };
    const owner = { kind: 'job' as const, job };
    if (job.kind === 'video' && spec.kind === 'template') {
      const chunks =
        job.chunk_count === 1
          ? [[0, job.frame_count ?? 1] as [number, number]]
          : planChunks(
              job.frame_count ?? 1,
              job.fps ?? 30,
              {
                chunkSeconds: config.chunkSeconds,
                splitAboveSeconds: config.splitAboveSeconds,
                maxChunks: config.maxChunks,
              },
              job.format !== 'gif',
            );
      for (const [index, frames] of chunks.entries())
        await dispatcher.create(tx, owner, { id: randomUUID(), kind: 'chunk', index, frames }, route, held);
      if (config.freeSnapshot) await this.freeSnapshot(tx, job, spec, limits);
      return;
    }
    const kind = job.kind === 'image' ? 'still' : job.kind === 'mockup' ? 'mockup' : 'voiceover';
    await dispatcher.create(tx, owner, { id: job.id, kind, index: 0 }, route, held);
  }

  /** Every video gets a still of its first scene, rendered first (snapshot queue), free of charge. */
  private async freeSnapshot(tx: RenderTx, job: JobRow, spec: JobSpec, limits: PlanLimits): Promise<void> {
    if (spec.kind !== 'template' || !job.template_id || !job.template_version || !job.aspect) return;
    const first = spec.scenes[0];
    const time = first ? Math.min(first.duration_seconds / 2, 1.5) : 0;
    const snapshot = await this.deps.snapshots.insert(tx, {
      id: randomUUID(),
      tenant_id: job.tenant_id,
      user_id: job.user_id,
      source: 'job',
      job_id: job.id,
      project_id: job.project_id,
      project_revision: job.project_revision,
      template_id: job.template_id,
      template_version: job.template_version,
      aspect: job.aspect,
      time_seconds: time,
      format: 'jpg',
      width: job.width ?? 1,
      height: job.height ?? 1,
      watermark: job.watermark,
      spec: JSON.stringify({ ...spec, time_seconds: time }),
      status: 'queued',
    });
    if (!snapshot) return;
    await this.deps.jobs.update(tx, job.id, { snapshot_id: snapshot.id });
    await this.deps.dispatcher.create(
      tx,
      { kind: 'snapshot', snapshot },
      { id: snapshot.id, kind: 'still', index: 0 },
      { queue: 'render.queue.snapshot', priority: limits.priority },
    );
  }

  private async insertSimple(
    principal: Principal,
    standing: TenantStanding,
    kind: 'mockup' | 'voiceover',
    spec: JobSpec,
    shape: { format: string; width: number | null; height: number | null },
  ): Promise<AcceptedJob> {
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      await lockTenant(tx, principal.tenantId);
      const quote = this.quoteOf(0, standing.limits);
      await this.checkLimits(tx, principal.tenantId, standing, [0], false);
      const route = routeOf(standing.limits, kind);
      const job = await this.deps.jobs.insert(tx, {
        id: randomUUID(),
        tenant_id: principal.tenantId,
        user_id: principal.userId,
        kind,
        source: 'api',
        status: 'queued',
        format: shape.format,
        width: shape.width,
        height: shape.height,
        quality: 'standard',
        chunk_count: 1,
        queue: route.queue,
        priority: route.priority,
        watermark: false,
        spec: JSON.stringify(spec),
        period: quote.period,
        quote_seconds: 0,
        quote_cost: 0,
      });
      await this.dispatchItems(tx, job, spec, standing.limits, false);
      await this.emitQueued(tx, job);
      return { job, quote, cached: false };
    });
  }

  private async emitQueued(tx: RenderTx, job: JobRow): Promise<void> {
    await this.deps.ctx.emit(
      tx,
      'render.job.queued.v1',
      {
        job_id: job.id,
        kind: job.kind,
        project_id: job.project_id,
        template: templateOf(job),
        aspect: job.aspect,
        format: job.format as 'mp4',
        width: job.width,
        height: job.height,
        fps: job.fps,
        quality: job.quality,
        duration_seconds: job.duration_seconds,
        frame_count: job.kind === 'voiceover' ? null : job.frame_count,
        chunk_count: job.chunk_count,
        queue: job.queue as 'render.queue.paid',
        priority: job.priority,
        source: job.source,
        queued_at: job.queued_at.toISOString(),
      },
      { tenantId: job.tenant_id, userId: job.user_id },
    );
  }
}
