import { isDeepStrictEqual } from 'node:util';
import {
  applySceneEdits,
  type EngineError,
  type FieldDef,
  type FieldValues,
  type Locale,
  projectScenes,
  resolveValues,
  type SceneEdit,
  type SceneEntry,
  type Template,
  validateValues,
} from '@flatrender/engine';

/**
 * What a project stores of its template's values: the field values that differ from the defaults,
 * scene lengths that differ from the defaults, and the scene list of a flexible template when the
 * user changed it (null: the template's own).
 */
export interface ProjectValues {
  fields: Record<string, unknown>;
  durations: Record<string, number>;
  scenes: SceneEntry[] | null;
}

export const EMPTY_VALUES: ProjectValues = { fields: {}, durations: {}, scenes: null };

/** A project problem as the API reports it: where (a field path or a body path), what and why. */
export interface ValueProblem {
  code: string;
  path: string;
  message: string;
  field?: string;
}

export type EditResult = { ok: true; values: ProjectValues } | { ok: false; errors: ValueProblem[] };

export interface ValuesEdit {
  /** Applied first, so fields of a scene added here can be set in the same edit. */
  sceneEdits?: readonly SceneEdit[];
  /** Field path -> new value; null puts the field back to its default. */
  fields?: Readonly<Record<string, unknown>>;
}

export function toFieldValues(values: ProjectValues): FieldValues {
  const out: FieldValues = {};
  if (Object.keys(values.fields).length > 0) out.fields = values.fields;
  if (Object.keys(values.durations).length > 0) out.durations = values.durations;
  if (values.scenes) out.scenes = values.scenes;
  return out;
}

export function fromFieldValues(values: FieldValues): ProjectValues {
  return { fields: values.fields ?? {}, durations: values.durations ?? {}, scenes: values.scenes ?? null };
}

/**
 * The template as a draft sees it: every field optional. A project may be saved unfinished (an
 * empty required text while the user types, a new slide without its caption yet); everything else
 * the engine checks still applies. Checks and renders use the real template and refuse the gaps.
 */
export function draftTemplate(template: Template): Template {
  const relax = (def: FieldDef): FieldDef =>
    def.type === 'list'
      ? {
          ...def,
          optional: true,
          item: Object.fromEntries(Object.entries(def.item).map(([k, d]) => [k, { ...d, optional: true }])),
        }
      : { ...def, optional: true };
  const relaxAll = (fields: Record<string, FieldDef>) =>
    Object.fromEntries(Object.entries(fields).map(([name, def]) => [name, relax(def)]));
  return {
    ...template,
    fields: relaxAll(template.fields),
    scenes: template.scenes.map((scene) => ({ ...scene, fields: relaxAll(scene.fields) })),
  };
}

/** Problems that stop a save: everything the engine finds except values not given yet. */
export function saveProblems(draft: Template, values: ProjectValues): ValueProblem[] {
  return validateValues(draft, toFieldValues(values)).errors.map(problem);
}

/**
 * Applies an edit (scene edits, then field changes) and returns the values to store, with values
 * equal to their defaults dropped; or every problem found, each naming its path.
 */
export function applyEdit(
  template: Template,
  draft: Template,
  locale: Locale,
  current: ProjectValues,
  edit: ValuesEdit,
): EditResult {
  let values = toFieldValues(current);
  if (edit.sceneEdits && edit.sceneEdits.length > 0) {
    const result = applySceneEdits(draft, values, edit.sceneEdits);
    if (!result.ok)
      return {
        ok: false,
        errors: result.errors.map((e) => problem({ ...e, path: e.path.replace(/^edits\[/, 'scene_edits[') })),
      };
    values = result.values;
  }
  if (edit.fields) {
    const fields = { ...(values.fields ?? {}) };
    for (const [path, value] of Object.entries(edit.fields)) {
      if (value === null) delete fields[path];
      else fields[path] = value;
    }
    values = { ...values, fields };
  }
  const next = fromFieldValues(values);
  const errors = saveProblems(draft, next);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, values: withoutDefaults(template, draft, locale, next) };
}

/** Drops field values equal to the field's default in `locale` (a project stores only differences). */
export function withoutDefaults(
  template: Template,
  draft: Template,
  locale: Locale,
  values: ProjectValues,
): ProjectValues {
  if (Object.keys(values.fields).length === 0) return values;
  let defaults: Map<string, unknown>;
  try {
    defaults = resolveValues(draft, values.scenes ? { scenes: values.scenes } : {}, { locale }).fields;
  } catch {
    // A template whose own defaults do not validate: keep every value rather than guess.
    return values;
  }
  const fields: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values.fields)) {
    const fallback = defaults.get(path);
    if (fallback !== undefined && isDeepStrictEqual(value, fallback)) continue;
    fields[path] = value;
  }
  const durations: Record<string, number> = {};
  const scenes = projectScenes(template, toFieldValues(values)).scenes;
  for (const [id, seconds] of Object.entries(values.durations)) {
    if (scenes.find((s) => s.id === id)?.duration.default !== seconds) durations[id] = seconds;
  }
  return { fields, durations, scenes: values.scenes };
}

const FILE_REF = /^file:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Uploaded files are referenced as `file:<id>` in image and audio values, lists included. */
export function fileIdOf(value: unknown): string | undefined {
  return typeof value === 'string' ? FILE_REF.exec(value)?.[1]?.toLowerCase() : undefined;
}

/** Every file a project's values reference, once each, in order of appearance. */
export function fileIds(fields: Readonly<Record<string, unknown>>): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown) => {
    const id = fileIdOf(value);
    if (id) ids.add(id);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  Object.values(fields).forEach(visit);
  return [...ids];
}

export interface EventScene {
  id: string;
  block: string;
  duration_seconds: number;
}

/** The project's scenes in order, each with its length (the user's or the scene's default). */
export function sceneList(template: Template, values: ProjectValues): EventScene[] {
  return projectScenes(template, toFieldValues(values)).scenes.map((scene) => ({
    id: scene.id,
    block: 'block' in scene ? scene.block : 'layers',
    duration_seconds: values.durations[scene.id] ?? scene.duration.default,
  }));
}

/**
 * The scene list as `studio.project.saved.v1` carries it: null while the project keeps the
 * template's scenes and lengths, otherwise every scene in order with its length.
 */
export function eventScenes(template: Template, values: ProjectValues): EventScene[] | null {
  if (!values.scenes && Object.keys(values.durations).length === 0) return null;
  const scenes = sceneList(template, values);
  return scenes.length > 0 ? scenes : null;
}

function problem(e: EngineError): ValueProblem {
  return {
    code: e.code,
    path: e.path,
    message: e.message,
    ...(e.field ? { field: e.field } : {}),
  };
}
