import type { Aspect } from './template.schema';

/**
 * One problem found in a template, a project's values, a scene edit or a pre-render check.
 * `path` is a JSON path into the document that was checked (`$.scenes[0].props.title`), or a
 * field path (`intro.title`) for value and project checks, so a client can point at the input.
 */
export interface EngineError {
  code: EngineErrorCode;
  path: string;
  message: string;
  field?: string;
  aspect?: Aspect;
}

export type EngineErrorCode =
  | 'invalid_document'
  | 'invalid_type'
  | 'invalid_value'
  | 'unknown_key'
  | 'missing_value'
  | 'too_long'
  | 'out_of_range'
  | 'bad_color'
  | 'list_bounds'
  | 'unknown_field'
  | 'field_type_mismatch'
  | 'duplicate_id'
  | 'unknown_block'
  | 'unknown_aspect'
  | 'unsupported_engine'
  | 'scene_edit_forbidden'
  | 'unknown_scene'
  | 'duration_bounds'
  | 'missing_glyphs'
  | 'text_unfit'
  | 'font_missing'
  | 'image_too_small'
  | 'asset_missing';

/** Thrown by the throwing forms (`parseTemplate`, `prepareComposition`); carries every error found. */
export class EngineValidationError extends Error {
  readonly errors: EngineError[];

  constructor(what: string, errors: EngineError[]) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    super(first ? `${what}: ${first.path}: ${first.message}${more}` : what);
    this.name = 'EngineValidationError';
    this.errors = errors;
  }
}

/** Renders a zod-style path (`['scenes', 0, 'props']`) as a JSON path (`$.scenes[0].props`). */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
