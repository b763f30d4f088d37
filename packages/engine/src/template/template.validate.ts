import type { z } from 'zod';
import { getBlock } from '../blocks/registry';
import { ENGINE_GENERATION } from '../render/generation';
import { localize, validateFieldValue } from '../values/field-values';
import { type EngineError, EngineValidationError, jsonPath } from './engine-error';
import {
  ASPECT_RATIOS,
  ASPECTS,
  type Aspect,
  type FieldDef,
  type FieldType,
  type Layer,
  LOCALES,
  layerSchema,
  type Scene,
  type Template,
  templateSchema,
} from './template.schema';

export interface TemplateValidation {
  ok: boolean;
  errors: EngineError[];
  template?: Template;
}

/** Validates a template document: its shape (zod) and every reference inside it. Never throws. */
export function validateTemplate(doc: unknown): TemplateValidation {
  const parsed = templateSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.flatMap(fromZodIssue) };
  const errors = checkReferences(parsed.data);
  return errors.length ? { ok: false, errors } : { ok: true, errors, template: parsed.data };
}

/** The parsed template (defaults filled in); throws EngineValidationError listing every problem. */
export function parseTemplate(doc: unknown): Template {
  const result = validateTemplate(doc);
  if (!result.template) throw new EngineValidationError('invalid template', result.errors);
  return result.template;
}

const CODES: Record<string, EngineError['code']> = {
  invalid_type: 'invalid_type',
  unrecognized_keys: 'unknown_key',
  too_big: 'out_of_range',
  too_small: 'out_of_range',
  invalid_format: 'invalid_value',
  invalid_value: 'invalid_value',
  invalid_union: 'invalid_document',
  invalid_key: 'invalid_value',
  custom: 'invalid_value',
};

function fromZodIssue(issue: z.core.$ZodIssue): EngineError[] {
  const where = jsonPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const inAspects = issue.path.length > 0 && issue.path[issue.path.length - 1] === 'aspects';
    return issue.keys.map((key) => ({
      code: inAspects ? 'unknown_aspect' : 'unknown_key',
      path: jsonPath([...issue.path, key]),
      message: inAspects
        ? `unknown aspect "${key}" (supported: ${ASPECTS.join(', ')})`
        : `${where} has no property "${key}"`,
    }));
  }
  if (issue.code === 'invalid_union') {
    // Report the branch that got furthest, rather than "invalid input".
    const branches = issue.errors.filter((b) => b.length > 0);
    const best = branches.sort((a, b) => depth(b) - depth(a))[0];
    if (best)
      return best.flatMap((inner) =>
        fromZodIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue),
      );
  }
  return [{ code: CODES[issue.code] ?? 'invalid_value', path: where, message: `${where}: ${issue.message}` }];
}

const depth = (issues: z.core.$ZodIssue[]) => Math.max(...issues.map((i) => i.path.length));

/** Type a prop may bind: the same type, or a date shown as text. */
function compatible(fieldType: FieldType, propType: FieldType): boolean {
  return fieldType === propType || (propType === 'text' && fieldType === 'date');
}

function checkReferences(t: Template): EngineError[] {
  const errors: EngineError[] = [];
  const add = (
    path: (string | number)[],
    code: EngineError['code'],
    message: string,
    extra: Partial<EngineError> = {},
  ) => errors.push({ code, path: jsonPath(path), message, ...extra });

  if (t.engine > ENGINE_GENERATION)
    add(
      ['engine'],
      'unsupported_engine',
      `engine generation ${t.engine} is newer than this engine (${ENGINE_GENERATION})`,
    );

  for (const [aspect, size] of Object.entries(t.aspects) as [Aspect, [number, number]][]) {
    const ratio = size[0] / size[1];
    if (Math.abs(ratio / ASPECT_RATIOS[aspect] - 1) > 0.01)
      add(['aspects', aspect], 'invalid_value', `size ${size[0]}x${size[1]} is not ${aspect}`, { aspect });
  }

  // Field defaults must themselves be valid values.
  const checkDefault = (def: FieldDef, path: (string | number)[], name: string) => {
    if (def.default === undefined) return;
    for (const locale of LOCALES) {
      const value = def.type === 'text' ? localize(def.default, locale) : def.default;
      if (def.type === 'list') {
        const items = Array.isArray(def.default) ? def.default : def.default[locale];
        if (items)
          for (const e of validateFieldValue(def, items, name))
            add([...path, 'default'], e.code, `default: ${e.message}`);
        continue;
      }
      for (const e of validateFieldValue(def, value, name))
        add([...path, 'default'], e.code, `default: ${e.message}`);
      if (def.type !== 'text') break;
    }
    if (def.type === 'number' && def.min !== undefined && def.max !== undefined && def.min > def.max)
      add(path, 'invalid_value', `field "${name}" has min greater than max`);
    if (def.type === 'list' && def.minItems > def.maxItems)
      add(path, 'invalid_value', `field "${name}" has minItems greater than maxItems`);
  };
  for (const [name, def] of Object.entries(t.fields)) checkDefault(def, ['fields', name], name);

  const globalField = (name: string) => (name.includes('.') ? undefined : t.fields[name]);
  // A binding names a global field or a field of its own scene: scenes may be removed or added in
  // flexible templates, so no scene may depend on another scene's fields.
  const resolveBinding = (field: string, scene: Scene | undefined): FieldDef | undefined => {
    const dot = field.indexOf('.');
    if (dot < 0) return t.fields[field];
    const [sceneId, name] = [field.slice(0, dot), field.slice(dot + 1)];
    if (!scene || scene.id !== sceneId) return undefined;
    return scene.fields[name];
  };
  const checkBinding = (
    value: unknown,
    scene: Scene | undefined,
    path: (string | number)[],
    want: FieldType[],
    needDefault = false,
  ) => {
    if (value === null || typeof value !== 'object' || !('field' in value)) return;
    const field = (value as { field: string }).field;
    const def = scene ? resolveBinding(field, scene) : globalField(field);
    if (!def) {
      const other = field.includes('.') && scene && !field.startsWith(`${scene.id}.`);
      add(
        path,
        'unknown_field',
        other
          ? `"${field}" belongs to another scene; a scene may bind global fields and its own fields ("${scene.id}.<name>")`
          : `no field "${field}"${scene ? '' : ' among the global fields'}`,
        { field },
      );
      return;
    }
    if (!want.some((w) => compatible(def.type, w)))
      add(path, 'field_type_mismatch', `field "${field}" is ${def.type}; expected ${want.join(' or ')}`, {
        field,
      });
    else if (needDefault && def.default === undefined)
      add(
        path,
        'missing_value',
        `field "${field}" needs a default because the template's look depends on it`,
        {
          field,
        },
      );
  };

  for (const role of Object.keys(t.palette) as (keyof Template['palette'])[])
    checkBinding(t.palette[role], undefined, ['palette', role], ['color'], true);
  checkBinding(t.fonts.display, undefined, ['fonts', 'display'], ['font'], true);
  checkBinding(t.fonts.body, undefined, ['fonts', 'body'], ['font'], true);
  if (t.music) checkBinding(t.music.asset, undefined, ['music', 'asset'], ['audio']);
  if (t.voiceOver) checkBinding({ field: t.voiceOver.field }, undefined, ['voiceOver', 'field'], ['audio']);

  const ids = new Set<string>();
  t.scenes.forEach((scene, i) => {
    const at = ['scenes', i] as (string | number)[];
    if (ids.has(scene.id)) add([...at, 'id'], 'duplicate_id', `scene id "${scene.id}" is used twice`);
    ids.add(scene.id);
    for (const [name, def] of Object.entries(scene.fields))
      checkDefault(def, [...at, 'fields', name], `${scene.id}.${name}`);
    if ('block' in scene) checkBlockScene(scene, at);
    else
      scene.layers.forEach((layer, j) => {
        checkLayer(layer, scene, [...at, 'layers', j]);
      });
    if ('background' in scene && scene.background) checkPaint(scene.background, scene, [...at, 'background']);
  });

  function checkBlockScene(scene: Extract<Scene, { block: string }>, at: (string | number)[]) {
    const block = getBlock(t.engine, scene.block);
    if (!block) {
      add([...at, 'block'], 'unknown_block', `unknown block "${scene.block}"`);
      return;
    }
    for (const [name, value] of Object.entries(scene.props)) {
      const spec = block.props[name];
      const path = [...at, 'props', name];
      if (!spec) {
        add(
          path,
          'unknown_key',
          `block "${block.id}" has no prop "${name}" (props: ${Object.keys(block.props).join(', ')})`,
        );
        continue;
      }
      if (
        value !== null &&
        typeof value === 'object' &&
        'field' in value &&
        Object.keys(value).length === 1
      ) {
        checkBinding(value, scene, path, [spec.def.type]);
        const def = resolveBinding((value as { field: string }).field, scene);
        if (def?.type === 'list' && spec.def.type === 'list') {
          for (const [key, itemDef] of Object.entries(spec.def.item)) {
            const given = def.item[key];
            if (!given && !itemDef.optional)
              add(
                path,
                'field_type_mismatch',
                `list field items need "${key}" (${itemDef.type}) for prop "${name}"`,
              );
            else if (given && !compatible(given.type, itemDef.type))
              add(
                path,
                'field_type_mismatch',
                `list item "${key}" is ${given.type}; prop "${name}" needs ${itemDef.type}`,
              );
          }
        }
        continue;
      }
      // Literal: text may be given per language, colours may name a palette role.
      if (
        spec.def.type === 'color' &&
        typeof value === 'string' &&
        /^@(background|surface|primary|accent|text|muted)$/.test(value)
      )
        continue;
      for (const locale of LOCALES) {
        const literal =
          spec.def.type === 'text' && value !== null && typeof value === 'object'
            ? localize(value as never, locale)
            : value;
        const found = validateFieldValue(spec.def, literal, name);
        for (const e of found) add(path, e.code, `prop "${name}" of block "${block.id}": ${e.message}`);
        if (found.length || spec.def.type !== 'text') break;
      }
    }
    const { min, max } = block.duration;
    if (scene.duration.min < min || scene.duration.max > max)
      add([...at, 'duration'], 'duration_bounds', `block "${block.id}" supports ${min} to ${max} seconds`);
  }

  function checkPaint(paint: unknown, scene: Scene, path: (string | number)[]) {
    if (paint === null || typeof paint !== 'object') return;
    if ('field' in paint) checkBinding(paint, scene, path, ['color']);
    else if ('keyframes' in paint)
      (paint.keyframes as { value: unknown }[]).forEach((k, i) => {
        checkBinding(k.value, scene, [...path, 'keyframes', i, 'value'], ['color']);
      });
    else if ('stops' in paint)
      (paint.stops as { color: unknown }[]).forEach((s, i) => {
        checkBinding(s.color, scene, [...path, 'stops', i, 'color'], ['color']);
      });
  }

  function checkLayer(layer: Layer, scene: Scene, at: (string | number)[]) {
    if (layer.type === 'text') checkBinding(layer.text, scene, [...at, 'text'], ['text']);
    if (layer.type === 'image') checkBinding(layer.asset, scene, [...at, 'asset'], ['image']);
    if (layer.type === 'svg') checkBinding(layer.asset, scene, [...at, 'asset'], ['image']);
    if (layer.type === 'text' || layer.type === 'solid') checkPaint(layer.color, scene, [...at, 'color']);
    if (layer.type === 'shape') {
      if (layer.fill) checkPaint(layer.fill, scene, [...at, 'fill']);
      if (layer.stroke) checkPaint(layer.stroke.color, scene, [...at, 'stroke', 'color']);
      if (layer.shape === 'path' && !layer.path)
        add(at, 'missing_value', 'a "path" shape needs "path" (SVG path data)');
    }
    if (layer.type === 'gradient') checkPaint(layer, scene, at);
    for (const [aspect, override] of Object.entries(layer.aspects ?? {})) {
      if (!(aspect in t.aspects))
        add([...at, 'aspects', aspect], 'unknown_aspect', `the template does not declare aspect ${aspect}`, {
          aspect: aspect as Aspect,
        });
      const merged = layerSchema.safeParse({ ...layer, aspects: undefined, ...override });
      if (!merged.success)
        for (const issue of merged.error.issues)
          add(
            [...at, 'aspects', aspect, ...(issue.path as (string | number)[])],
            'invalid_value',
            issue.message,
            {
              aspect: aspect as Aspect,
            },
          );
      if ('type' in (override ?? {}))
        add([...at, 'aspects', aspect, 'type'], 'invalid_value', 'an override cannot change the layer type');
    }
  }

  if (t.mode === 'fixed' && t.allowedBlocks?.length)
    add(['allowedBlocks'], 'invalid_value', 'allowedBlocks applies to flexible templates only');
  (t.allowedBlocks ?? []).forEach((id, i) => {
    if (!getBlock(t.engine, id)) add(['allowedBlocks', i], 'unknown_block', `unknown block "${id}"`);
  });
  if (t.minScenes > t.maxScenes) add(['minScenes'], 'invalid_value', 'minScenes is greater than maxScenes');
  const total = t.scenes.reduce((s, scene) => s + scene.duration.default, 0);
  if (total > t.maxDuration)
    add(
      ['scenes'],
      'duration_bounds',
      `the scenes last ${total} seconds by default; maxDuration is ${t.maxDuration}`,
    );
  return errors;
}
