/*
 * @flatrender/engine: browser-safe API (the studio imports this in the browser). Node-only
 * helpers (Skia canvas, font files, image loading, demo templates) are in '@flatrender/engine/node'.
 */

export { type AssetLoader, memoryAssetLoader } from './assets/asset-loader';
export {
  type AnyBlock,
  type BlockContext,
  type BlockDefinition,
  defineBlock,
  type Orientation,
  type PropSpec,
  prop,
  type SceneTime,
} from './blocks/block.types';
export { blockReferenceMarkdown } from './blocks/block-reference';
export { getBlock, listBlocks } from './blocks/registry';
export {
  coverageFontProvider,
  cssFont,
  type FontFace,
  type FontProvider,
  fontAlias,
  fontSpec,
  type InstalledFont,
  isIgnorableCodepoint,
  parseFontSpec,
} from './fonts/font-spec';
export {
  backIn,
  backInOut,
  backOut,
  cubicBezier,
  cubicIn,
  cubicInOut,
  cubicOut,
  type EasingFn,
  easing,
  elasticIn,
  elasticOut,
  linear,
  spring,
} from './layers/easing';
export { colorAt, numberAt } from './layers/keyframes';
export type {
  Canvas2D,
  Drawable,
  GradientLike,
  Surface,
  SurfaceFactory,
  TextMeasurer,
} from './render/canvas.types';
export { platformSurfaceFactory } from './render/canvas.types';
export { type CheckOptions, type CheckResult, checkProject } from './render/check-project';
export { mixColors, parseHex, readableOn } from './render/color';
export {
  type AudioTrack,
  type Composition,
  type CompositionOptions,
  resolveComposition,
  type SceneTiming,
} from './render/composition';
export { ENGINE_GENERATION } from './render/generation';
export { type PreparedComposition, type PrepareOptions, prepareComposition } from './render/prepare';
export { hashString, seededRandom } from './render/random';
export { renderFrame } from './render/render-frame';
export { type EngineError, type EngineErrorCode, EngineValidationError } from './template/engine-error';
export {
  TEMPLATE_SCHEMA_ID,
  templateJsonSchema,
  templateJsonSchemaText,
} from './template/template.json-schema';
export * from './template/template.schema';
export { parseTemplate, type TemplateValidation, validateTemplate } from './template/template.validate';
export { baseDirection, type Direction, strongDirection, visualWordOrder } from './text/bidi';
export { type DateFormatOptions, formatDate, parseIsoDate } from './text/date-format';
export { formatNumber, toLatinDigits, toPersianDigits, usesPersianDigits } from './text/digits';
export {
  drawText,
  type FittedText,
  fitText,
  type LaidLine,
  type LaidWord,
  paragraphs,
  type TextSpec,
} from './text/text-layout';
export { type FieldValues, localize, type SceneEntry, validateFieldValue } from './values/field-values';
export {
  addedScene,
  fieldDefinitions,
  projectScenes,
  type ResolvedValues,
  resolveValues,
  validateValues,
} from './values/project';
export { applySceneEdits, type SceneEdit, type SceneEditResult } from './values/scene-edits';
