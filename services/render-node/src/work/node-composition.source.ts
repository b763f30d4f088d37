/**
 * The frame source of a render node's draw workers: the engine's own composition source, after the
 * work item's fonts were registered in the worker thread (each thread has its own font registry, and
 * a font the composition needs but the thread lacks makes the engine refuse, never fall back).
 */
import {
  type CompositionSourceInput,
  compositionSource,
  type FontFile,
  type FrameSource,
  type FrameSourceRef,
  registerFontFile,
} from '@flatrender/engine/node';

export interface NodeCompositionInput extends CompositionSourceInput {
  fonts: FontFile[];
}

type EngineSourceModule = { createFrameSource(input: CompositionSourceInput): Promise<FrameSource> };

export async function createFrameSource(input: NodeCompositionInput): Promise<FrameSource> {
  for (const font of input.fonts) registerFontFile(font);
  const { fonts: _fonts, ...composition } = input;
  const engine = (await import(compositionSource(composition).module)) as EngineSourceModule;
  return engine.createFrameSource(composition);
}

export function nodeCompositionSource(input: NodeCompositionInput): FrameSourceRef<NodeCompositionInput> {
  return { module: import.meta.url, input };
}
