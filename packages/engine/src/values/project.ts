import { getBlock } from '../blocks/registry';
import { type FontFace, parseFontSpec } from '../fonts/font-spec';
import { type EngineError, EngineValidationError } from '../template/engine-error';
import {
  type BlockScene,
  type FieldDef,
  type Locale,
  PALETTE_ROLES,
  type Palette,
  type Scene,
  type Template,
} from '../template/template.schema';
import { usesPersianDigits } from '../text/digits';
import { completeListItems, type FieldValues, fieldDefault, validateFieldValue } from './field-values';

/** The scene list of a project: the template's, or the user's order for flexible templates. */
export function projectScenes(
  template: Template,
  values: FieldValues,
): { scenes: Scene[]; errors: EngineError[] } {
  if (!values.scenes) return { scenes: template.scenes, errors: [] };
  const errors: EngineError[] = [];
  if (template.mode === 'fixed') {
    errors.push({
      code: 'scene_edit_forbidden',
      path: 'scenes',
      message: `template "${template.id}" is fixed: its scene list cannot be changed`,
    });
    return { scenes: template.scenes, errors };
  }
  const byId = new Map(template.scenes.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const scenes: Scene[] = [];
  values.scenes.forEach((entry, i) => {
    const path = `scenes[${i}]`;
    if (seen.has(entry.id)) {
      errors.push({ code: 'duplicate_id', path, message: `scene id "${entry.id}" appears twice` });
      return;
    }
    seen.add(entry.id);
    if (entry.block === undefined) {
      const scene = byId.get(entry.id);
      if (scene) scenes.push(scene);
      else errors.push({ code: 'unknown_scene', path, message: `template has no scene "${entry.id}"` });
      return;
    }
    if (byId.has(entry.id)) {
      errors.push({
        code: 'duplicate_id',
        path,
        message: `"${entry.id}" is a template scene; added scenes need a new id`,
      });
      return;
    }
    if (!(template.allowedBlocks ?? []).includes(entry.block)) {
      errors.push({
        code: 'scene_edit_forbidden',
        path,
        message: `block "${entry.block}" is not allowed in "${template.id}" (allowed: ${(template.allowedBlocks ?? []).join(', ') || 'none'})`,
      });
      return;
    }
    const scene = addedScene(template, entry.id, entry.block);
    if (scene) scenes.push(scene);
    else errors.push({ code: 'unknown_block', path, message: `unknown block "${entry.block}"` });
  });
  if (scenes.length < template.minScenes || scenes.length > template.maxScenes)
    errors.push({
      code: 'list_bounds',
      path: 'scenes',
      message: `the project has ${scenes.length} scenes; "${template.id}" allows ${template.minScenes} to ${template.maxScenes}`,
    });
  return { scenes, errors };
}

/**
 * A scene the user added from `allowedBlocks`: every editable prop of the block becomes a field of
 * the scene ("<id>.<prop>"); colours and fonts follow the template.
 */
export function addedScene(template: Template, id: string, blockId: string): BlockScene | undefined {
  const block = getBlock(template.engine, blockId);
  if (!block) return undefined;
  const fields: Record<string, FieldDef> = {};
  const props: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(block.props)) {
    if (!spec.editable) continue;
    fields[name] = spec.def;
    props[name] = { field: `${id}.${name}` };
  }
  return { id, block: blockId, duration: block.duration, fields, props };
}

/** Every field of a project by path: global fields and the fields of its scenes. */
export function fieldDefinitions(template: Template, scenes: readonly Scene[]): Map<string, FieldDef> {
  const defs = new Map<string, FieldDef>();
  for (const [name, def] of Object.entries(template.fields)) defs.set(name, def);
  for (const scene of scenes)
    for (const [name, def] of Object.entries(scene.fields)) defs.set(`${scene.id}.${name}`, def);
  return defs;
}

export interface ValidateValuesOptions {
  locale?: Locale;
}

/** Checks a project's values against its template: field types, limits, scene list, durations. */
export function validateValues(
  template: Template,
  values: FieldValues,
  _options: ValidateValuesOptions = {},
): { ok: boolean; errors: EngineError[] } {
  const errors: EngineError[] = [];
  if (values === null || typeof values !== 'object') {
    return { ok: false, errors: [{ code: 'invalid_type', path: '', message: 'values must be an object' }] };
  }
  const { scenes, errors: sceneErrors } = projectScenes(template, values);
  errors.push(...sceneErrors);
  const defs = fieldDefinitions(template, scenes);
  for (const [path, value] of Object.entries(values.fields ?? {})) {
    const def = defs.get(path);
    if (!def) {
      errors.push({
        code: 'unknown_field',
        path,
        field: path,
        message: `template "${template.id}" has no field "${path}"${suggest(path, [...defs.keys()])}`,
      });
      continue;
    }
    if (value === null && def.optional) continue;
    errors.push(...validateFieldValue(def, value, path));
  }
  for (const [path, def] of defs) {
    if (def.optional) continue;
    const given = values.fields?.[path];
    if (given === undefined && fieldDefault(def, 'en') === undefined && fieldDefault(def, 'fa') === undefined)
      errors.push({ code: 'missing_value', path, field: path, message: `"${path}" needs a value` });
  }
  const sceneIds = new Set(scenes.map((s) => s.id));
  for (const [id, seconds] of Object.entries(values.durations ?? {})) {
    const scene = scenes.find((s) => s.id === id);
    if (!scene) {
      errors.push({
        code: 'unknown_scene',
        path: `durations.${id}`,
        message: `the project has no scene "${id}" (scenes: ${[...sceneIds].join(', ')})`,
      });
      continue;
    }
    const { min, max } = scene.duration;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < min || seconds > max)
      errors.push({
        code: 'duration_bounds',
        path: `durations.${id}`,
        message: `scene "${id}" must last ${min} to ${max} seconds, got ${JSON.stringify(seconds)}`,
      });
  }
  const total = scenes.reduce((sum, s) => sum + (values.durations?.[s.id] ?? s.duration.default), 0);
  if (total > template.maxDuration)
    errors.push({
      code: 'duration_bounds',
      path: 'durations',
      message: `the scenes last ${round(total)} seconds together; "${template.id}" allows at most ${template.maxDuration}`,
    });
  return { ok: errors.length === 0, errors };
}

const round = (n: number) => Math.round(n * 100) / 100;

function suggest(path: string, known: string[]): string {
  const near = known.filter((k) => k.endsWith(`.${path}`) || k.split('.').pop() === path.split('.').pop());
  return near.length ? ` (did you mean ${near.map((k) => `"${k}"`).join(' or ')}?)` : '';
}

export interface ResolvedScene {
  scene: Scene;
  duration: number;
}

/** A project's values with defaults applied, for one locale. */
export interface ResolvedValues {
  locale: Locale;
  scenes: ResolvedScene[];
  defs: Map<string, FieldDef>;
  /** Field path -> value (given or default); list items completed with item defaults. */
  fields: Map<string, unknown>;
  palette: Palette;
  fonts: { display: FontFace; body: FontFace };
  /** Whether a field (or the template) draws Persian digits. */
  persianDigits(fieldPath?: string): boolean;
}

export interface ResolveOptions {
  locale: Locale;
}

/** Applies defaults and bindings. Throws EngineValidationError when the values are invalid. */
export function resolveValues(
  template: Template,
  values: FieldValues,
  { locale }: ResolveOptions,
): ResolvedValues {
  const { ok, errors } = validateValues(template, values, { locale });
  if (!ok) throw new EngineValidationError('invalid project values', errors);
  const { scenes } = projectScenes(template, values);
  const defs = fieldDefinitions(template, scenes);
  const fields = new Map<string, unknown>();
  for (const [path, def] of defs) {
    const given = values.fields?.[path];
    // null clears an optional field (no logo), undefined keeps the default.
    let value = given === null ? undefined : given === undefined ? fieldDefault(def, locale) : given;
    if (def.type === 'list' && Array.isArray(value)) value = completeListItems(def, value, locale);
    fields.set(path, value);
  }
  const bound = (v: string | { field: string }): string =>
    typeof v === 'string' ? v : (fields.get(v.field) as string);
  const palette = Object.fromEntries(
    PALETTE_ROLES.map((role) => [role, bound(template.palette[role])]),
  ) as Palette;
  const fonts = {
    display: parseFontSpec(bound(template.fonts.display)),
    body: parseFontSpec(bound(template.fonts.body)),
  };
  return {
    locale,
    scenes: scenes.map((scene) => ({
      scene,
      duration: values.durations?.[scene.id] ?? scene.duration.default,
    })),
    defs,
    fields,
    palette,
    fonts,
    persianDigits(fieldPath) {
      const def = fieldPath ? defs.get(fieldPath) : undefined;
      const digits = def && 'digits' in def && def.digits ? def.digits : template.digits;
      return usesPersianDigits(digits, locale);
    },
  };
}
