import type { Aspect, Template } from '../template/template.schema';
import type { FieldValues } from '../values/field-values';
import type { Canvas2D } from './canvas.types';
import { type PreparedComposition, type PrepareOptions, prepareComposition } from './prepare';

// Recently prepared projects per template object, so scrubbing a preview does not re-prepare.
const recent = new WeakMap<Template, Map<string, Promise<PreparedComposition>>>();
const KEEP = 4;

/**
 * Draws the frame of `template` with `values` at `aspect` and time `t` (seconds) onto any Canvas 2D
 * context. Prepares (and caches) the composition on first use; hot loops should call
 * prepareComposition once and drawFrame per frame instead. With `options.fonts` the project is
 * checked first (strict); without, it is drawn as a preview.
 */
export async function renderFrame(
  template: Template,
  values: FieldValues,
  aspect: Aspect,
  t: number,
  ctx: Canvas2D,
  options: PrepareOptions = { locale: 'fa' },
): Promise<void> {
  // Without a FontProvider nothing can be checked: draw as a preview (renders use
  // prepareComposition with fonts, which refuses projects with check errors).
  const prepareOptions: PrepareOptions = {
    ...options,
    strict: options.strict ?? options.fonts !== undefined,
  };
  let cache = recent.get(template);
  if (!cache) {
    cache = new Map();
    recent.set(template, cache);
  }
  const key = JSON.stringify([
    values,
    aspect,
    options.locale,
    options.watermark ?? null,
    options.strict ?? true,
  ]);
  let prepared = cache.get(key);
  if (!prepared) {
    prepared = prepareComposition(template, values, aspect, prepareOptions);
    cache.set(key, prepared);
    prepared.catch(() => cache.delete(key));
    if (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  }
  (await prepared).drawAt(ctx, t);
}
