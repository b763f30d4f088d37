import type { BlockContext, BlockTextSpec, Orientation } from '../blocks/block.types';
import type { FontFace } from '../fonts/font-spec';
import type { Aspect } from '../template/template.schema';
import { type FittedText, fitText } from '../text/text-layout';
import type { ResolvedValues } from '../values/project';
import type { Canvas2D, Drawable, TextMeasurer } from './canvas.types';
import type { Composition, SceneTiming } from './composition';
import { hashString } from './random';

/** One fitted text of a prepared scene, kept for pre-render checks. */
export interface TextRecord {
  key: string;
  fitted: FittedText;
  /** Field the text comes from, when bound. */
  field?: string;
  /** Where the text is defined, e.g. "intro.props.title" or "stats.layers[2]". */
  source: string;
  minSize: number;
}

/** Extra strings a scene may draw (counter digits in between values) with the font used. */
export interface GlyphRecord {
  text: string;
  font: FontFace;
  field?: string;
  source: string;
}

/** An image a scene draws, with the limits of the field it comes from. */
export interface ImageUse {
  ref: string;
  field?: string;
  source: string;
  minWidth?: number;
  minHeight?: number;
  aspectHint?: number | string;
}

export interface SceneRuntime {
  timing: SceneTiming;
  texts: TextRecord[];
  glyphs: GlyphRecord[];
  images: ImageUse[];
  draw(ctx: Canvas2D, t: number): void;
}

export function orientationOf(width: number, height: number): Orientation {
  const r = width / height;
  return r >= 1.3 ? 'landscape' : r <= 0.7 ? 'portrait' : 'square';
}

export interface ContextInput {
  template: { id: string };
  composition: Composition;
  rv: ResolvedValues;
  timing: SceneTiming;
  measurer: TextMeasurer;
  images: Map<string, Drawable>;
  /** Field bound to a prop, and its minimum font size. */
  propInfo?: (prop: string) => { field?: string; minFontSize?: number; source: string };
}

/** The block context of one scene plus the records a pre-render check reads. */
export function createSceneContext(input: ContextInput): {
  c: BlockContext;
  texts: TextRecord[];
  glyphs: GlyphRecord[];
} {
  const { composition: comp, rv, timing, measurer, images } = input;
  const texts: TextRecord[] = [];
  const glyphs: GlyphRecord[] = [];
  const cache = new Map<string, FittedText>();
  const c: BlockContext = {
    width: comp.width,
    height: comp.height,
    unit: Math.min(comp.width, comp.height),
    aspect: comp.aspect as Aspect,
    orientation: orientationOf(comp.width, comp.height),
    locale: rv.locale,
    dir: rv.locale === 'fa' ? 'rtl' : 'ltr',
    palette: rv.palette,
    fonts: rv.fonts,
    persianDigits: rv.persianDigits(),
    sceneId: timing.id,
    duration: timing.duration,
    seed: hashString(`${input.template.id}/${timing.id}/${timing.index}`),
    image: (ref) => (ref === undefined ? undefined : images.get(ref)),
    text(key, spec: BlockTextSpec) {
      const cached = cache.get(key);
      if (cached) return cached;
      const info = spec.prop ? input.propInfo?.(spec.prop) : undefined;
      const field = spec.field ?? info?.field;
      const minSize = Math.min(spec.maxSize, info?.minFontSize ?? spec.minSize);
      const fitted = fitText(measurer, { ...spec, minSize, layoutDirection: c.dir });
      cache.set(key, fitted);
      texts.push({
        key,
        fitted,
        minSize,
        source: spec.source ?? info?.source ?? `${timing.id}.${key}`,
        ...(field ? { field } : {}),
      });
      return fitted;
    },
    glyphs(text, font, prop) {
      const info = prop ? input.propInfo?.(prop) : undefined;
      glyphs.push({
        text,
        font,
        source: info?.source ?? `${timing.id}.${prop ?? 'text'}`,
        ...(info?.field ? { field: info.field } : {}),
      });
    },
  };
  return { c, texts, glyphs };
}
