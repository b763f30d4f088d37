/*
 * Node-only parts of the engine: Skia canvases, font registration and coverage, image loading,
 * demo templates. Browser code imports '@flatrender/engine' only.
 */
import type { PrepareOptions } from '../render/prepare';
import type { Locale } from '../template/template.schema';
import { nodeAssetLoader, type RefResolver } from './file-assets.loader';
import { registerBundledFonts } from './font-files.provider';
import { nodeSurfaceFactory } from './skia-canvas';

export { DEMO_TEMPLATE_DIR, type DemoTemplate, demoTemplates } from './demo-templates';
export {
  BUILTIN_ASSET_DIR,
  BUILTIN_PREFIX,
  builtinAssetPath,
  nodeAssetLoader,
  type RefResolver,
} from './file-assets.loader';
export {
  bundledFontFiles,
  type FontFile,
  fontCoverage,
  nodeFontProvider,
  registerBundledFonts,
  registerFontFile,
} from './font-files.provider';
export { canvasContext, createCanvas, nodeSurfaceFactory } from './skia-canvas';
export { type StoredFontFace, StoredFontsCache } from './stored-fonts.cache';

/** Everything prepareComposition needs on a render node: bundled fonts, Skia surfaces, image loading. */
export function nodeRenderOptions(
  locale: Locale,
  extra: { resolveRef?: RefResolver; watermark?: PrepareOptions['watermark'] } = {},
): PrepareOptions {
  return {
    locale,
    fonts: registerBundledFonts(),
    createSurface: nodeSurfaceFactory,
    assets: nodeAssetLoader(extra.resolveRef),
    ...(extra.watermark ? { watermark: extra.watermark } : {}),
  };
}
export * from '../audio';
export * from '../cli';
export * from '../encode';
export * from '../pipeline';
