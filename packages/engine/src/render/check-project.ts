import type { AssetLoader } from '../assets/asset-loader';
import type { FontProvider } from '../fonts/font-spec';
import { type EngineError, EngineValidationError } from '../template/engine-error';
import { ASPECT_RATIOS, type Aspect, type Locale, type Template } from '../template/template.schema';
import type { FieldValues } from '../values/field-values';
import { resolveValues } from '../values/project';
import { context2d, type Drawable, platformSurfaceFactory, type SurfaceFactory } from './canvas.types';
import { compositionOf } from './composition';
import { buildScenes } from './scene-build';
import type { SceneRuntime } from './scene-runtime';

export interface CheckOptions {
  fonts: FontProvider;
  locale: Locale;
  /** Without a loader, images are not opened (no size checks, no missing-asset errors). */
  assets?: AssetLoader;
  createSurface?: SurfaceFactory;
  /** Aspects to check; default every aspect the template declares. */
  aspects?: Aspect[];
}

export interface CheckResult {
  ok: boolean;
  errors: EngineError[];
  warnings: EngineError[];
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Everything that would make a render wrong, found before any render: glyphs the chosen font
 * lacks, text that cannot fit its box at the minimum size at some aspect, images too small or
 * missing, fonts not installed, invalid values. Each error names the field and the aspect.
 */
export async function checkProject(
  template: Template,
  values: FieldValues,
  options: CheckOptions,
): Promise<CheckResult> {
  let rv: ReturnType<typeof resolveValues>;
  try {
    rv = resolveValues(template, values, { locale: options.locale });
  } catch (e) {
    if (e instanceof EngineValidationError) return { ok: false, errors: e.errors, warnings: [] };
    throw e;
  }
  const factory = options.createSurface ?? platformSurfaceFactory();
  if (!factory) throw new Error('checkProject needs createSurface (no OffscreenCanvas on this platform)');
  const measurer = context2d(factory(1, 1));
  const errors: EngineError[] = [];
  const warnings: EngineError[] = [];
  const aspects = options.aspects ?? (Object.keys(template.aspects) as Aspect[]);
  const images = new Map<string, Drawable>();
  const failed = new Set<string>();
  for (const aspect of aspects) {
    let comp: ReturnType<typeof compositionOf>;
    try {
      comp = compositionOf(template, rv, aspect);
    } catch (e) {
      if (e instanceof EngineValidationError) {
        errors.push(...e.errors);
        continue;
      }
      throw e;
    }
    if (options.assets) {
      for (const ref of comp.assets) {
        if (images.has(ref) || failed.has(ref)) continue;
        try {
          images.set(ref, await options.assets.loadImage(ref));
        } catch {
          failed.add(ref);
        }
      }
    }
    const scenes = buildScenes(template, rv, comp, measurer, images);
    const found = sceneIssues(scenes, aspect, options.fonts, options.assets ? images : undefined, failed);
    errors.push(...found.errors);
    warnings.push(...found.warnings);
    for (const face of comp.fonts) {
      if (!options.fonts.has(face.family, face.weight))
        errors.push({
          code: 'font_missing',
          path: 'fonts',
          aspect,
          message: `font ${face.family} ${face.weight} is not installed`,
        });
    }
  }
  const unique = dedupe(errors);
  return { ok: unique.length === 0, errors: unique, warnings: dedupe(warnings) };
}

/** Issues of built scenes at one aspect; shared by checkProject and prepareComposition. */
export function sceneIssues(
  scenes: SceneRuntime[],
  aspect: Aspect,
  fonts: FontProvider,
  images: Map<string, Drawable> | undefined,
  failed: Set<string>,
): { errors: EngineError[]; warnings: EngineError[] } {
  const errors: EngineError[] = [];
  const warnings: EngineError[] = [];
  for (const scene of scenes) {
    const drawn = [
      ...scene.texts.map((r) => ({
        text: r.fitted.text,
        font: r.fitted.font,
        field: r.field,
        source: r.source,
      })),
      ...scene.glyphs,
    ];
    for (const { text, font, field, source } of drawn) {
      if (!fonts.has(font.family, font.weight)) continue;
      const missing = fonts.missingCodepoints(font.family, font.weight, text);
      if (missing.length === 0) continue;
      const chars = missing
        .slice(0, 8)
        .map((cp) => `"${String.fromCodePoint(cp)}" (${hex(cp)})`)
        .join(', ');
      errors.push({
        code: 'missing_glyphs',
        path: field ?? source,
        ...(field ? { field } : {}),
        message: `${field ? `"${field}"` : source} uses characters ${font.family} ${font.weight} cannot draw: ${chars}${missing.length > 8 ? ', …' : ''}`,
      });
    }
    for (const record of scene.texts) {
      if (record.fitted.fits) continue;
      const who = record.field ? `"${record.field}"` : record.source;
      errors.push({
        code: 'text_unfit',
        path: record.field ?? record.source,
        aspect,
        ...(record.field ? { field: record.field } : {}),
        message: `${who} does not fit its box at ${aspect}, even at the minimum size of ${Math.round(record.minSize)} px; shorten it`,
      });
    }
    for (const use of scene.images) {
      const who = use.field ? `"${use.field}"` : use.source;
      if (failed.has(use.ref)) {
        errors.push({
          code: 'asset_missing',
          path: use.field ?? use.source,
          ...(use.field ? { field: use.field } : {}),
          message: `${who}: image "${use.ref}" cannot be loaded`,
        });
        continue;
      }
      const image = images?.get(use.ref);
      if (!image) continue;
      if ((use.minWidth && image.width < use.minWidth) || (use.minHeight && image.height < use.minHeight))
        errors.push({
          code: 'image_too_small',
          path: use.field ?? use.source,
          ...(use.field ? { field: use.field } : {}),
          message: `${who}: image is ${image.width}x${image.height}; it needs at least ${use.minWidth ?? 1}x${use.minHeight ?? 1}`,
        });
      if (use.aspectHint !== undefined) {
        const want =
          typeof use.aspectHint === 'number' ? use.aspectHint : ASPECT_RATIOS[use.aspectHint as Aspect];
        const ratio = image.width / image.height;
        if (want && Math.abs(ratio / want - 1) > 0.15)
          warnings.push({
            code: 'invalid_value',
            path: use.field ?? use.source,
            ...(use.field ? { field: use.field } : {}),
            message: `${who}: image shape ${ratio.toFixed(2)} differs from the suggested ${want.toFixed(2)}; it will be cropped`,
          });
      }
    }
  }
  return { errors, warnings };
}

function dedupe(list: EngineError[]): EngineError[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.code}|${e.path}|${e.aspect ?? ''}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
