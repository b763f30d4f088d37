import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Canvas, createCanvas, SvgExportFlag } from '@napi-rs/canvas';
import type { Quality, StillFormat } from '../encode/encode-settings';
import { scaledSize } from '../encode/encode-settings';
import { encodeStill } from '../encode/still-encoder';
import { nodeRenderOptions } from '../node';
import type { Canvas2D } from '../render/canvas.types';
import { resolveComposition } from '../render/composition';
import { renderFrame } from '../render/render-frame';
import type { Aspect, Locale, Template } from '../template/template.schema';
import type { FieldValues } from '../values/field-values';
import { type AssetFiles, resolveAssetFile } from './composition.source';

export interface RenderStillOptions {
  template: Template;
  values?: FieldValues;
  aspect: Aspect;
  locale?: Locale;
  /** Seconds on the composition's timeline (clamped to its length). */
  time: number;
  format: StillFormat;
  quality?: Quality;
  /** Resolution scaling for PNG/JPEG (the SVG is resolution-independent and uses 1). */
  scale?: number;
  assets?: AssetFiles;
  watermark?: boolean | { text: string };
  /** Also write the image here. */
  out?: string;
}

export interface StillResult {
  data: Buffer;
  format: StillFormat;
  width: number;
  height: number;
  mimeType: string;
}

const MIME: Record<StillFormat, string> = { png: 'image/png', jpg: 'image/jpeg', svg: 'image/svg+xml' };

/**
 * One frame, on the main thread (no workers to start: the still path is about latency). The
 * prepared composition is cached per template object by renderFrame, so repeated stills of the same
 * project (scrubbing, thumbnails) only draw and encode.
 */
export async function renderStill(options: RenderStillOptions): Promise<StillResult> {
  const values = options.values ?? {};
  const locale = options.locale ?? options.template.locales[0] ?? 'fa';
  const composition = resolveComposition(options.template, values, options.aspect, { locale });
  const prepare = nodeRenderOptions(locale, {
    resolveRef: (ref) => resolveAssetFile(options.assets, ref),
    ...(options.watermark ? { watermark: options.watermark } : {}),
  });
  const draw = (ctx: Canvas2D) =>
    renderFrame(options.template, values, options.aspect, options.time, ctx, prepare);

  let result: StillResult;
  if (options.format === 'svg') {
    // Skia's SVG backend; text becomes paths, so the file needs no font to display identically.
    const canvas = createCanvas(composition.width, composition.height, SvgExportFlag.ConvertTextToPaths);
    await draw(canvas.getContext('2d') as unknown as Canvas2D);
    result = {
      data: canvas.getContent(),
      format: 'svg',
      width: composition.width,
      height: composition.height,
      mimeType: MIME.svg,
    };
  } else {
    const size = scaledSize(composition.width, composition.height, options.scale ?? 1);
    const canvas = new Canvas(size.width, size.height);
    const ctx = canvas.getContext('2d');
    ctx.scale(size.width / composition.width, size.height / composition.height);
    await draw(ctx as unknown as Canvas2D);
    result = {
      data: await encodeStill(canvas, options.format, options.quality),
      format: options.format,
      width: size.width,
      height: size.height,
      mimeType: MIME[options.format],
    };
  }
  if (options.out) {
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, result.data);
  }
  return result;
}
