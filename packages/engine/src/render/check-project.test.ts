import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleTemplate } from '../../test/fixtures';
import { memoryAssetLoader } from '../assets/asset-loader';
import type { FontProvider } from '../fonts/font-spec';
import {
  canvasContext,
  createCanvas,
  nodeAssetLoader,
  nodeSurfaceFactory,
  registerBundledFonts,
} from '../node/index';
import { EngineValidationError } from '../template/engine-error';
import { parseTemplate } from '../template/template.validate';
import { checkProject } from './check-project';
import { prepareComposition } from './prepare';

const template = parseTemplate(sampleTemplate());
let fonts: FontProvider;
beforeAll(() => {
  fonts = registerBundledFonts();
});
const options = () => ({
  fonts,
  locale: 'fa' as const,
  createSurface: nodeSurfaceFactory,
  assets: nodeAssetLoader(),
});

describe('checkProject', () => {
  it('passes the defaults in both languages', async () => {
    for (const locale of ['fa', 'en'] as const) {
      const result = await checkProject(template, {}, { ...options(), locale });
      expect(result.errors).toEqual([]);
    }
  });

  it('reports characters the font cannot draw, naming the field', async () => {
    const result = await checkProject(template, { fields: { 'intro.title': 'سلام 你好' } }, options());
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'missing_glyphs',
        field: 'intro.title',
        message: expect.stringContaining('"你" (U+4F60)'),
      }),
    ]);
  });

  it('reports text that cannot fit at some aspect, naming field and aspect', async () => {
    // With a 90 px minimum, this word (989 px wide at 90 px) fits the 16:9 title box (1344 px)
    // but not the 9:16 (907 px) and 1:1 (864 px) ones.
    const doc = sampleTemplate();
    (doc.scenes as { fields: Record<string, Record<string, unknown>> }[])[0]!.fields.title!.minFontSize = 90;
    const word = 'ابرقهرمان‌های‌بی‌نظیرترین‌ها';
    const result = await checkProject(parseTemplate(doc), { fields: { 'intro.title': word } }, options());
    const unfit = result.errors.filter((e) => e.code === 'text_unfit');
    expect(unfit).toEqual([
      expect.objectContaining({
        field: 'intro.title',
        aspect: '9:16',
        message: '"intro.title" does not fit its box at 9:16, even at the minimum size of 90 px; shorten it',
      }),
      expect.objectContaining({ field: 'intro.title', aspect: '1:1' }),
    ]);
  });

  it('reports a missing image and one below the field minimum', async () => {
    const tiny = createCanvas(100, 100);
    const assets = memoryAssetLoader({ 'file:tiny': tiny, 'builtin:logos/mark.png': createCanvas(512, 512) });
    const small = await checkProject(template, { fields: { logo: 'file:tiny' } }, { ...options(), assets });
    expect(small.errors).toEqual([
      expect.objectContaining({
        code: 'image_too_small',
        field: 'logo',
        message: expect.stringContaining('100x100'),
      }),
    ]);
    const missing = await checkProject(template, { fields: { logo: 'file:gone' } }, { ...options(), assets });
    expect(missing.errors).toEqual([expect.objectContaining({ code: 'asset_missing', field: 'logo' })]);
  });

  it('reports a font that is not installed', async () => {
    const doc = sampleTemplate();
    doc.fonts = { display: 'Lalezar:400', body: 'Vazirmatn:400' };
    const result = await checkProject(parseTemplate(doc), {}, options());
    expect(result.errors).toContainEqual(
      expect.objectContaining({ code: 'font_missing', message: 'font Lalezar 400 is not installed' }),
    );
  });

  it('returns value errors instead of throwing', async () => {
    const result = await checkProject(template, { fields: { brand: 'blue' } }, options());
    expect(result.errors).toEqual([expect.objectContaining({ code: 'bad_color', field: 'brand' })]);
  });
});

describe('prepareComposition', () => {
  it('refuses to prepare a project with check errors (no silent fallback font)', async () => {
    const attempt = prepareComposition(template, { fields: { 'intro.title': '漢字' } }, '16:9', {
      ...options(),
      locale: 'fa',
    });
    await expect(attempt).rejects.toBeInstanceOf(EngineValidationError);
    await expect(attempt).rejects.toThrow(/cannot draw/);
  });

  it('draws deterministic frames: same input, same pixels, on a fresh canvas too', async () => {
    const hash = async () => {
      const comp = await prepareComposition(template, { fields: { brand: '#3366ff' } }, '16:9', options());
      const canvas = createCanvas(480, 270);
      const ctx = canvasContext(canvas);
      ctx.scale(0.25, 0.25);
      const digests: string[] = [];
      for (const frame of [0, 40, 80, 150]) {
        comp.drawFrame(ctx, frame);
        digests.push(createHash('sha256').update(canvas.data()).digest('hex'));
      }
      return digests;
    };
    const first = await hash();
    expect(await hash()).toEqual(first);
    expect(new Set(first).size).toBe(4);
    // A frame does not depend on the frames drawn before it on the same canvas.
    const comp = await prepareComposition(template, { fields: { brand: '#3366ff' } }, '16:9', options());
    const fresh = createCanvas(480, 270);
    const ctx = canvasContext(fresh);
    ctx.scale(0.25, 0.25);
    comp.drawFrame(ctx, 150);
    expect(createHash('sha256').update(fresh.data()).digest('hex')).toBe(first[3]);
  });

  it('dispatches by engine generation and refuses unknown ones', async () => {
    const t = { ...template, engine: 2 };
    await expect(prepareComposition(t, {}, '16:9', options())).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: 'unsupported_engine' })],
    });
  });
});
