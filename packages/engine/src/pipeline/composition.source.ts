import { isAbsolute, join, normalize, relative } from 'node:path';
import { builtinAssetPath, nodeRenderOptions } from '../node';
import { prepareComposition } from '../render/prepare';
import type { Aspect, Locale, Template } from '../template/template.schema';
import type { FieldValues } from '../values/field-values';
import type { FrameSource, FrameSourceRef } from './frame-source';

/** Everything a draw worker needs to prepare a project's composition (structured-clonable). */
export interface CompositionSourceInput {
  template: Template;
  values: FieldValues;
  aspect: Aspect;
  locale: Locale;
  watermark?: boolean | { text: string };
  assets?: AssetFiles;
}

/**
 * Where the project's own assets (uploads, template files) are on disk. `builtin:` references
 * always resolve to the engine's bundled assets.
 */
export interface AssetFiles {
  /** Reference -> file path. */
  files?: Record<string, string>;
  /** Directory that other references are relative to (they may not climb out of it). */
  dir?: string;
}

export function resolveAssetFile(assets: AssetFiles | undefined, ref: string): string | undefined {
  const builtin = builtinAssetPath(ref);
  if (builtin) return builtin;
  const mapped = assets?.files?.[ref];
  if (mapped) return mapped;
  if (!assets?.dir) return undefined;
  const path = normalize(join(assets.dir, ref));
  const rel = relative(assets.dir, path);
  return rel.startsWith('..') || isAbsolute(rel) ? undefined : path;
}

export async function createFrameSource(input: CompositionSourceInput): Promise<FrameSource> {
  const prepared = await prepareComposition(
    input.template,
    input.values,
    input.aspect,
    nodeRenderOptions(input.locale, {
      resolveRef: (ref) => resolveAssetFile(input.assets, ref),
      ...(input.watermark ? { watermark: input.watermark } : {}),
    }),
  );
  const c = prepared.composition;
  return {
    width: c.width,
    height: c.height,
    fps: c.fps,
    frameCount: c.frameCount,
    drawFrame: (ctx, frame) => prepared.drawFrame(ctx, frame),
  };
}

export function compositionSource(input: CompositionSourceInput): FrameSourceRef<CompositionSourceInput> {
  return { module: import.meta.url, input };
}
