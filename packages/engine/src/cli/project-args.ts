import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AssetFiles } from '../pipeline/composition.source';
import { ASPECTS, type Aspect, LOCALES, type Locale, type Template } from '../template/template.schema';
import { parseTemplate } from '../template/template.validate';
import type { FieldValues } from '../values/field-values';
import { fieldDefinitions } from '../values/project';

/** A command-line mistake: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Options both `render` and `still` take (node:util parseArgs format). */
export const PROJECT_OPTIONS = {
  set: { type: 'string', multiple: true },
  duration: { type: 'string', multiple: true },
  values: { type: 'string' },
  aspect: { type: 'string' },
  locale: { type: 'string' },
  out: { type: 'string', short: 'o' },
  quality: { type: 'string' },
  scale: { type: 'string' },
  watermark: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ProjectArgs {
  template: Template;
  templateFile: string;
  values: FieldValues;
  aspect: Aspect;
  locale: Locale;
  assets: AssetFiles;
}

/**
 * Reads the template file and turns `--values`, `--set field=value` and `--duration scene=seconds`
 * into project values. `--set` values are typed by the field they set (numbers, booleans, lists as
 * JSON); an image or audio value that names an existing file is rendered from that file.
 */
export async function loadProject(
  templatePath: string | undefined,
  options: {
    set?: string[] | undefined;
    duration?: string[] | undefined;
    values?: string | undefined;
    aspect?: string | undefined;
    locale?: string | undefined;
  },
): Promise<ProjectArgs> {
  if (!templatePath) throw new UsageError('missing <template.json>');
  const templateFile = resolve(templatePath);
  let document: unknown;
  try {
    document = JSON.parse(await readFile(templateFile, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read template ${templatePath}: ${(error as Error).message}`);
  }
  const template = parseTemplate(document);
  const values: FieldValues = options.values
    ? (JSON.parse(await readFile(options.values, 'utf8')) as FieldValues)
    : {};
  const assets: AssetFiles = { dir: dirname(templateFile), files: {} };
  const defs = fieldDefinitions(template, template.scenes);
  for (const pair of options.set ?? []) {
    const [path, raw] = splitPair(pair, '--set', 'field=value');
    const def = defs.get(path);
    if (!def)
      throw new UsageError(
        `--set ${path}: the template has no field "${path}" (fields: ${[...defs.keys()].join(', ')})`,
      );
    values.fields = { ...values.fields, [path]: typedValue(def.type, raw, path) };
    if ((def.type === 'image' || def.type === 'audio') && existsSync(raw)) assets.files![raw] = resolve(raw);
  }
  for (const pair of options.duration ?? []) {
    const [scene, raw] = splitPair(pair, '--duration', 'scene=seconds');
    const seconds = Number(raw);
    if (!Number.isFinite(seconds)) throw new UsageError(`--duration ${scene}: "${raw}" is not a number`);
    values.durations = { ...values.durations, [scene]: seconds };
  }
  const aspect = (options.aspect ?? Object.keys(template.aspects)[0]) as Aspect;
  if (!(ASPECTS as readonly string[]).includes(aspect)) {
    throw new UsageError(`--aspect must be one of ${ASPECTS.join(', ')}`);
  }
  const locale = (options.locale ?? template.locales[0] ?? 'fa') as Locale;
  if (!(LOCALES as readonly string[]).includes(locale))
    throw new UsageError(`--locale must be one of ${LOCALES.join(', ')}`);
  return { template, templateFile, values, aspect, locale, assets };
}

function splitPair(pair: string, flag: string, shape: string): [string, string] {
  const at = pair.indexOf('=');
  if (at <= 0) throw new UsageError(`${flag} expects ${shape}, got "${pair}"`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function typedValue(type: string, raw: string, path: string): unknown {
  switch (type) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n))
        throw new UsageError(`--set ${path}: "${raw}" is not a number`);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`--set ${path}: expected true or false`);
      return raw === 'true';
    case 'list':
      try {
        return JSON.parse(raw);
      } catch {
        throw new UsageError(`--set ${path}: a list value is JSON, e.g. '[{"label":"A","value":1}]'`);
      }
    default:
      return raw;
  }
}

export function parseEnum<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function parseNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag}: "${value}" is not a number`);
  return n;
}
