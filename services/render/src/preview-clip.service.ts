import { randomUUID } from 'node:crypto';
import { type Locale, SYSTEM_USER_ID } from '@flatrender/contracts';
import type { Aspect } from '@flatrender/engine';
import { HttpError, type Logger, type Principal, type ScopedDatabase } from '@flatrender/platform';
import type { Dispatcher } from './dispatcher';
import { planChunks } from './domain/chunk-plan';
import type { TemplateJobSpec } from './domain/job-spec';
import {
  PREVIEW_CLIP_LIMITS,
  PREVIEW_CLIP_MAX_ATTEMPTS,
  PREVIEW_CLIP_PRIORITY,
  previewClipFrames,
  previewClipSize,
} from './domain/preview-clip';
import { periodOf } from './domain/quote';
import type { JobRepository } from './job.repository';
import type { JobService } from './job.service';
import type { JobPlanner } from './job-planner';
import type { PeerServices, PendingClip } from './peer-services';
import type { RenderConfig } from './render.config';
import type { JobRow, RenderDb } from './render.db';
import { SerialRun } from './serial-run';
import type { TemplateSource } from './template-source';

/** Clips asked of content per sweep (content answers at most 500). */
const PAGE = 200;
/** Completed clips reported per sweep. */
const REPORT_BATCH = 50;

type ClipKey = Pick<PendingClip, 'template_id' | 'version' | 'aspect'>;

const keyOf = (clip: ClipKey) => `${clip.template_id}/${clip.version}/${clip.aspect}`;

/**
 * Gallery preview clips (docs/services/content.md, *Previews*). Content records a wanted clip per
 * published version and aspect; this service asks it which are still wanted (after every
 * `content.template.published.v1`, at start and every `RENDER_PREVIEW_SWEEP_SECONDS`, so a missed event
 * or a crash loses nothing) and renders each as an ordinary video job on `render.queue.preview` at the
 * lowest priority: the opening seconds with the version's defaults, long side 480 px, draft quality,
 * MP4 without audio. The job is owned by the template's tenant (the nil tenant for the platform's
 * catalogue) but marked `preview_clip`: no quote, usage, plan limit, tenant list or user-facing
 * event applies to it. When it completes, the clip is reported to content; an unanswered report stays
 * owed (`clip_reported_at` null) and the next sweep makes it again.
 */
export class PreviewClipService {
  private readonly rounds = new SerialRun(
    () => this.sweep(),
    (error) => this.deps.logger.error({ err: error }, 'preview clip sweep failed'),
  );
  private timer: NodeJS.Timeout | undefined;
  /**
   * Versions whose plan was refused (a font not announced yet, a document render cannot read), by key:
   * tried again on later sweeps, but not for ever, and without a job row since nothing was queued.
   */
  private readonly refused = new Map<string, number>();

  constructor(
    private readonly deps: {
      db: ScopedDatabase<RenderDb>;
      config: RenderConfig;
      jobs: JobRepository;
      service: JobService;
      templates: TemplateSource;
      planner: JobPlanner;
      dispatcher: Dispatcher;
      peers: PeerServices;
      logger: Logger;
    },
  ) {}

  start(): void {
    if (!this.deps.config.previewClips) return;
    this.kick();
    this.timer = setInterval(() => this.kick(), this.deps.config.previewSweepSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /** Sweeps now (a version was published, or the timer); sweeps never overlap in a process. */
  kick(): void {
    if (this.deps.config.previewClips) this.rounds.kick();
  }

  idle(): Promise<void> {
    return this.rounds.idle();
  }

  /** A preview job completed (its transaction committed): content hears of the clip at once. */
  completed(jobId: string): void {
    void (async () => {
      const job = await this.deps.db.asSystem((tx) => this.deps.jobs.find(tx, jobId));
      if (job) await this.report(job);
    })().catch((error) => this.deps.logger.warn({ err: error, jobId }, 'preview clip not reported'));
  }

  private async sweep(): Promise<void> {
    const { db, jobs, peers, logger } = this.deps;
    for (const job of await db.asSystem((tx) => jobs.unreportedClips(tx, REPORT_BATCH)))
      await this.report(job);
    let wanted: PendingClip[];
    try {
      wanted = await peers.pendingClips(PAGE);
    } catch (error) {
      logger.warn(
        { err: error, nextSweepSeconds: this.deps.config.previewSweepSeconds },
        'content did not say which preview clips are wanted; asked again at the next sweep',
      );
      return;
    }
    for (const clip of wanted) {
      try {
        await this.ensure(clip);
      } catch (error) {
        logger.warn({ err: error, clip: keyOf(clip) }, 'preview clip job not created; tried again later');
      }
    }
  }

  /** A job for a clip content still wants, unless one is live, finished or failed too often. */
  private async ensure(clip: PendingClip): Promise<void> {
    const { db, jobs } = this.deps;
    const existing = await db.asSystem((tx) => jobs.previewJobs(tx, clip));
    const finished = existing.find((j) => j.status === 'completed');
    // Content still lists it: the report was lost (or content forgot it); the clip exists, so say it again.
    if (finished) return void (await this.report(finished));
    if (existing.some((j) => j.status === 'queued' || j.status === 'rendering')) return;
    if (existing.length >= PREVIEW_CLIP_MAX_ATTEMPTS) return;
    if ((this.refused.get(keyOf(clip)) ?? 0) >= PREVIEW_CLIP_MAX_ATTEMPTS) return;
    // A suspended tenant's work stops, its gallery clips included.
    if ((await this.deps.service.standing(clip.tenant_id)).suspended) return;
    try {
      await this.create(clip);
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode >= 500) throw error;
      this.refused.set(keyOf(clip), (this.refused.get(keyOf(clip)) ?? 0) + 1);
      this.deps.logger.warn(
        { clip: keyOf(clip), code: error.code, details: error.details },
        `preview clip refused: ${error.message}`,
      );
    }
  }

  private async create(clip: PendingClip): Promise<void> {
    const { templates, planner, jobs, db } = this.deps;
    const loaded = await templates.forSystem(clip.tenant_id, clip.template_id, clip.version);
    // Gone or withdrawn: nobody browses it in the gallery any more.
    if (!loaded || loaded.version.withdrawn_at) return;
    const aspect = clip.aspect as Aspect;
    const { template } = loaded;
    // The gallery's poster is drawn in Persian when the template speaks it; the clip plays over it.
    const locale: Locale = template.locales.includes('fa') ? 'fa' : (template.locales[0] ?? 'fa');
    const principal: Principal = {
      kind: 'user',
      userId: SYSTEM_USER_ID,
      tenantId: clip.tenant_id,
      role: 'viewer',
      scopes: ['templates:read'],
      platformAdmin: false,
    };
    // Planned like any render (values, fonts, fitting checked), then cut to the clip's size and length.
    const plan = await planner.planTemplate({
      principal,
      loaded,
      values: {},
      aspect,
      locale,
      output: { format: 'mp4', quality: 'draft' },
      limits: PREVIEW_CLIP_LIMITS,
      watermark: false,
      valuesPath: 'defaults',
    });
    const { composition } = plan;
    const size = previewClipSize({ width: composition.width, height: composition.height });
    const frames = previewClipFrames(composition.frameCount, composition.fps);
    const ranges = planChunks(frames, composition.fps, {
      chunkSeconds: this.deps.config.chunkSeconds,
      splitAboveSeconds: this.deps.config.splitAboveSeconds,
      maxChunks: this.deps.config.maxChunks,
    });
    // Muted: the gallery plays clips on hover, and a clip of the opening seconds would cut the music.
    const spec: TemplateJobSpec = { ...plan.spec, audio: [] };
    const route = { queue: 'render.queue.preview' as const, priority: PREVIEW_CLIP_PRIORITY };
    const job = await db.asSystem(async (tx) => {
      const inserted = await jobs.insertPreview(tx, {
        id: randomUUID(),
        tenant_id: clip.tenant_id,
        user_id: SYSTEM_USER_ID,
        kind: 'video',
        source: 'api',
        status: 'queued',
        template_id: clip.template_id,
        template_version: clip.version,
        aspect: clip.aspect,
        locale,
        format: 'mp4',
        width: size.width,
        height: size.height,
        fps: composition.fps,
        quality: 'draft',
        frame_count: frames,
        duration_seconds: frames / composition.fps,
        chunk_count: ranges.length,
        queue: route.queue,
        priority: route.priority,
        watermark: false,
        spec: JSON.stringify(spec),
        // Never a cache hit for a tenant's render: its output is not one of the tenant's files.
        cache_key: null,
        period: periodOf(new Date()),
        quote_seconds: 0,
        quote_cost: 0,
      });
      if (!inserted) return undefined;
      for (const [index, range] of ranges.entries())
        await this.deps.dispatcher.create(
          tx,
          { kind: 'job', job: inserted },
          { id: randomUUID(), kind: 'chunk', index, frames: range },
          route,
        );
      return inserted;
    });
    if (job)
      this.deps.logger.info(
        { jobId: job.id, clip: keyOf(clip), width: size.width, height: size.height, frames },
        'preview clip job queued',
      );
  }

  /** Tells content about a completed clip; on failure the report stays owed for the next sweep. */
  private async report(job: JobRow): Promise<void> {
    const { output } = job;
    if (!output || !job.template_id || !job.template_version || !job.aspect) return;
    const clip = { template_id: job.template_id, version: job.template_version, aspect: job.aspect };
    let outcome: 'done' | 'unknown';
    try {
      outcome = await this.deps.peers.reportClip(clip, {
        blob_key: output.blob_key,
        content_hash: output.content_hash,
        size_bytes: output.size_bytes,
        mime: 'video/mp4',
        width: output.width ?? job.width ?? 1,
        height: output.height ?? job.height ?? 1,
        duration_seconds: output.duration_seconds ?? job.duration_seconds ?? 0,
      });
    } catch (error) {
      this.deps.logger.warn(
        { err: error, jobId: job.id, clip: keyOf(clip) },
        'content did not take the preview clip; reported again at the next sweep',
      );
      return;
    }
    if (outcome === 'unknown')
      this.deps.logger.warn({ jobId: job.id, clip: keyOf(clip) }, 'content no longer has this preview');
    await this.deps.db.asSystem((tx) => this.deps.jobs.update(tx, job.id, { clip_reported_at: new Date() }));
  }
}
