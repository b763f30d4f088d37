import type { FieldValues, SceneEntry, Template } from '@flatrender/engine';

/** The reference an image value `{ asset: <sha256> }` becomes for the engine's asset loader. */
export const assetRefOf = (contentHash: string): string => `asset:${contentHash}`;

export interface WorkValuesInput {
  /** Field values by path, as the work item carries them. */
  values: Record<string, unknown>;
  /** The resolved scene list with durations. */
  scenes: readonly { id: string; block: string; duration_seconds: number }[];
}

/**
 * The engine's FieldValues for a work item: image values become asset references the node resolves
 * from its cache, every scene length is explicit, and a flexible template gets the scene order
 * (template scenes by id, added scenes with their block). A fixed template's scene list cannot be
 * changed, so none is passed for it.
 */
export function engineValues(template: Template, item: WorkValuesInput): FieldValues {
  const fields: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(item.values)) fields[path] = toEngineValue(value);
  const durations: Record<string, number> = {};
  for (const scene of item.scenes) durations[scene.id] = scene.duration_seconds;
  const values: FieldValues = { fields, durations };
  if (template.mode === 'flexible') {
    const own = new Set(template.scenes.map((s) => s.id));
    values.scenes = item.scenes.map(
      (s): SceneEntry => (own.has(s.id) ? { id: s.id } : { id: s.id, block: s.block }),
    );
  }
  return values;
}

function toEngineValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toEngineValue);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === 'asset' && typeof record.asset === 'string')
      return assetRefOf(record.asset);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, toEngineValue(v)]));
  }
  return value;
}
