import { type Locale, projectScenes, type Template, validateValues } from '@flatrender/engine';
import { type ProjectValues, toFieldValues, type ValueProblem, withoutDefaults } from './project-values';

/** A value the new template version cannot take, with why; the project continues without it. */
export interface DroppedValue extends ValueProblem {
  value: unknown;
}

export interface CarryOverResult {
  values: ProjectValues;
  dropped: DroppedValue[];
  /** Problems no dropping could solve; the upgrade must not happen when any remain. */
  remaining: ValueProblem[];
}

/**
 * Moves a project's values onto another version of its template: what the new version still has
 * and accepts is kept; scene entries, durations and field values it refuses are dropped and reported.
 * The engine judges every step (`draft` is the new template with every field optional, so values
 * not given yet are not a reason to drop anything).
 */
export function carryOver(
  template: Template,
  draft: Template,
  locale: Locale,
  values: ProjectValues,
): CarryOverResult {
  const dropped: DroppedValue[] = [];

  let scenes = values.scenes;
  if (scenes) {
    // Scene entries are judged one by one (a duplicate only after its first occurrence), so one
    // pass finds every entry to drop; the list as a whole (bounds, fixed mode) is judged after.
    const bad = new Set<number>();
    for (const e of projectScenes(draft, { scenes }).errors) {
      const at = /^scenes\[(\d+)\]$/.exec(e.path);
      if (at) {
        const i = Number(at[1]);
        bad.add(i);
        dropped.push({ code: e.code, path: e.path, message: e.message, value: scenes[i] });
      }
    }
    scenes = scenes.filter((_, i) => !bad.has(i));
    const whole = projectScenes(draft, { scenes }).errors[0];
    if (whole) {
      dropped.push({ code: whole.code, path: 'scenes', message: whole.message, value: scenes });
      scenes = null;
    }
  }
  const withScenes = scenes ? { scenes } : {};

  let durations = { ...values.durations };
  for (const e of validateValues(draft, { ...withScenes, durations }).errors) {
    if (e.path === 'durations') {
      dropped.push({ code: e.code, path: e.path, message: e.message, value: durations });
      durations = {};
      break;
    }
    const id = e.path.startsWith('durations.') ? e.path.slice('durations.'.length) : undefined;
    if (id !== undefined && id in durations) {
      dropped.push({ code: e.code, path: e.path, message: e.message, value: durations[id] });
      delete durations[id];
    }
  }

  const fields = { ...values.fields };
  for (const e of validateValues(draft, { ...withScenes, durations, fields }).errors) {
    if (e.field === undefined || !(e.field in fields)) continue;
    dropped.push({ code: e.code, path: e.field, message: e.message, value: fields[e.field] });
    delete fields[e.field];
  }

  const next: ProjectValues = { fields, durations, scenes };
  const remaining = validateValues(draft, toFieldValues(next)).errors.map((e) => ({
    code: e.code,
    path: e.path,
    message: e.message,
    ...(e.field ? { field: e.field } : {}),
  }));
  return {
    values: remaining.length === 0 ? withoutDefaults(template, draft, locale, next) : next,
    dropped,
    remaining,
  };
}
