import {
  type Aspect,
  type AssetLoader,
  checkProject,
  type FieldDef,
  fieldDefinitions,
  type Locale,
  projectScenes,
  type Template,
} from '@flatrender/engine';
import type { StoredFontsCache } from '@flatrender/engine/node';
import { nodeAssetLoader, nodeSurfaceFactory } from '@flatrender/engine/node';
import { fileIdOf, type ProjectValues, toFieldValues } from './domain/project-values';
import type { FileInfo, FileLookup } from './file-lookup';
import type { FontFaceRef } from './studio.db';

/** One finding of the checks, named the way the studio shows it inline: field, path and aspect. */
export interface CheckIssue {
  code: string;
  path: string;
  message: string;
  field?: string;
  aspect?: Aspect;
}

export interface CheckReport {
  ok: boolean;
  errors: CheckIssue[];
  warnings: CheckIssue[];
}

export interface CheckInput {
  template: Template;
  fontFaces: readonly FontFaceRef[];
  values: ProjectValues;
  locale: Locale;
  /** Default: every aspect of the template. */
  aspects?: Aspect[];
  files: FileLookup;
  fonts: StoredFontsCache;
}

// Engine assets (`builtin:`) are the same files everywhere; one loader caches their decoding.
const builtinAssets = nodeAssetLoader();

/**
 * Everything that would make a render of the project wrong: the engine's checks (values, missing
 * glyphs, text that does not fit at an aspect, images below a field's minimum, fonts not
 * installed) with the project's uploaded files as the file service describes them, plus what only
 * the file facts tell (a file deleted or never uploaded, the wrong kind of file, audio too long).
 */
export async function runChecks(input: CheckInput): Promise<CheckReport> {
  const { template, values, files } = input;
  const fileErrors = await checkFiles(template, values, files);
  const reported = new Set(fileErrors.map((e) => e.field));
  const assets: AssetLoader = {
    async loadImage(ref) {
      const id = fileIdOf(ref);
      if (!id) return builtinAssets.loadImage(ref);
      const info = await files.get(id);
      if (!info || !isImage(info) || !info.width || !info.height)
        throw new Error(`file ${id} is not an image`);
      return { width: info.width, height: info.height };
    },
  };
  const engine = await checkProject(template, toFieldValues(values), {
    fonts: await input.fonts.provide(input.fontFaces),
    locale: input.locale,
    assets,
    createSurface: nodeSurfaceFactory,
    ...(input.aspects ? { aspects: input.aspects } : {}),
  });
  // A file already reported by its facts is not reported again as an image that failed to load.
  const errors: CheckIssue[] = [
    ...fileErrors,
    ...engine.errors.filter((e) => !(e.code === 'asset_missing' && reported.has(e.field))),
  ];
  return { ok: errors.length === 0, errors, warnings: engine.warnings };
}

// SVGs are images to the engine (it draws them), a kind of their own to the file service.
const isImage = (info: FileInfo) => info.kind === 'image' || info.kind === 'svg';
const isAudio = (info: FileInfo) => info.kind === 'audio';

async function checkFiles(
  template: Template,
  values: ProjectValues,
  files: FileLookup,
): Promise<CheckIssue[]> {
  const { scenes } = projectScenes(template, toFieldValues(values));
  const defs = fieldDefinitions(template, scenes);
  const uses: { path: string; field: string; def: FieldDef; id: string }[] = [];
  for (const [field, value] of Object.entries(values.fields)) {
    const def = defs.get(field);
    if (!def) continue;
    if (def.type === 'list' && Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item === null || typeof item !== 'object') return;
        for (const [key, itemDef] of Object.entries(def.item)) {
          const id = fileIdOf((item as Record<string, unknown>)[key]);
          if (id) uses.push({ path: `${field}[${i}].${key}`, field, def: itemDef, id });
        }
      });
      continue;
    }
    const id = fileIdOf(value);
    if (id) uses.push({ path: field, field, def, id });
  }
  const issues: CheckIssue[] = [];
  for (const use of uses) {
    const info = await files.get(use.id);
    const who = `"${use.path}"`;
    if (!info) {
      issues.push({
        code: 'file_missing',
        path: use.path,
        field: use.field,
        message: `${who}: the uploaded file ${use.id} no longer exists; choose another file`,
      });
      continue;
    }
    if (use.def.type === 'image' && !isImage(info)) {
      issues.push({
        code: 'file_wrong_type',
        path: use.path,
        field: use.field,
        message: `${who} needs an image; file ${use.id} is ${info.mime}`,
      });
    } else if (use.def.type === 'audio') {
      if (!isAudio(info)) {
        issues.push({
          code: 'file_wrong_type',
          path: use.path,
          field: use.field,
          message: `${who} needs an audio file; file ${use.id} is ${info.mime}`,
        });
      } else if (
        use.def.maxDuration !== undefined &&
        info.duration_seconds !== undefined &&
        info.duration_seconds !== null &&
        info.duration_seconds > use.def.maxDuration
      ) {
        issues.push({
          code: 'audio_too_long',
          path: use.path,
          field: use.field,
          message: `${who}: the audio lasts ${Math.round(info.duration_seconds)} seconds; at most ${use.def.maxDuration} are allowed`,
        });
      }
    }
  }
  return issues;
}
