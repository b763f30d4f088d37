import {
  type FieldDef,
  type FieldValues,
  fieldDefinitions,
  getBlock,
  localize,
  projectScenes,
  resolveValues,
  type Scene,
  type Template,
} from '@flatrender/engine';
import type { Locale } from '@/i18n/locale';
import type { CheckIssue, ProjectValues } from '@/lib/api/types';
import type { FieldIssues } from './studio-types';

/** The API's project values as the engine's FieldValues (null scene list = the template's). */
export function toFieldValues(values: ProjectValues): FieldValues {
  return {
    fields: { ...values.fields },
    durations: { ...values.durations },
    ...(values.scenes ? { scenes: values.scenes.map((s) => ({ ...s })) } : {}),
  };
}

export function setField(values: FieldValues, path: string, value: unknown): FieldValues {
  const fields = { ...(values.fields ?? {}) };
  if (value === null || value === undefined) delete fields[path];
  else fields[path] = value;
  return { ...values, fields };
}

/** Each field's value in force (the project's, else the default), as the engine resolves them. */
export function currentValues(template: Template, values: FieldValues, locale: Locale): Map<string, unknown> {
  try {
    return resolveValues(template, values, { locale }).fields;
  } catch {
    // Values the engine refuses (mid-edit): show what is stored over the defaults it can still give.
    const { scenes } = projectScenes(template, values);
    const out = new Map<string, unknown>();
    for (const [path, def] of fieldDefinitions(template, scenes))
      out.set(path, values.fields?.[path] ?? defaultOf(def, locale));
    return out;
  }
}

function defaultOf(def: FieldDef, locale: Locale): unknown {
  if (def.type === 'text') return def.default === undefined ? '' : localize(def.default, locale);
  return 'default' in def ? def.default : undefined;
}

export interface FieldGroup {
  /** null for the fields of the whole template. */
  scene: Scene | null;
  fields: Array<{ path: string; def: FieldDef }>;
}

export function fieldGroups(template: Template, values: FieldValues): FieldGroup[] {
  const { scenes } = projectScenes(template, values);
  const groups: FieldGroup[] = [
    { scene: null, fields: Object.entries(template.fields).map(([name, def]) => ({ path: name, def })) },
  ];
  for (const scene of scenes)
    groups.push({
      scene,
      fields: Object.entries(scene.fields).map(([name, def]) => ({ path: `${scene.id}.${name}`, def })),
    });
  return groups;
}

export function sceneName(scene: Scene, index: number, locale: Locale): string {
  if (scene.title) return localize(scene.title, locale);
  if ('block' in scene) {
    const block = getBlock(1, scene.block);
    if (block?.title) return localize(block.title, locale);
    return scene.block;
  }
  return `${locale === 'fa' ? 'صحنهٔ' : 'Scene'} ${index + 1}`;
}

/** The field a check issue belongs to: its `field`, else the longest field path its `path` starts with. */
export function issueField(issue: CheckIssue, paths: readonly string[]): string | undefined {
  if (issue.field) return issue.field;
  let best: string | undefined;
  for (const path of paths)
    if (
      (issue.path === path || issue.path.startsWith(`${path}[`) || issue.path.startsWith(`${path}.`)) &&
      (!best || path.length > best.length)
    )
      best = path;
  return best;
}

export function issuesByField(
  checks: { errors: CheckIssue[]; warnings: CheckIssue[] } | null,
  paths: readonly string[],
): { byField: Map<string, FieldIssues>; other: FieldIssues } {
  const byField = new Map<string, FieldIssues>();
  const other: FieldIssues = { errors: [], warnings: [] };
  if (!checks) return { byField, other };
  const put = (issue: CheckIssue, kind: 'errors' | 'warnings') => {
    const field = issueField(issue, paths);
    if (!field) {
      other[kind].push(issue);
      return;
    }
    const entry = byField.get(field) ?? { errors: [], warnings: [] };
    entry[kind].push(issue);
    byField.set(field, entry);
  };
  for (const issue of checks.errors) put(issue, 'errors');
  for (const issue of checks.warnings) put(issue, 'warnings');
  return { byField, other };
}
