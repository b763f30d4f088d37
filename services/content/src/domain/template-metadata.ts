import {
  type Aspect,
  type FieldDef,
  type Locale,
  type Localized,
  parseFontSpec,
  resolveComposition,
  type Template,
} from '@flatrender/engine';
import { normalizeSearchText } from './search-text';

/*
 * What the catalogue and the studio need to know about a template version, derived from the parsed
 * document by the engine's own rules (durations and fonts come from the engine's composition), so
 * nothing here can drift from what a render draws.
 */

export interface LocalizedPair {
  fa: string;
  en: string;
}

export interface FieldSummary {
  /** `brand` (template-wide) or `intro.title` (scoped to scene `intro`). */
  path: string;
  scope: 'template' | 'scene';
  scene_id: string | null;
  type: FieldDef['type'];
  label: LocalizedPair | null;
  help: LocalizedPair | null;
  optional: boolean;
  /** The field's full definition from the document (defaults, limits, item fields). */
  definition: Record<string, unknown>;
}

export interface SceneSummary {
  id: string;
  title: LocalizedPair | null;
  /** Scene block id, or `layers` for a data-defined scene. */
  block: string;
  duration: { default: number; min: number; max: number };
}

export interface TemplateMetadata {
  slug: string;
  engine: number;
  mode: Template['mode'];
  fps: number;
  locales: Locale[];
  title: LocalizedPair;
  description: LocalizedPair | null;
  category: string | null;
  tags: string[];
  aspects: Aspect[];
  durationSeconds: number;
  fields: FieldSummary[];
  scenes: SceneSummary[];
  allowedBlocks: string[];
}

/** Both languages of a text; a plain string or a missing language falls back to the other one. */
export function localizedPair(value: Localized | undefined): LocalizedPair | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return value.trim() ? { fa: value, en: value } : null;
  const fa = value.fa?.trim() ? value.fa : undefined;
  const en = value.en?.trim() ? value.en : undefined;
  if (!fa && !en) return null;
  return { fa: fa ?? (en as string), en: en ?? (fa as string) };
}

function summary(path: string, def: FieldDef, sceneId: string | null): FieldSummary {
  return {
    path,
    scope: sceneId ? 'scene' : 'template',
    scene_id: sceneId,
    type: def.type,
    label: localizedPair(def.label),
    help: localizedPair(def.help),
    optional: def.optional ?? false,
    definition: def as unknown as Record<string, unknown>,
  };
}

export function fieldSummaries(template: Template): FieldSummary[] {
  const fields = Object.entries(template.fields).map(([name, def]) => summary(name, def, null));
  for (const scene of template.scenes)
    for (const [name, def] of Object.entries(scene.fields))
      fields.push(summary(`${scene.id}.${name}`, def, scene.id));
  return fields;
}

export function sceneSummaries(template: Template): SceneSummary[] {
  return template.scenes.map((scene) => ({
    id: scene.id,
    title: localizedPair(scene.title),
    block: 'block' in scene ? scene.block : 'layers',
    duration: { ...scene.duration },
  }));
}

export function templateAspects(template: Template): Aspect[] {
  return Object.keys(template.aspects) as Aspect[];
}

/** The locale previews are drawn in: Persian when the template speaks it (the platform is Persian-first). */
export function previewLocale(template: Template): Locale {
  return template.locales.includes('fa') ? 'fa' : (template.locales[0] ?? 'en');
}

/**
 * Catalogue metadata of a valid template. The duration is the engine's (transitions overlap scenes)
 * with every default; throws the engine's EngineValidationError when the defaults do not resolve.
 */
export function templateMetadata(template: Template): TemplateMetadata {
  const aspects = templateAspects(template);
  const composition = resolveComposition(template, {}, aspects[0] as Aspect, {
    locale: previewLocale(template),
  });
  return {
    slug: template.id,
    engine: template.engine,
    mode: template.mode,
    fps: template.fps,
    locales: [...template.locales],
    title: localizedPair(template.title) ?? { fa: template.id, en: template.id },
    description: localizedPair(template.description),
    category: template.category?.trim() ? template.category.trim().toLowerCase() : null,
    tags: [...new Set(template.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))],
    aspects,
    durationSeconds: Math.round(composition.durationSeconds * 1000) / 1000,
    fields: fieldSummaries(template),
    scenes: sceneSummaries(template),
    allowedBlocks: template.allowedBlocks ?? [],
  };
}

/** The text catalogue search looks in: titles, descriptions, category, tags and slug, in both languages. */
export function searchableText(meta: TemplateMetadata): string {
  return normalizeSearchText(
    [
      meta.title.fa,
      meta.title.en,
      meta.description?.fa,
      meta.description?.en,
      meta.category,
      ...meta.tags,
      meta.slug.replaceAll('-', ' '),
    ]
      .filter(Boolean)
      .join(' '),
  );
}

export interface FaceSpec {
  family: string;
  weight: number;
}

/**
 * Every font face the template can draw with: what the engine's composition uses with the defaults,
 * at every aspect and locale, plus the faces font fields offer (default and allowed list).
 */
export function templateFontFaces(template: Template): FaceSpec[] {
  const faces = new Map<string, FaceSpec>();
  const add = (family: string, weight: number) => faces.set(`${family}:${weight}`, { family, weight });
  for (const aspect of templateAspects(template))
    for (const locale of template.locales)
      for (const face of resolveComposition(template, {}, aspect, { locale }).fonts)
        add(face.family, face.weight);
  const fontFields = [
    ...Object.values(template.fields),
    ...template.scenes.flatMap((scene) => Object.values(scene.fields)),
  ];
  for (const def of fontFields) {
    if (def.type !== 'font') continue;
    for (const spec of [def.default, ...(def.allowed ?? [])]) {
      if (!spec) continue;
      const face = parseFontSpec(spec);
      add(face.family, face.weight);
    }
  }
  return [...faces.values()].sort((a, b) => a.family.localeCompare(b.family) || a.weight - b.weight);
}

/** Every asset reference the template draws or plays with its defaults (images, music). */
export function templateAssetRefs(template: Template): string[] {
  const refs = new Set<string>();
  for (const aspect of templateAspects(template))
    for (const locale of template.locales) {
      const composition = resolveComposition(template, {}, aspect, { locale });
      for (const ref of composition.assets) refs.add(ref);
      for (const track of composition.audio) refs.add(track.ref);
    }
  return [...refs].sort();
}

/**
 * The instant a poster shows: inside the first scene, after its entrance animations have mostly run
 * and before any transition into the next scene can start (a transition takes at most half a scene).
 */
export function posterTime(template: Template, aspect: Aspect, locale: Locale): number {
  const first = resolveComposition(template, {}, aspect, { locale }).scenes[0];
  return first ? Math.round((first.start + first.duration * 0.45) * 1000) / 1000 : 0;
}
