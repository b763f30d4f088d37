import { randomUUID } from 'node:crypto';
import type { ImageFormat, Locale, MessageEnvelope } from '@flatrender/contracts';
import type { Aspect, FieldValues } from '@flatrender/engine';
import {
  HttpError,
  type Listener,
  type Logger,
  notFound,
  type Principal,
  type ScopedDatabase,
} from '@flatrender/platform';
import type { Dispatcher } from './dispatcher';
import type { Resolution } from './domain/output-spec';
import type { JobService } from './job.service';
import type { JobPlanner } from './job-planner';
import type { PeerServices } from './peer-services';
import type { RenderDb, RenderTx, SnapshotRow } from './render.db';
import { SerialRun } from './serial-run';
import { isSettled, type SnapshotRepository, snapshotSettledChannel } from './snapshot.repository';
import type { TemplateSource } from './template-source';

export interface SnapshotRequest {
  project_id?: string | undefined;
  template_id?: string | undefined;
  template_version?: number | undefined;
  modifications?: Record<string, unknown> | undefined;
  durations?: Record<string, number> | undefined;
  aspect?: Aspect | undefined;
  locale?: Locale | undefined;
  time: number;
  format: ImageFormat;
  resolution?: Resolution | undefined;
}

/** Where a snapshot comes from; `studio` snapshots arrive as render.snapshot.requested.v1. */
type Origin = { source: 'api'; id?: undefined } | { source: 'studio'; id: string; revision: number | null };

/**
 * Stills: studio's snapshot requests (events), `POST /v1/snapshots`, and the free snapshot of every
 * video. A still is planned like an image render (the same checks), dispatched to
 * `render.queue.snapshot` and answered by a warm node through the same `complete` route.
 */
export class SnapshotService {
  private readonly rounds = new SerialRun(
    () => this.planPending(),
    (error) => this.deps.logger.error({ err: error }, 'snapshot planning round failed'),
  );

  /** Callers long-polling a snapshot, by id; woken by the NOTIFY of its settling transaction. */
  private readonly waiters = new Map<string, Set<() => void>>();
  private listener: Listener | undefined;

  constructor(
    private readonly deps: {
      db: ScopedDatabase<RenderDb>;
      snapshots: SnapshotRepository;
      templates: TemplateSource;
      planner: JobPlanner;
      peers: PeerServices;
      dispatcher: Dispatcher;
      jobs: JobService;
      logger: Logger;
    },
  ) {}

  async request(principal: Principal, body: SnapshotRequest): Promise<SnapshotRow> {
    return this.planAndDispatch(principal, body, { source: 'api' });
  }

  /**
   * render.snapshot.requested.v1: recorded in the consumer's transaction, planned afterwards (planning
   * asks studio and file; it must not hold the event's transaction open).
   */
  async recordRequested(
    tx: RenderTx,
    envelope: MessageEnvelope<'render.snapshot.requested.v1'>,
  ): Promise<void> {
    const d = envelope.data;
    await this.deps.snapshots.insert(tx, {
      id: d.snapshot_id,
      tenant_id: envelope.tenant_id,
      user_id: envelope.user_id,
      source: d.project_id ? 'studio' : 'api',
      project_id: d.project_id,
      project_revision: d.project_revision ?? null,
      template_id: d.template.template_id,
      template_version: d.template.version,
      aspect: d.aspect,
      time_seconds: d.time_seconds,
      format: d.format,
      width: d.width,
      height: d.height,
      watermark: false,
      status: 'requested',
    });
    setImmediate(() => this.kick());
  }

  /** Plans requested snapshots (after their event's transaction committed); never concurrent. */
  kick(): void {
    this.rounds.kick();
  }

  idle(): Promise<void> {
    return this.rounds.idle();
  }

  /** One batch of requested snapshots; true when the batch was full and more may wait. */
  private async planPending(): Promise<boolean> {
    const pending = await this.deps.db.asSystem((tx) =>
      tx
        .selectFrom('snapshot')
        .selectAll()
        .where('status', '=', 'requested')
        .orderBy('requested_at')
        .limit(20)
        .execute(),
    );
    for (const snapshot of pending) {
      try {
        await this.planRequested(snapshot);
      } catch (error) {
        const failure =
          error instanceof HttpError
            ? { code: error.code, message: error.message }
            : { code: 'internal', message: 'The snapshot could not be planned.' };
        if (!(error instanceof HttpError))
          this.deps.logger.error({ err: error, snapshotId: snapshot.id }, 'snapshot planning failed');
        await this.deps.db.asSystem((tx) =>
          this.deps.snapshots.update(tx, snapshot.id, {
            status: 'failed',
            error_code: failure.code,
            error_message: failure.message.slice(0, 2000),
          }),
        );
      }
    }
    return pending.length === 20;
  }

  private async planRequested(snapshot: SnapshotRow): Promise<void> {
    const principal: Principal = {
      kind: 'user',
      userId: snapshot.user_id,
      tenantId: snapshot.tenant_id,
      role: 'viewer',
      scopes: ['templates:read', 'projects:read', 'files:read'],
      platformAdmin: false,
    };
    await this.planAndDispatch(
      principal,
      {
        ...(snapshot.project_id
          ? { project_id: snapshot.project_id }
          : { template_id: snapshot.template_id, template_version: snapshot.template_version }),
        aspect: snapshot.aspect,
        time: snapshot.time_seconds,
        format: snapshot.format,
      },
      { source: 'studio', id: snapshot.id, revision: snapshot.project_revision },
    );
  }

  private async planAndDispatch(
    principal: Principal,
    body: SnapshotRequest,
    origin: Origin,
  ): Promise<SnapshotRow> {
    const standing = await this.deps.jobs.assertActive(principal.tenantId);
    const { templates, peers, planner } = this.deps;
    let loaded: Awaited<ReturnType<TemplateSource['forNewJob']>>;
    let values: FieldValues = {};
    let aspect = body.aspect;
    let locale = body.locale;
    let projectRevision: number | null = null;
    if (body.project_id) {
      const view = await peers.project(principal, body.project_id);
      // A studio snapshot pictures the version the project pins even if it was withdrawn since.
      loaded =
        (origin.source === 'studio'
          ? await templates.pinned(principal.tenantId, view.template.template_id, view.template.version)
          : undefined) ??
        (await templates.forNewJob(principal, view.template.template_id, view.template.version));
      values = {
        ...(view.values.fields ? { fields: view.values.fields } : {}),
        ...(view.values.durations ? { durations: view.values.durations } : {}),
        ...(view.values.scenes ? { scenes: view.values.scenes } : {}),
      };
      aspect ??= view.project.aspect;
      locale ??= view.project.locale;
      projectRevision = view.project.revision;
    } else {
      if (!body.template_id)
        throw new HttpError(
          400,
          'invalid_request',
          'body field "template_id" or "project_id" is required',
          'template_id',
        );
      loaded = await templates.forNewJob(principal, body.template_id, body.template_version);
      values = {
        ...(body.modifications ? { fields: body.modifications } : {}),
        ...(body.durations ? { durations: body.durations } : {}),
      };
    }
    aspect ??= Object.keys(loaded.template.aspects)[0] as Aspect;
    locale ??= loaded.template.locales[0] ?? 'fa';
    const plan = await planner.planTemplate({
      principal,
      loaded,
      values,
      aspect,
      locale,
      output: {
        format: body.format,
        quality: 'standard',
        ...(body.resolution ? { resolution: body.resolution } : {}),
      },
      time: body.time,
      limits: standing.limits,
      watermark: standing.limits.watermark,
      valuesPath: 'modifications',
    });
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      const fields = {
        template_id: plan.spec.template.template_id,
        template_version: plan.spec.template.version,
        aspect,
        time_seconds: body.time,
        format: body.format,
        width: plan.output.width,
        height: plan.output.height,
        watermark: standing.limits.watermark,
        spec: JSON.stringify(plan.spec),
        status: 'queued' as const,
      };
      let snapshot: SnapshotRow | undefined;
      if (origin.source === 'studio') {
        snapshot = await this.deps.snapshots.update(tx, origin.id, {
          ...fields,
          project_revision: origin.revision ?? projectRevision,
        });
      } else {
        snapshot = await this.deps.snapshots.insert(tx, {
          id: randomUUID(),
          tenant_id: principal.tenantId,
          user_id: principal.userId,
          source: 'api',
          project_id: body.project_id ?? null,
          project_revision: projectRevision,
          ...fields,
        });
      }
      if (!snapshot) throw new Error('snapshot not recorded');
      await this.deps.dispatcher.create(
        tx,
        { kind: 'snapshot', snapshot },
        { id: snapshot.id, kind: 'still', index: 0 },
        { queue: 'render.queue.snapshot', priority: Math.min(10, standing.limits.priority + 1) },
      );
      return snapshot;
    });
  }

  async get(principal: Principal, id: string): Promise<SnapshotRow> {
    const row = await this.deps.db.withTenant(principal.tenantId, (tx) => this.deps.snapshots.find(tx, id));
    if (!row) throw notFound('The snapshot', 'snapshot_not_found');
    return row;
  }

  /** Listens for settled snapshots (any replica's), so that long polls answer at once. */
  async start(): Promise<void> {
    const { db } = this.deps;
    this.listener = await db.database.listen(snapshotSettledChannel(db.schema), (id) => {
      for (const wake of this.waiters.get(id) ?? []) wake();
    });
  }

  async stop(): Promise<void> {
    await this.listener?.close();
    this.listener = undefined;
  }

  /**
   * The snapshot once it is ready or failed, or as it stands after `waitMs` (long polling). The
   * database is read again at least every second: a notification sent while the listening
   * connection was down is lost.
   */
  async getSettled(principal: Principal, id: string, waitMs: number): Promise<SnapshotRow> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      // Registered before the read, so a settling committed in between still wakes this wait.
      const woken = this.wakeOf(id, Math.min(1000, deadline - Date.now()));
      try {
        const row = await this.get(principal, id);
        if (isSettled(row) || Date.now() >= deadline) return row;
        await woken.promise;
      } finally {
        woken.cancel();
      }
    }
  }

  private wakeOf(id: string, ms: number): { promise: Promise<void>; cancel: () => void } {
    let wake = () => {};
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const timer = setTimeout(wake, Math.max(0, ms));
    const set = this.waiters.get(id) ?? new Set();
    set.add(wake);
    this.waiters.set(id, set);
    return {
      promise,
      cancel: () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
      },
    };
  }
}
