import { getBlock } from '../blocks/registry';
import { type FontFace, parseFontSpec } from '../fonts/font-spec';
import { EngineValidationError } from '../template/engine-error';
import {
  ASPECTS,
  type Aspect,
  type Locale,
  type Template,
  type Transition,
} from '../template/template.schema';
import type { FieldValues } from '../values/field-values';
import { type ResolvedValues, resolveValues } from '../values/project';
import { resolveBlockProps } from './scene-props';

export interface SceneTiming {
  id: string;
  index: number;
  kind: 'block' | 'layers';
  block?: string;
  /** Seconds on the composition's timeline. Consecutive scenes overlap by the transition. */
  start: number;
  end: number;
  duration: number;
  /** The transition into this scene (duration 0 for the first scene and for cuts). */
  transitionIn: Transition;
}

export interface AudioTrack {
  kind: 'music' | 'voiceover';
  ref: string;
  volume: number;
  /** Seconds on the composition's timeline. */
  start: number;
  fadeIn: number;
  fadeOut: number;
  /** Music only: volume factor while the voice-over plays. */
  duck?: number;
}

export interface Composition {
  templateId: string;
  engine: number;
  aspect: Aspect;
  locale: Locale;
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  frameCount: number;
  scenes: SceneTiming[];
  /** Fonts the frames draw with: a node must have every one (no fallback fonts). */
  fonts: FontFace[];
  /** Image references the frames draw. */
  assets: string[];
  audio: AudioTrack[];
}

export interface CompositionOptions {
  locale: Locale;
}

const CUT: Transition = { type: 'none', duration: 0, easing: 'linear' };

/** Timing, size, fonts, assets and audio of a project at one aspect. Throws on invalid input. */
export function resolveComposition(
  template: Template,
  values: FieldValues,
  aspect: Aspect,
  options: CompositionOptions,
): Composition {
  return compositionOf(template, resolveValues(template, values, options), aspect);
}

export function compositionOf(template: Template, rv: ResolvedValues, aspect: Aspect): Composition {
  const size = template.aspects[aspect];
  if (!size) {
    const known = (ASPECTS as readonly string[]).includes(aspect);
    throw new EngineValidationError('unknown aspect', [
      {
        code: 'unknown_aspect',
        path: 'aspect',
        aspect,
        message: known
          ? `template "${template.id}" does not support ${aspect} (it supports ${Object.keys(template.aspects).join(', ')})`
          : `unknown aspect "${aspect}" (supported: ${ASPECTS.join(', ')})`,
      },
    ]);
  }
  const scenes: SceneTiming[] = [];
  let end = 0;
  rv.scenes.forEach(({ scene, duration }, index) => {
    const spec = index === 0 ? CUT : (scene.transition ?? template.transition);
    const previous = scenes[index - 1];
    // A transition may take at most half of either scene, so no three scenes ever overlap.
    const overlap =
      spec.type === 'none' || !previous ? 0 : Math.min(spec.duration, previous.duration / 2, duration / 2);
    const start = end - overlap;
    end = start + duration;
    scenes.push({
      id: scene.id,
      index,
      kind: 'block' in scene ? 'block' : 'layers',
      ...('block' in scene ? { block: scene.block } : {}),
      start,
      end,
      duration,
      transitionIn: overlap > 0 ? { ...spec, duration: overlap } : CUT,
    });
  });
  const durationSeconds = end;
  return {
    templateId: template.id,
    engine: template.engine,
    aspect,
    locale: rv.locale,
    width: size[0],
    height: size[1],
    fps: template.fps,
    durationSeconds,
    frameCount: Math.max(1, Math.round(durationSeconds * template.fps)),
    scenes,
    fonts: usedFonts(rv),
    assets: usedImages(template, rv),
    audio: audioTracks(template, rv, durationSeconds),
  };
}

function usedFonts(rv: ResolvedValues): FontFace[] {
  const faces = new Map<string, FontFace>();
  const add = (f: FontFace) => faces.set(f.alias, f);
  add(rv.fonts.display);
  add(rv.fonts.body);
  for (const { scene } of rv.scenes) {
    if (!('layers' in scene)) continue;
    for (const layer of scene.layers) {
      if (layer.type === 'text' && layer.font !== 'display' && layer.font !== 'body')
        add(parseFontSpec(layer.font));
    }
  }
  return [...faces.values()];
}

function usedImages(template: Template, rv: ResolvedValues): string[] {
  const refs = new Set<string>();
  for (const { scene } of rv.scenes) {
    if ('block' in scene) {
      const block = getBlock(template.engine, scene.block);
      if (!block) continue;
      for (const prop of Object.values(resolveBlockProps(block, scene, rv))) {
        if (prop.def.type === 'image' && typeof prop.value === 'string') refs.add(prop.value);
        if (prop.def.type === 'list' && Array.isArray(prop.value)) {
          for (const [key, item] of Object.entries(prop.def.item)) {
            if (item.type !== 'image') continue;
            for (const v of prop.value as Record<string, unknown>[])
              if (typeof v[key] === 'string') refs.add(v[key]);
          }
        }
      }
    } else {
      for (const layer of scene.layers) {
        if (layer.type !== 'image' && layer.type !== 'svg') continue;
        const ref = typeof layer.asset === 'string' ? layer.asset : rv.fields.get(layer.asset.field);
        if (typeof ref === 'string') refs.add(ref);
      }
    }
  }
  return [...refs];
}

function audioTracks(template: Template, rv: ResolvedValues, duration: number): AudioTrack[] {
  const tracks: AudioTrack[] = [];
  const voice = template.voiceOver ? rv.fields.get(template.voiceOver.field) : undefined;
  if (template.music) {
    const ref =
      typeof template.music.asset === 'string'
        ? template.music.asset
        : rv.fields.get(template.music.asset.field);
    if (typeof ref === 'string')
      tracks.push({
        kind: 'music',
        ref,
        volume: template.music.volume,
        start: 0,
        fadeIn: Math.min(template.music.fadeIn, duration / 2),
        fadeOut: Math.min(template.music.fadeOut, duration / 2),
        ...(typeof voice === 'string' && template.voiceOver ? { duck: template.voiceOver.duckMusic } : {}),
      });
  }
  if (template.voiceOver && typeof voice === 'string')
    tracks.push({
      kind: 'voiceover',
      ref: voice,
      volume: template.voiceOver.volume,
      start: Math.min(template.voiceOver.start, duration),
      fadeIn: 0,
      fadeOut: 0,
    });
  return tracks;
}
