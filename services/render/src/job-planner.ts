import { fieldValuesSchema, type Locale, type PlanLimits, type RenderFormat } from '@flatrender/contracts';
import {
  type Aspect,
  type AssetLoader,
  type CheckResult,
  type Composition,
  checkProject,
  EngineValidationError,
  type FieldValues,
  resolveComposition,
  resolveValues,
  type Template,
  validateValues,
} from '@flatrender/engine';
import type { StoredFontsCache } from '@flatrender/engine/node';
import { nodeAssetLoader, nodeSurfaceFactory, registerBundledFonts } from '@flatrender/engine/node';
import { HttpError, type Principal, type ScopedDatabase } from '@flatrender/platform';
import { LRUCache } from 'lru-cache';
import type { CatalogRepository } from './catalog.repository';
import { renderCacheKey } from './domain/cache-key';
import type { AssetRef, FontRef, MessageValues, TemplateJobSpec } from './domain/job-spec';
import { type OutputRequest, type OutputSpec, resolveOutputSpec } from './domain/output-spec';
import type { FileInfo, PeerServices } from './peer-services';
import type { RenderDb } from './render.db';
import type { LoadedVersion } from './template-source';

/** A problem with the request, reported as the API reports field errors. */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
  path?: string;
  aspect?: string;
}

export interface TemplateRenderInput {
  principal: Principal;
  loaded: LoadedVersion;
  values: FieldValues;
  aspect: Aspect;
  locale: Locale;
  output: OutputRequest;
  /** Stills: the instant pictured (seconds). */
  time?: number | undefined;
  limits: PlanLimits;
  watermark: boolean;
  /** Body path the values came from (`modifications`, or `rows[3].modifications`) for messages. */
  valuesPath: string;
}

export interface PlannedTemplateJob {
  kind: 'video' | 'image';
  spec: TemplateJobSpec;
  output: OutputSpec;
  composition: Composition;
  /** Seconds of output; null for stills. */
  duration: number | null;
  cacheKey: string;
}

const FILE_REF = /^file:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const STILL_FORMATS: readonly RenderFormat[] = ['png', 'jpg'];

/** A 422 carrying every problem found, each naming its field. */
export function unprocessable(code: string, problems: FieldProblem[]): HttpError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
  return new HttpError(
    422,
    code,
    `${first?.message ?? 'The request cannot be rendered.'}${more}`,
    first?.field,
    problems,
  );
}

/**
 * Turns a render request into a planned job, refusing before anything is queued whatever the engine
 * or the plan would refuse later: invalid values, files that are gone or of the wrong kind, fonts
 * nobody installed, text that does not fit, a format, size, rate or length the plan does not allow.
 */
export class JobPlanner {
  /**
   * Outcomes of recent project checks. A check depends on nothing but what its key holds (a version's
   * document never changes; fonts and files are content-addressed), and warm snapshots of one project
   * at other instants repeat it: about 7 ms each at 1080p, measured.
   */
  private readonly checked = new LRUCache<string, CheckResult>({ max: 500 });

  constructor(
    private readonly deps: {
      db: ScopedDatabase<RenderDb>;
      catalog: CatalogRepository;
      fonts: StoredFontsCache;
      peers: PeerServices;
      minItemSeconds: number;
    },
  ) {}

  async planTemplate(input: TemplateRenderInput): Promise<PlannedTemplateJob> {
    const { template, version } = input.loaded;
    const kind = STILL_FORMATS.includes(input.output.format) ? 'image' : 'video';
    const valueCheck = validateValues(template, input.values, { locale: input.locale });
    if (!valueCheck.ok)
      throw unprocessable(
        'values_invalid',
        valueCheck.errors.map((e) => this.problem(e, input.valuesPath)),
      );
    if (!(input.aspect in template.aspects)) {
      throw unprocessable('aspect_not_supported', [
        {
          field: 'aspect',
          code: 'aspect_not_supported',
          message: `field "aspect": the template renders ${Object.keys(template.aspects).join(', ')}, not ${input.aspect}`,
        },
      ]);
    }
    let composition: Composition;
    try {
      composition = resolveComposition(template, input.values, input.aspect, { locale: input.locale });
    } catch (error) {
      if (error instanceof EngineValidationError)
        throw unprocessable(
          'values_invalid',
          error.errors.map((e) => this.problem(e, input.valuesPath)),
        );
      throw error;
    }
    const problems: FieldProblem[] = [];
    const spec = resolveOutputSpec(
      { width: composition.width, height: composition.height, fps: composition.fps },
      input.output,
      input.limits,
    );
    if (!spec.ok) problems.push(...spec.problems);
    const duration = kind === 'video' ? composition.durationSeconds : null;
    if (duration !== null && duration > input.limits.max_video_seconds) {
      problems.push({
        field: 'duration',
        code: 'plan_limit',
        message: `the video lasts ${duration.toFixed(1)} s; your plan renders at most ${input.limits.max_video_seconds} s`,
      });
    }
    if (input.time !== undefined && input.time > composition.durationSeconds) {
      problems.push({
        field: 'output.time',
        code: 'out_of_range',
        message: `field "output.time" is ${input.time}; the composition lasts ${composition.durationSeconds} s`,
      });
    }
    const files = await this.files(input, problems);
    const fonts = await this.fonts(input, composition, problems);
    if (problems.length > 0 || !spec.ok) throw unprocessable(problems[0]?.code ?? 'plan_limit', problems);

    const checkKey = JSON.stringify([
      version.content_hash,
      input.values,
      input.locale,
      input.aspect,
      fonts.map((f) => f.content_hash),
      [...files].map(([ref, f]) => [ref, f.content_hash, f.kind, f.width, f.height]),
    ]);
    let checks = this.checked.get(checkKey);
    if (!checks) {
      checks = await checkProject(template, input.values, {
        fonts: await this.deps.fonts.provide(fonts),
        locale: input.locale,
        assets: this.assetLoader(files),
        createSurface: nodeSurfaceFactory,
        aspects: [input.aspect],
      });
      this.checked.set(checkKey, checks);
    }
    if (!checks.ok)
      throw unprocessable(
        'render_checks_failed',
        checks.errors.map((e) => this.problem(e, input.valuesPath)),
      );

    const values = messageValues(template, input.values, input.locale, files);
    const used = new Map<string, AssetRef>();
    for (const info of files.values())
      used.set(info.content_hash, {
        content_hash: info.content_hash,
        blob_key: info.blob_key,
        mime: info.mime,
      });
    for (const asset of version.assets) used.set(asset.content_hash, asset);
    const assets = [...used.values()];
    const scenes = composition.scenes.map((s) => ({
      id: s.id,
      block: s.block ?? 'layers',
      duration_seconds: s.duration,
    }));
    const output = spec.spec;
    const seconds = duration ?? 1;
    const jobSpec: TemplateJobSpec = {
      kind: 'template',
      template: {
        template_id: version.template_id,
        version: version.version,
        engine: version.engine,
        content_hash: version.content_hash,
        document_key: version.document_key,
      },
      engine_values: input.values,
      locale: input.locale,
      values,
      scenes,
      fonts,
      assets,
      files: Object.fromEntries(
        [...files.entries()].map(([ref, a]) => [
          ref,
          { content_hash: a.content_hash, blob_key: a.blob_key, mime: a.mime },
        ]),
      ),
      audio: composition.audio,
      ...(input.time !== undefined ? { time_seconds: input.time } : {}),
      // A chunk of a few seconds renders in seconds; twenty times real time is a hang, not a slow node.
      max_render_seconds: Math.max(this.deps.minItemSeconds, Math.ceil(seconds * 20)),
    };
    const cacheKey = renderCacheKey({
      templateHash: version.content_hash,
      engine: version.engine,
      locale: input.locale,
      aspect: input.aspect,
      values,
      scenes,
      contentHashes: [...fonts.map((f) => f.content_hash), ...assets.map((a) => a.content_hash)],
      output: {
        format: output.format,
        width: output.width,
        height: output.height,
        fps: output.fps,
        quality: output.quality,
      },
      watermark: input.watermark,
      ...(input.time !== undefined ? { time: input.time } : {}),
    });
    return { kind, spec: jobSpec, output, composition, duration, cacheKey };
  }

  /** Every upload the values name (`file:<id>`), looked up for the tenant; problems for the gone ones. */
  private async files(input: TemplateRenderInput, problems: FieldProblem[]): Promise<Map<string, FileInfo>> {
    const uses = new Map<string, string>();
    const visit = (value: unknown, path: string) => {
      if (typeof value === 'string') {
        if (FILE_REF.test(value) && !uses.has(value)) uses.set(value, path);
      } else if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) visit(v, `${path}[${i}]`);
      } else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
    };
    for (const [field, value] of Object.entries(input.values.fields ?? {})) visit(value, field);
    const found = new Map<string, FileInfo>();
    for (const [ref, path] of uses) {
      const id = (FILE_REF.exec(ref)?.[1] ?? '').toLowerCase();
      const info = await this.deps.peers.file(input.principal, id);
      if (!info) {
        problems.push({
          field: `${input.valuesPath}.${path}`,
          path,
          code: 'file_missing',
          message: `field "${input.valuesPath}.${path}": the uploaded file ${id} does not exist (or is being deleted)`,
        });
        continue;
      }
      found.set(ref, info);
    }
    return found;
  }

  /**
   * The font file of every face the composition draws with: from the template version's fonts, else
   * a face installed for the tenant or the platform, else one bundled with the engine (every node
   * has those). A face nobody has is refused now: nodes never render with a fallback font.
   */
  private async fonts(
    input: TemplateRenderInput,
    composition: Composition,
    problems: FieldProblem[],
  ): Promise<FontRef[]> {
    const refs: FontRef[] = [];
    const bundled = registerBundledFonts();
    for (const face of composition.fonts) {
      const fromVersion = input.loaded.version.fonts.find(
        (f) =>
          f.family.toLowerCase() === face.family.toLowerCase() &&
          f.weight === face.weight &&
          f.style === 'normal',
      );
      if (fromVersion) {
        refs.push(fromVersion);
        continue;
      }
      const installed = await this.deps.db.withTenant(input.principal.tenantId, (tx) =>
        this.deps.catalog.findFonts(tx, face.family),
      );
      const match = installed.find((f) => f.weight === face.weight && f.style === 'normal');
      if (match) {
        refs.push({
          family: match.family,
          weight: match.weight,
          style: 'normal',
          content_hash: match.content_hash,
          blob_key: match.blob_key,
        });
        continue;
      }
      if (bundled.has(face.family, face.weight)) continue;
      problems.push({
        field: 'fonts',
        code: 'font_missing',
        message: `font ${face.family} ${face.weight} is not installed; install it or choose another font`,
      });
    }
    return refs;
  }

  private assetLoader(files: Map<string, FileInfo>): AssetLoader {
    const builtin = nodeAssetLoader();
    return {
      async loadImage(ref) {
        const info = files.get(ref);
        if (!info) return builtin.loadImage(ref);
        if ((info.kind !== 'image' && info.kind !== 'svg') || !info.width || !info.height)
          throw new Error(`file ${info.id} is not an image`);
        return { width: info.width, height: info.height };
      },
    };
  }

  private problem(
    e: { code: string; path: string; message: string; field?: string; aspect?: string },
    valuesPath: string,
  ): FieldProblem {
    const field = e.field ?? (e.path ? e.path : undefined);
    return {
      field: field ? `${valuesPath}.${field}` : valuesPath,
      code: e.code,
      message: e.message,
      path: e.path,
      ...(e.aspect ? { aspect: e.aspect } : {}),
    };
  }
}

/**
 * Every field value with defaults resolved, as render nodes take them: uploads by content hash
 * (`{ asset: <sha256> }`), everything else as the engine resolved it. Validated against the catalog
 * schema here so that a value nodes could not take refuses the request, not the dispatch.
 */
export function messageValues(
  template: Template,
  values: FieldValues,
  locale: Locale,
  files: Map<string, AssetRef>,
): MessageValues {
  const resolved = resolveValues(template, values, { locale });
  const convert = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const file = files.get(value);
      return file ? { asset: file.content_hash } : value;
    }
    if (Array.isArray(value)) return value.map(convert);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]) => [k, convert(v)]),
      );
    return value;
  };
  const out: Record<string, unknown> = {};
  for (const [path, value] of resolved.fields) {
    if (value === undefined || value === null) continue;
    out[path] = convert(value);
  }
  const parsed = fieldValuesSchema.safeParse(out);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(
      422,
      'values_invalid',
      `field "${String(issue?.path[0] ?? '')}" has a value render nodes cannot take: ${issue?.message ?? 'invalid'}`,
      String(issue?.path[0] ?? ''),
    );
  }
  return parsed.data;
}
