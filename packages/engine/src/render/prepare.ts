import type { AssetLoader } from '../assets/asset-loader';
import type { FontProvider } from '../fonts/font-spec';
import { easing } from '../layers/easing';
import { type EngineError, EngineValidationError } from '../template/engine-error';
import type { Aspect, Locale, Template } from '../template/template.schema';
import type { FieldValues } from '../values/field-values';
import { resolveValues } from '../values/project';
import {
  type Canvas2D,
  context2d,
  type Drawable,
  platformSurfaceFactory,
  type Surface,
  type SurfaceFactory,
} from './canvas.types';
import { sceneIssues } from './check-project';
import { type Composition, compositionOf } from './composition';
import { ENGINE_GENERATION } from './generation';
import { buildScenes } from './scene-build';
import type { SceneRuntime } from './scene-runtime';

export interface PrepareOptions {
  locale: Locale;
  assets?: AssetLoader;
  /** Required when strict: every font and glyph is checked before the first frame. */
  fonts?: FontProvider;
  /** Offscreen surfaces (text measuring, crossfades). Defaults to OffscreenCanvas where it exists. */
  createSurface?: SurfaceFactory;
  /** Draws a watermark over every frame (free plans, previews). */
  watermark?: boolean | { text: string };
  /**
   * Default true: refuse to prepare when checks find errors (missing glyphs, unfit text, missing
   * images). The studio preview passes false to show work in progress; renders never do.
   */
  strict?: boolean;
}

export interface PreparedComposition {
  composition: Composition;
  /** Check errors (only when not strict) and warnings. */
  issues: { errors: EngineError[]; warnings: EngineError[] };
  /** Draws frame `frame` (0-based; time = frame / fps) in composition pixels on ctx's current transform. */
  drawFrame(ctx: Canvas2D, frame: number): void;
  /** Draws the frame at `seconds` on the composition's timeline. */
  drawAt(ctx: Canvas2D, seconds: number): void;
}

interface FrameState {
  comp: Composition;
  scenes: SceneRuntime[];
  surfaces: SurfacePool;
  watermark?: string;
  dir: 'ltr' | 'rtl';
}

type FrameRenderer = (ctx: Canvas2D, state: FrameState, seconds: number) => void;

/**
 * Prepares a project for drawing: resolves values, loads images, measures and fits every text
 * once, checks fonts and glyphs. Frames are then drawn without allocating images or layouts.
 */
export async function prepareComposition(
  template: Template,
  values: FieldValues,
  aspect: Aspect,
  options: PrepareOptions,
): Promise<PreparedComposition> {
  const strict = options.strict ?? true;
  const renderer = RENDERERS.get(template.engine);
  if (!renderer)
    throw new EngineValidationError('unsupported engine', [
      {
        code: 'unsupported_engine',
        path: 'engine',
        message: `engine generation ${template.engine} is not available (this engine draws 1..${ENGINE_GENERATION})`,
      },
    ]);
  if (strict && !options.fonts)
    throw new Error('prepareComposition: strict mode needs a FontProvider (options.fonts)');
  const rv = resolveValues(template, values, { locale: options.locale });
  const comp = compositionOf(template, rv, aspect);
  const factory = options.createSurface ?? platformSurfaceFactory();
  if (!factory)
    throw new Error('prepareComposition needs createSurface (no OffscreenCanvas on this platform)');
  const images = new Map<string, Drawable>();
  const failed = new Set<string>();
  for (const ref of comp.assets) {
    try {
      if (!options.assets) throw new Error('no asset loader');
      images.set(ref, await options.assets.loadImage(ref));
    } catch {
      failed.add(ref);
    }
  }
  const scenes = buildScenes(template, rv, comp, context2d(factory(1, 1)), images, factory);
  const issues = options.fonts
    ? sceneIssues(scenes, aspect, options.fonts, images, failed)
    : { errors: [] as EngineError[], warnings: [] as EngineError[] };
  if (options.fonts)
    for (const face of comp.fonts)
      if (!options.fonts.has(face.family, face.weight))
        issues.errors.push({
          code: 'font_missing',
          path: 'fonts',
          message: `font ${face.family} ${face.weight} is not installed`,
        });
  if (strict && issues.errors.length)
    throw new EngineValidationError('project cannot be rendered', issues.errors);

  const watermark =
    options.watermark === true ? 'FlatRender' : options.watermark ? options.watermark.text : undefined;
  const state: FrameState = {
    comp,
    scenes,
    surfaces: new SurfacePool(factory),
    dir: options.locale === 'fa' ? 'rtl' : 'ltr',
    ...(watermark ? { watermark } : {}),
  };
  return {
    composition: comp,
    issues,
    drawFrame(ctx, frame) {
      const f = Math.min(Math.max(0, Math.floor(frame)), comp.frameCount - 1);
      renderer(ctx, state, f / comp.fps);
    },
    drawAt(ctx, seconds) {
      renderer(ctx, state, Math.min(Math.max(0, seconds), comp.durationSeconds));
    },
  };
}

/** Offscreen surfaces reused across frames (two are enough: a transition draws two scenes). */
class SurfacePool {
  private readonly pool: Surface[] = [];
  constructor(private readonly factory: SurfaceFactory) {}

  get(index: number, width: number, height: number): Surface {
    let s = this.pool[index];
    if (!s || s.width !== width || s.height !== height) {
      s = this.factory(width, height);
      this.pool[index] = s;
    }
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Generation 1 frame renderer. Frozen once published: a pixel change goes into generation 2.

function drawScene(ctx: Canvas2D, state: FrameState, scene: SceneRuntime, seconds: number) {
  const { width, height } = state.comp;
  ctx.save();
  // Every scene starts from the same state, so a frame never depends on the frames before it.
  // Image smoothing: bilinear with mipmaps; bicubic ('high') costs Skia about a third more on a
  // full-frame photo and is indistinguishable in video.
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'medium';
  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  ctx.beginPath();
  ctx.rect(0, 0, width, height);
  ctx.clip();
  scene.draw(ctx, seconds - scene.timing.start);
  ctx.restore();
}

/** Draws a scene on an offscreen surface at the device resolution of ctx, for alpha compositing. */
function offscreen(ctx: Canvas2D, state: FrameState, index: number, scene: SceneRuntime, seconds: number) {
  const m = ctx.getTransform();
  const sx = Math.hypot(m.a, m.b);
  const sy = Math.hypot(m.c, m.d);
  const { width, height } = state.comp;
  const surface = state.surfaces.get(
    index,
    Math.max(1, Math.ceil(width * sx)),
    Math.max(1, Math.ceil(height * sy)),
  );
  const sctx = context2d(surface);
  sctx.save();
  sctx.clearRect(0, 0, surface.width, surface.height);
  sctx.scale(surface.width / width, surface.height / height);
  drawScene(sctx, state, scene, seconds);
  sctx.restore();
  return surface;
}

function drawTransition(
  ctx: Canvas2D,
  state: FrameState,
  from: SceneRuntime,
  to: SceneRuntime,
  seconds: number,
) {
  const { width: w, height: h } = state.comp;
  const spec = to.timing.transitionIn;
  const p = easing(spec.easing)((seconds - to.timing.start) / spec.duration);
  switch (spec.type) {
    case 'crossfade': {
      drawScene(ctx, state, from, seconds);
      const surface = offscreen(ctx, state, 0, to, seconds);
      ctx.save();
      ctx.globalAlpha = p;
      ctx.drawImage(surface, 0, 0, w, h);
      ctx.restore();
      return;
    }
    case 'slide': {
      // The new scene pushes in from the reading direction's far side.
      const dirSign = state.dir === 'rtl' ? -1 : 1;
      ctx.save();
      ctx.translate(-dirSign * p * w, 0);
      drawScene(ctx, state, from, seconds);
      ctx.restore();
      ctx.save();
      ctx.translate(dirSign * (1 - p) * w, 0);
      drawScene(ctx, state, to, seconds);
      ctx.restore();
      return;
    }
    case 'wipe': {
      drawScene(ctx, state, from, seconds);
      const edge = p * w;
      const ltr = state.dir === 'ltr';
      ctx.save();
      ctx.beginPath();
      ctx.rect(ltr ? 0 : w - edge, 0, edge, h);
      ctx.clip();
      drawScene(ctx, state, to, seconds);
      ctx.restore();
      return;
    }
    case 'zoom': {
      const surface = offscreen(ctx, state, 0, to, seconds);
      ctx.save();
      const grow = 1 + 0.18 * p;
      ctx.translate(w / 2, h / 2);
      ctx.scale(grow, grow);
      ctx.translate(-w / 2, -h / 2);
      drawScene(ctx, state, from, seconds);
      ctx.restore();
      ctx.save();
      ctx.globalAlpha = p;
      const s = 0.85 + 0.15 * p;
      ctx.translate(w / 2, h / 2);
      ctx.scale(s, s);
      ctx.translate(-w / 2, -h / 2);
      ctx.drawImage(surface, 0, 0, w, h);
      ctx.restore();
      return;
    }
    case 'none':
      drawScene(ctx, state, seconds < to.timing.start ? from : to, seconds);
  }
}

function drawWatermark(ctx: Canvas2D, state: FrameState, text: string) {
  const { width: w, height: h } = state.comp;
  const u = Math.min(w, h);
  ctx.save();
  ctx.font = `${Math.round(u * 0.045)}px sans-serif`;
  ctx.fillStyle = 'rgba(255,255,255,0.16)';
  ctx.strokeStyle = 'rgba(0,0,0,0.10)';
  ctx.lineWidth = Math.max(1, u * 0.002);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.direction = 'ltr';
  ctx.translate(w / 2, h / 2);
  ctx.rotate(-Math.PI / 7);
  const stepX = u * 0.42;
  const stepY = u * 0.2;
  const reach = Math.hypot(w, h) / 2;
  for (let y = -reach, row = 0; y <= reach; y += stepY, row++) {
    for (let x = -reach + (row % 2) * (stepX / 2); x <= reach; x += stepX) {
      ctx.strokeText(text, x, y);
      ctx.fillText(text, x, y);
    }
  }
  ctx.restore();
}

const drawFrameGeneration1: FrameRenderer = (ctx, state, seconds) => {
  const { scenes } = state;
  let i = scenes.length - 1;
  while (i > 0 && seconds < scenes[i]!.timing.start) i--;
  const current = scenes[i]!;
  const previous = scenes[i - 1];
  ctx.save();
  // A frame owns every pixel of its area: what a previous frame left there never shows through.
  ctx.clearRect(0, 0, state.comp.width, state.comp.height);
  if (previous && seconds < current.timing.start + current.timing.transitionIn.duration)
    drawTransition(ctx, state, previous, current, seconds);
  else drawScene(ctx, state, current, seconds);
  if (state.watermark) drawWatermark(ctx, state, state.watermark);
  ctx.restore();
};

const RENDERERS = new Map<number, FrameRenderer>([[1, drawFrameGeneration1]]);
