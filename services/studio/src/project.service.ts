import { randomUUID } from 'node:crypto';
import {
  type Aspect,
  EngineValidationError,
  type Locale,
  localize,
  resolveComposition,
  type SceneEdit,
  type Template,
} from '@flatrender/engine';
import type { StoredFontsCache } from '@flatrender/engine/node';
import {
  badRequest,
  conflict,
  counter,
  HttpError,
  histogram,
  type Logger,
  notFound,
  type Principal,
  type ScopedDatabase,
  type ServiceContext,
} from '@flatrender/platform';
import { decodeCursor, encodeCursor } from './domain/page-cursor';
import {
  applyEdit,
  EMPTY_VALUES,
  eventScenes,
  fileIds,
  type ProjectValues,
  sceneList,
  toFieldValues,
  type ValueProblem,
} from './domain/project-values';
import { carryOver, type DroppedValue } from './domain/upgrade';
import { FileLookup } from './file-lookup';
import { type ProjectRepository, type ProjectRow, valuesOf } from './project.repository';
import { projectView } from './project.view';
import { type CheckReport, runChecks } from './project-checks';
import type { SnapshotRepository, SnapshotRow } from './snapshot.repository';
import type { StudioDb, StudioTx } from './studio.db';
import type { LoadedTemplate, TemplateCatalog } from './template-catalog';

export interface CreateProjectInput {
  template_id: string;
  version?: number;
  name?: string;
  aspect?: Aspect;
  locale?: Locale;
  fields?: Record<string, unknown>;
  scene_edits?: SceneEdit[];
}

export interface SaveProjectInput {
  name?: string;
  aspect?: Aspect;
  locale?: Locale;
  /** Field path -> value; null puts the field back to its default. */
  fields?: Record<string, unknown>;
  scene_edits?: SceneEdit[];
}

export interface SnapshotInput {
  time: number;
  aspect?: Aspect;
  format?: 'png' | 'jpg';
}

export interface ProjectPage {
  items: ProjectRow[];
  next_cursor: string | null;
}

export interface ProjectServiceDeps {
  ctx: ServiceContext;
  db: ScopedDatabase<StudioDb>;
  projects: ProjectRepository;
  snapshots: SnapshotRepository;
  catalog: TemplateCatalog;
  fonts: StoredFontsCache;
  logger: Logger;
}

/** Everything render needs to render a project, without asking anyone else. */
export interface RenderView {
  project: ProjectRow;
  loaded: LoadedTemplate;
  values: ProjectValues;
  scenes: { id: string; block: string; duration_seconds: number }[];
  file_ids: string[];
}

/**
 * What studio does with projects. Every operation acts for a principal inside its tenant; a project
 * of another tenant is never found (404). Every change is a new revision, saved together with its
 * `studio.project.saved.v1` (or `.deleted.v1`) in one transaction.
 */
export class ProjectService {
  private readonly conflicts;
  private readonly checkSeconds;

  constructor(private readonly deps: ProjectServiceDeps) {
    this.conflicts = counter(
      deps.ctx.metrics,
      'flatrender_studio_revision_conflicts_total',
      'Saves refused because the project changed since the revision they were made on',
    );
    this.checkSeconds = histogram(
      deps.ctx.metrics,
      'flatrender_studio_check_duration_seconds',
      'Time to run the pre-render checks of a project',
      [],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
  }

  async create(principal: Principal, input: CreateProjectInput): Promise<ProjectRow> {
    const { db, projects, catalog } = this.deps;
    const version = await catalog.forNewProject(principal, input.template_id, input.version);
    const loaded = await catalog.load(version);
    const { template } = loaded;
    const aspect = input.aspect ?? (Object.keys(template.aspects)[0] as Aspect);
    assertAspect(template, aspect, 'aspect');
    const locale = chooseLocale(template, input.locale, principal.locale);
    const values = editOrThrow(loaded, locale, EMPTY_VALUES, input);
    const name = input.name ?? localize(version.title, locale);
    return db.withTenant(principal.tenantId, async (tx) => {
      const row = await projects.insert(tx, {
        id: randomUUID(),
        tenant_id: principal.tenantId,
        created_by: principal.userId,
        name,
        template_id: version.template_id,
        template_version: version.version,
        aspect,
        locale,
        values,
      });
      await this.emitSaved(tx, principal, row, template);
      return row;
    });
  }

  async get(principal: Principal, id: string): Promise<ProjectRow> {
    const row = await this.deps.db.withTenant(principal.tenantId, (tx) => this.deps.projects.find(tx, id));
    if (!row) throw projectNotFound();
    return row;
  }

  async list(
    principal: Principal,
    query: { limit: number; cursor?: string; q?: string },
  ): Promise<ProjectPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined)
      throw badRequest(
        'invalid_cursor',
        'querystring field "cursor" is not a cursor this API gave out.',
        'cursor',
      );
    const rows = await this.deps.db.withTenant(principal.tenantId, (tx) =>
      this.deps.projects.list(tx, {
        limit: query.limit + 1,
        ...(after !== undefined ? { after } : {}),
        ...(query.q !== undefined ? { search: query.q } : {}),
      }),
    );
    const items = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    return { items, next_cursor: more ? encodeCursor(items[items.length - 1]!.touched) : null };
  }

  /** Autosave: applies a change on top of revision `ifMatch`, or refuses with the current project. */
  async save(
    principal: Principal,
    id: string,
    ifMatch: number,
    input: SaveProjectInput,
  ): Promise<ProjectRow> {
    const before = await this.get(principal, id);
    if (before.revision !== ifMatch) throw this.refuse(before, ifMatch);
    const loaded = await this.pinnedTemplate(principal, before);
    const { template } = loaded;
    if (input.aspect !== undefined) assertAspect(template, input.aspect, 'aspect');
    const locale = input.locale === undefined ? before.locale : chooseLocale(template, input.locale);
    const touchesValues = input.fields !== undefined || (input.scene_edits?.length ?? 0) > 0;
    const values = touchesValues ? editOrThrow(loaded, locale, valuesOf(before), input) : undefined;
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      // The values were computed from `before`; under the lock, the same revision means the same values.
      const current = await this.lockAt(tx, id, ifMatch);
      const row = await this.deps.projects.update(tx, current.id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.aspect !== undefined ? { aspect: input.aspect } : {}),
        ...(input.locale !== undefined ? { locale } : {}),
        ...(values ? { values } : {}),
      });
      await this.emitSaved(tx, principal, row, template);
      return row;
    });
  }

  async duplicate(principal: Principal, id: string, name?: string): Promise<ProjectRow> {
    const source = await this.get(principal, id);
    const { template } = await this.pinnedTemplate(principal, source);
    const copyName = name ?? copyOf(source.name, source.locale);
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      const row = await this.deps.projects.insert(tx, {
        id: randomUUID(),
        tenant_id: principal.tenantId,
        created_by: principal.userId,
        name: copyName,
        template_id: source.template_id,
        template_version: source.template_version,
        aspect: source.aspect,
        locale: source.locale,
        values: valuesOf(source),
      });
      await this.emitSaved(tx, principal, row, template);
      return row;
    });
  }

  /** Deletes the project (at revision `ifMatch` when given). Its snapshot records go with it. */
  async remove(principal: Principal, id: string, ifMatch?: number): Promise<void> {
    await this.deps.db.withTenant(principal.tenantId, async (tx) => {
      const current = await this.deps.projects.find(tx, id, { forUpdate: true });
      if (!current) throw projectNotFound();
      if (ifMatch !== undefined && current.revision !== ifMatch) throw this.refuse(current, ifMatch);
      await this.deps.projects.delete(tx, id);
      await this.deps.ctx.emit(
        tx,
        'studio.project.deleted.v1',
        { project_id: id, last_revision: current.revision, deleted_at: new Date().toISOString() },
        { tenantId: principal.tenantId, userId: principal.userId },
      );
    });
  }

  /**
   * Moves the project to a newer version of its template (the newest when none is named). Values the
   * new version still has and accepts are kept; the others are dropped and listed.
   */
  async upgrade(
    principal: Principal,
    id: string,
    ifMatch: number,
    version?: number,
  ): Promise<{ project: ProjectRow; dropped: DroppedValue[] }> {
    const before = await this.get(principal, id);
    if (before.revision !== ifMatch) throw this.refuse(before, ifMatch);
    const target = await this.deps.catalog.forNewProject(principal, before.template_id, version);
    if (target.version <= before.template_version)
      throw conflict(
        'not_newer',
        `The project already uses version ${before.template_version}; version ${target.version} is not newer.`,
        { current_version: before.template_version, latest_version: before.latest_version },
      );
    const loaded = await this.deps.catalog.load(target);
    const { template, draft } = loaded;
    const dropped: DroppedValue[] = [];
    let aspect: Aspect = before.aspect;
    if (!(aspect in template.aspects)) {
      const next = Object.keys(template.aspects)[0] as Aspect;
      dropped.push({
        code: 'unknown_aspect',
        path: 'aspect',
        message: `version ${target.version} has no ${aspect} output; the project now uses ${next}`,
        value: aspect,
      });
      aspect = next;
    }
    let locale = before.locale;
    if (!template.locales.includes(locale)) {
      const next = template.locales[0]!;
      dropped.push({
        code: 'invalid_value',
        path: 'locale',
        message: `version ${target.version} has no "${locale}" texts; the project now uses "${next}"`,
        value: locale,
      });
      locale = next;
    }
    const carried = carryOver(template, draft, locale, valuesOf(before));
    if (carried.remaining.length > 0) throw invalidValues(carried.remaining, 'upgrade_impossible');
    dropped.push(...carried.dropped);
    const project = await this.deps.db.withTenant(principal.tenantId, async (tx) => {
      const current = await this.lockAt(tx, id, ifMatch);
      const row = await this.deps.projects.update(tx, current.id, {
        template_version: target.version,
        aspect,
        locale,
        values: carried.values,
      });
      await this.emitSaved(tx, principal, row, template);
      return row;
    });
    return { project, dropped };
  }

  async checks(
    principal: Principal,
    id: string,
    aspect?: Aspect,
  ): Promise<{ project: ProjectRow; report: CheckReport }> {
    const project = await this.get(principal, id);
    const loaded = await this.pinnedTemplate(principal, project);
    if (aspect !== undefined) assertAspect(loaded.template, aspect, 'aspect');
    const stopTimer = this.checkSeconds.startTimer();
    const report = await runChecks({
      template: loaded.template,
      fontFaces: loaded.version.fonts,
      values: valuesOf(project),
      locale: project.locale,
      ...(aspect !== undefined ? { aspects: [aspect] } : {}),
      files: new FileLookup(this.deps.ctx.internal, principal, this.deps.logger),
      fonts: this.deps.fonts,
    }).finally(() => stopTimer());
    return { project, report };
  }

  /**
   * Records a snapshot request of the project as it is now and announces it; render draws it and
   * answers `render.snapshot.ready.v1`, clients poll `GET /v1/snapshots/:id` (render's).
   */
  async requestSnapshot(principal: Principal, id: string, input: SnapshotInput): Promise<SnapshotRow> {
    const project = await this.get(principal, id);
    const { template } = await this.pinnedTemplate(principal, project);
    const aspect = input.aspect ?? project.aspect;
    assertAspect(template, aspect, 'aspect');
    let duration: number;
    try {
      duration = resolveComposition(template, toFieldValues(valuesOf(project)), aspect, {
        locale: project.locale,
      }).durationSeconds;
    } catch (error) {
      if (error instanceof EngineValidationError) throw invalidValues(error.errors, 'project_incomplete');
      throw error;
    }
    if (input.time > duration)
      throw badRequest(
        'out_of_range',
        `body field "time" is ${input.time}; the project lasts ${duration} seconds at ${aspect}.`,
        'time',
      );
    const [width, height] = template.aspects[aspect]!;
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      const current = await this.deps.projects.find(tx, id);
      if (!current) throw projectNotFound();
      const snapshot = await this.deps.snapshots.insert(tx, {
        id: randomUUID(),
        tenant_id: principal.tenantId,
        project_id: id,
        project_revision: project.revision,
        aspect,
        time_seconds: input.time,
        format: input.format ?? 'png',
        width,
        height,
        requested_by: principal.userId,
      });
      await this.deps.ctx.emit(
        tx,
        'render.snapshot.requested.v1',
        {
          snapshot_id: snapshot.id,
          project_id: id,
          project_revision: project.revision,
          template: { template_id: project.template_id, version: project.template_version },
          aspect,
          time_seconds: input.time,
          format: input.format ?? 'png',
          width,
          height,
          requested_at: new Date(snapshot.requested_at).toISOString(),
        },
        { tenantId: principal.tenantId, userId: principal.userId },
      );
      return snapshot;
    });
  }

  async listSnapshots(principal: Principal, id: string, limit: number): Promise<SnapshotRow[]> {
    return this.deps.db.withTenant(principal.tenantId, async (tx) => {
      if (!(await this.deps.projects.find(tx, id))) throw projectNotFound();
      return this.deps.snapshots.listForProject(tx, id, limit);
    });
  }

  async renderView(principal: Principal, id: string): Promise<RenderView> {
    const project = await this.get(principal, id);
    const loaded = await this.pinnedTemplate(principal, project);
    const values = valuesOf(project);
    return {
      project,
      loaded,
      values,
      scenes: sceneList(loaded.template, values),
      file_ids: fileIds(values.fields),
    };
  }

  private refuse(current: ProjectRow, asked: number): HttpError {
    this.conflicts.inc();
    return revisionConflict(current, asked);
  }

  private pinnedTemplate(principal: Principal, project: ProjectRow): Promise<LoadedTemplate> {
    return this.deps.catalog
      .pinned(principal.tenantId, project.template_id, project.template_version)
      .then((version) => this.deps.catalog.load(version));
  }

  /** The project locked for change, provided it is still at revision `ifMatch`. */
  private async lockAt(tx: StudioTx, id: string, ifMatch: number): Promise<ProjectRow> {
    const current = await this.deps.projects.find(tx, id, { forUpdate: true });
    if (!current) throw projectNotFound();
    if (current.revision !== ifMatch) throw this.refuse(current, ifMatch);
    return current;
  }

  private async emitSaved(
    tx: StudioTx,
    principal: Principal,
    row: ProjectRow,
    template: Template,
  ): Promise<void> {
    const values = valuesOf(row);
    await this.deps.ctx.emit(
      tx,
      'studio.project.saved.v1',
      {
        project_id: row.id,
        revision: row.revision,
        name: row.name,
        template: { template_id: row.template_id, version: row.template_version },
        aspect: row.aspect,
        locale: row.locale,
        values: values.fields as never,
        file_ids: fileIds(values.fields),
        scenes: eventScenes(template, values),
        saved_at: new Date(row.updated_at).toISOString(),
      },
      { tenantId: principal.tenantId, userId: principal.userId },
    );
  }
}

/** A 409 that carries the project as it is now, so the client can merge and retry: nothing is lost. */
export function revisionConflict(current: ProjectRow, asked: number): HttpError {
  return conflict(
    'revision_conflict',
    `The project is at revision ${current.revision}, not ${asked}: it was changed elsewhere (another tab?). Reload it and apply your change again.`,
    { current: projectView(current) },
  );
}

export const projectNotFound = () => notFound('The project', 'project_not_found');

function invalidValues(problems: readonly ValueProblem[], code = 'invalid_values'): HttpError {
  const first = problems[0];
  return new HttpError(
    422,
    code,
    first ? `${first.path ? `"${first.path}": ` : ''}${first.message}` : 'The project values are invalid.',
    first?.field ?? first?.path,
    problems.map((p) => ({
      code: p.code,
      path: p.path,
      message: p.message,
      ...(p.field ? { field: p.field } : {}),
    })),
  );
}

function editOrThrow(
  loaded: LoadedTemplate,
  locale: Locale,
  current: ProjectValues,
  input: { fields?: Record<string, unknown>; scene_edits?: SceneEdit[] },
): ProjectValues {
  const result = applyEdit(loaded.template, loaded.draft, locale, current, {
    ...(input.fields ? { fields: input.fields } : {}),
    ...(input.scene_edits ? { sceneEdits: input.scene_edits } : {}),
  });
  if (!result.ok) throw invalidValues(result.errors);
  return result.values;
}

function assertAspect(template: Template, aspect: Aspect, field: string): void {
  if (!(aspect in template.aspects))
    throw badRequest(
      'unknown_aspect',
      `${field} "${aspect}" is not an output of this template (it has ${Object.keys(template.aspects).join(', ')}).`,
      field,
    );
}

function chooseLocale(template: Template, asked?: Locale, preferred?: Locale): Locale {
  if (asked !== undefined) {
    if (!template.locales.includes(asked))
      throw badRequest(
        'unsupported_locale',
        `locale "${asked}" is not offered by this template (it has ${template.locales.join(', ')}).`,
        'locale',
      );
    return asked;
  }
  if (preferred !== undefined && template.locales.includes(preferred)) return preferred;
  return template.locales[0]!;
}

function copyOf(name: string, locale: Locale): string {
  const suffix = locale === 'fa' ? ' (کپی)' : ' (copy)';
  return [...name].slice(0, 200 - [...suffix].length).join('') + suffix;
}
