export {
  type AssetFiles,
  type CompositionSourceInput,
  compositionSource,
  resolveAssetFile,
} from './composition.source';
export { DrawPool, DrawPoolError, defaultWorkerCount } from './draw-pool';
export type { CreateFrameSource, FrameSource, FrameSourceInfo, FrameSourceRef } from './frame-source';
export { PROGRESS_INTERVAL_MS, ProgressMeter, type RenderProgress } from './progress';
export { type RenderStillOptions, renderStill, type StillResult } from './render-still';
export {
  audioMixOf,
  type FrameRange,
  type RenderFramesOptions,
  type RenderResult,
  type RenderVideoOptions,
  renderFrames,
  renderVideo,
} from './render-video';
export { spawnWorker } from './spawn-worker';
export {
  drawTestPattern,
  patchCentre,
  TEST_PATTERN_COLORS,
  type TestPatternInput,
  testPatternSource,
} from './test-pattern.source';
