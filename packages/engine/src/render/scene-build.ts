import { getBlock } from '../blocks/registry';
import { prepareLayerScene } from '../layers/layer-scene';
import type { FieldDef, Template } from '../template/template.schema';
import type { ResolvedValues } from '../values/project';
import type { Drawable, SurfaceFactory, TextMeasurer } from './canvas.types';
import type { Composition } from './composition';
import { resolveBlockProps } from './scene-props';
import { createSceneContext, type ImageUse, type SceneRuntime } from './scene-runtime';

/**
 * Builds every scene of a composition: resolves props, lays out texts (measured once here, not per
 * frame) and returns scene drawers plus what checks need to know.
 */
export function buildScenes(
  template: Template,
  rv: ResolvedValues,
  comp: Composition,
  measurer: TextMeasurer,
  images: Map<string, Drawable>,
  /** Given when the scenes will draw frames: layer scenes keep their static bottom offscreen. */
  createSurface?: SurfaceFactory,
): SceneRuntime[] {
  return comp.scenes.map((timing) => {
    const { scene } = rv.scenes[timing.index]!;
    if ('block' in scene) {
      const block = getBlock(template.engine, scene.block);
      if (!block) throw new Error(`unknown block "${scene.block}"`);
      const props = resolveBlockProps(block, scene, rv);
      const { c, texts, glyphs } = createSceneContext({
        template,
        composition: comp,
        rv,
        timing,
        measurer,
        images,
        propInfo: (name) => ({
          source: `${scene.id}.props.${name}`,
          ...(props[name]?.field ? { field: props[name].field } : {}),
          ...(props[name]?.minFontSize ? { minFontSize: props[name].minFontSize } : {}),
        }),
      });
      const values = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.value]));
      const layout = block.layout(values, c);
      const uses: ImageUse[] = [];
      for (const [name, p] of Object.entries(props)) {
        const base = { source: `${scene.id}.props.${name}`, ...(p.field ? { field: p.field } : {}) };
        if (p.def.type === 'image' && typeof p.value === 'string')
          uses.push({ ref: p.value, ...base, ...imageLimits(p.def) });
        if (p.def.type === 'list' && Array.isArray(p.value)) {
          for (const [key, itemDef] of Object.entries(p.def.item)) {
            if (itemDef.type !== 'image') continue;
            (p.value as Record<string, unknown>[]).forEach((item, i) => {
              const ref = item[key];
              if (typeof ref === 'string')
                uses.push({ ref, ...base, source: `${base.source}[${i}].${key}`, ...imageLimits(itemDef) });
            });
          }
        }
      }
      return {
        timing,
        texts,
        glyphs,
        images: uses,
        draw: (ctx, t) => block.draw(ctx, values, layout, { t, duration: timing.duration, fps: comp.fps }, c),
      };
    }
    const { c, texts, glyphs } = createSceneContext({
      template,
      composition: comp,
      rv,
      timing,
      measurer,
      images,
    });
    const prepared = prepareLayerScene(scene, rv, c, createSurface);
    const uses: ImageUse[] = prepared.images.map((img) => {
      const def = img.field ? rv.defs.get(img.field) : undefined;
      return { ...img, ...(def ? imageLimits(def) : {}) };
    });
    return { timing, texts, glyphs, images: uses, draw: (ctx, t) => prepared.draw(ctx, t) };
  });
}

function imageLimits(def: FieldDef): Pick<ImageUse, 'minWidth' | 'minHeight' | 'aspectHint'> {
  if (def.type !== 'image') return {};
  return {
    ...(def.minWidth ? { minWidth: def.minWidth } : {}),
    ...(def.minHeight ? { minHeight: def.minHeight } : {}),
    ...(def.aspectHint !== undefined ? { aspectHint: def.aspectHint } : {}),
  };
}
