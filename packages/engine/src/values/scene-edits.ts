import type { EngineError } from '../template/engine-error';
import type { Template } from '../template/template.schema';
import type { FieldValues, SceneEntry } from './field-values';
import { projectScenes, validateValues } from './project';

export type SceneEdit =
  | { op: 'add'; block: string; at?: number; id?: string }
  | { op: 'remove'; scene: string }
  | { op: 'move'; scene: string; to: number }
  | { op: 'duration'; scene: string; seconds: number };

export interface SceneEditResult {
  ok: boolean;
  values: FieldValues;
  errors: EngineError[];
}

/**
 * Applies scene edits to a project's values and returns new values (the input is not changed).
 * Adding, removing and moving need a flexible template; durations may change on any template but
 * stay within the scene's bounds. The result is validated as a whole.
 */
export function applySceneEdits(
  template: Template,
  values: FieldValues,
  edits: readonly SceneEdit[],
): SceneEditResult {
  const errors: EngineError[] = [];
  let order: SceneEntry[] = values.scenes
    ? values.scenes.map((s) => ({ ...s }))
    : template.scenes.map((s) => ({ id: s.id }));
  const fields = { ...(values.fields ?? {}) };
  const durations = { ...(values.durations ?? {}) };
  let structural = values.scenes !== undefined;

  edits.forEach((edit, i) => {
    const path = `edits[${i}]`;
    const indexOf = (id: string) => order.findIndex((s) => s.id === id);
    if (edit.op !== 'duration' && template.mode === 'fixed') {
      errors.push({
        code: 'scene_edit_forbidden',
        path,
        message: `template "${template.id}" is fixed: scenes cannot be added, removed or reordered`,
      });
      return;
    }
    switch (edit.op) {
      case 'add': {
        if (!(template.allowedBlocks ?? []).includes(edit.block)) {
          errors.push({
            code: 'scene_edit_forbidden',
            path,
            message: `block "${edit.block}" is not allowed in "${template.id}" (allowed: ${(template.allowedBlocks ?? []).join(', ') || 'none'})`,
          });
          return;
        }
        const id = edit.id ?? freshId(edit.block, order, template);
        if (order.some((s) => s.id === id) || template.scenes.some((s) => s.id === id)) {
          errors.push({ code: 'duplicate_id', path, message: `scene id "${id}" is already used` });
          return;
        }
        const at = edit.at === undefined ? order.length : edit.at;
        if (!Number.isInteger(at) || at < 0 || at > order.length) {
          errors.push({
            code: 'out_of_range',
            path,
            message: `position ${at} is outside 0..${order.length}`,
          });
          return;
        }
        order.splice(at, 0, { id, block: edit.block });
        structural = true;
        return;
      }
      case 'remove': {
        const at = indexOf(edit.scene);
        if (at < 0) {
          errors.push({ code: 'unknown_scene', path, message: `the project has no scene "${edit.scene}"` });
          return;
        }
        order = order.filter((s) => s.id !== edit.scene);
        for (const key of Object.keys(fields)) if (key.startsWith(`${edit.scene}.`)) delete fields[key];
        delete durations[edit.scene];
        structural = true;
        return;
      }
      case 'move': {
        const from = indexOf(edit.scene);
        if (from < 0) {
          errors.push({ code: 'unknown_scene', path, message: `the project has no scene "${edit.scene}"` });
          return;
        }
        if (!Number.isInteger(edit.to) || edit.to < 0 || edit.to >= order.length) {
          errors.push({
            code: 'out_of_range',
            path,
            message: `position ${edit.to} is outside 0..${order.length - 1}`,
          });
          return;
        }
        const [entry] = order.splice(from, 1);
        order.splice(edit.to, 0, entry!);
        structural = true;
        return;
      }
      case 'duration': {
        const current = projectScenes(template, {
          ...values,
          scenes: structural ? order : values.scenes,
        }).scenes;
        const scene = current.find((s) => s.id === edit.scene);
        if (!scene) {
          errors.push({ code: 'unknown_scene', path, message: `the project has no scene "${edit.scene}"` });
          return;
        }
        const { min, max } = scene.duration;
        if (!Number.isFinite(edit.seconds) || edit.seconds < min || edit.seconds > max) {
          errors.push({
            code: 'duration_bounds',
            path,
            message: `scene "${edit.scene}" must last ${min} to ${max} seconds, got ${edit.seconds}`,
          });
          return;
        }
        if (edit.seconds === scene.duration.default) delete durations[edit.scene];
        else durations[edit.scene] = edit.seconds;
        return;
      }
    }
  });

  const next: FieldValues = { ...values, fields, durations };
  if (structural) next.scenes = order;
  if (Object.keys(fields).length === 0) delete next.fields;
  if (Object.keys(durations).length === 0) delete next.durations;
  if (errors.length === 0) errors.push(...validateValues(template, next).errors);
  return { ok: errors.length === 0, values: errors.length === 0 ? next : values, errors };
}

function freshId(block: string, order: SceneEntry[], template: Template): string {
  for (let n = 2; ; n++) {
    const id = `${block}-${n}`;
    if (!order.some((s) => s.id === id) && !template.scenes.some((s) => s.id === id)) return id;
  }
}
