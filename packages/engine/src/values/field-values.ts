import type { EngineError } from '../template/engine-error';
import {
  type FieldDef,
  FONT_SPEC,
  HEX_COLOR,
  type Locale,
  type Localized,
  type ScalarFieldDef,
} from '../template/template.schema';
import { parseIsoDate } from '../text/date-format';

/**
 * A project's values. Only what differs from the template's defaults is stored, plus the scene
 * list of a flexible template.
 */
export interface FieldValues {
  /** Keyed by field path: global fields by name ("brand"), scene fields as "<scene>.<name>". */
  fields?: Record<string, unknown>;
  /** Scene lengths in seconds, keyed by scene id. */
  durations?: Record<string, number>;
  /**
   * Flexible templates only: the scene order. An entry naming a template scene uses it; an entry
   * with `block` is a scene the user added from `allowedBlocks`.
   */
  scenes?: SceneEntry[];
}

export interface SceneEntry {
  id: string;
  block?: string;
}

export function localize(value: Localized, locale: Locale): string {
  if (typeof value === 'string') return value;
  return value[locale] ?? value.fa ?? value.en ?? '';
}

/** The default of a field in a locale; undefined when the field has none. */
export function fieldDefault(def: FieldDef, locale: Locale): unknown {
  switch (def.type) {
    case 'text':
      return def.default === undefined ? undefined : localize(def.default, locale);
    case 'list': {
      if (def.default === undefined) return undefined;
      const items = Array.isArray(def.default)
        ? def.default
        : (def.default[locale] ?? def.default.fa ?? def.default.en);
      return items?.map((item) => localizeItem(def.item, item, locale));
    }
    default:
      return def.default;
  }
}

/** List item defaults may hold per-language texts ({ fa, en }); values never do. */
function localizeItem(item: Record<string, ScalarFieldDef>, value: Record<string, unknown>, locale: Locale) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      item[k]?.type === 'text' && v !== null && typeof v === 'object' ? localize(v as Localized, locale) : v;
  }
  return out;
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

function err(code: EngineError['code'], path: string, message: string, field?: string): EngineError {
  return field === undefined ? { code, path, message } : { code, path, message, field };
}

/**
 * Checks one value against its field definition. `path` names the value in messages
 * ("intro.title", "bars[2].value"); `field` is the field path the error is reported against.
 */
export function validateFieldValue(def: FieldDef, value: unknown, path: string, field = path): EngineError[] {
  const label = `"${path}"`;
  switch (def.type) {
    case 'text': {
      if (typeof value !== 'string')
        return [err('invalid_type', path, `${label} must be text, got ${typeName(value)}`, field)];
      const length = [...value].length;
      if (length > def.maxLength)
        return [
          err(
            'too_long',
            path,
            `${label} is ${length} characters long; the limit is ${def.maxLength}`,
            field,
          ),
        ];
      if (!def.multiline && /[\r\n]/.test(value))
        return [err('invalid_value', path, `${label} must be a single line`, field)];
      if (!def.optional && value.trim() === '')
        return [err('missing_value', path, `${label} must not be empty`, field)];
      return [];
    }
    case 'color':
      if (typeof value !== 'string' || !HEX_COLOR.test(value))
        return [
          err(
            'bad_color',
            path,
            `${label} must be a hex colour like "#e94560", got ${JSON.stringify(value)}`,
            field,
          ),
        ];
      return [];
    case 'image':
    case 'audio':
      if (typeof value !== 'string' || value.length === 0 || value.length > 500)
        return [err('invalid_type', path, `${label} must be an asset reference (a non-empty string)`, field)];
      return [];
    case 'font':
      if (typeof value !== 'string' || !FONT_SPEC.test(value))
        return [err('invalid_value', path, `${label} must be a font like "Vazirmatn:800"`, field)];
      if (def.allowed && !def.allowed.includes(value))
        return [err('invalid_value', path, `${label} must be one of ${def.allowed.join(', ')}`, field)];
      return [];
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return [err('invalid_type', path, `${label} must be a number, got ${typeName(value)}`, field)];
      if (def.min !== undefined && value < def.min)
        return [err('out_of_range', path, `${label} is ${value}; the minimum is ${def.min}`, field)];
      if (def.max !== undefined && value > def.max)
        return [err('out_of_range', path, `${label} is ${value}; the maximum is ${def.max}`, field)];
      if (def.step !== undefined) {
        const steps = (value - (def.min ?? 0)) / def.step;
        if (Math.abs(steps - Math.round(steps)) > 1e-9)
          return [err('invalid_value', path, `${label} must be a multiple of ${def.step}`, field)];
      }
      return [];
    }
    case 'date':
      if (typeof value !== 'string' || !parseIsoDate(value))
        return [
          err(
            'invalid_value',
            path,
            `${label} must be a date "YYYY-MM-DD", got ${JSON.stringify(value)}`,
            field,
          ),
        ];
      return [];
    case 'boolean':
      if (typeof value !== 'boolean')
        return [err('invalid_type', path, `${label} must be true or false, got ${typeName(value)}`, field)];
      return [];
    case 'choice':
      if (typeof value !== 'string' || !def.options.some((o) => o.value === value))
        return [
          err(
            'invalid_value',
            path,
            `${label} must be one of ${def.options.map((o) => `"${o.value}"`).join(', ')}, got ${JSON.stringify(value)}`,
            field,
          ),
        ];
      return [];
    case 'list': {
      if (!Array.isArray(value))
        return [err('invalid_type', path, `${label} must be a list, got ${typeName(value)}`, field)];
      if (value.length < def.minItems || value.length > def.maxItems)
        return [
          err(
            'list_bounds',
            path,
            `${label} has ${value.length} items; it needs ${def.minItems} to ${def.maxItems}`,
            field,
          ),
        ];
      const errors: EngineError[] = [];
      value.forEach((item, i) => {
        const itemPath = `${path}[${i}]`;
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          errors.push(err('invalid_type', itemPath, `"${itemPath}" must be an object`, field));
          return;
        }
        for (const key of Object.keys(item)) {
          if (!(key in def.item))
            errors.push(
              err(
                'unknown_field',
                `${itemPath}.${key}`,
                `"${itemPath}" has no field "${key}" (known: ${Object.keys(def.item).join(', ')})`,
                field,
              ),
            );
        }
        for (const [key, itemDef] of Object.entries(def.item)) {
          const v = (item as Record<string, unknown>)[key];
          if (v === undefined) {
            if (!itemDef.optional && itemDef.default === undefined)
              errors.push(
                err('missing_value', `${itemPath}.${key}`, `"${itemPath}.${key}" is required`, field),
              );
            continue;
          }
          errors.push(...validateFieldValue(itemDef, v, `${itemPath}.${key}`, field));
        }
      });
      return errors;
    }
  }
}

/** Item values with item defaults filled in. */
export function completeListItems(
  def: Extract<FieldDef, { type: 'list' }>,
  items: unknown[],
  locale: Locale,
) {
  return items.map((item) => {
    const out: Record<string, unknown> = {};
    for (const [key, itemDef] of Object.entries(def.item)) {
      const v = (item as Record<string, unknown>)[key];
      out[key] = v === undefined ? fieldDefault(itemDef, locale) : v;
    }
    return out;
  });
}
