import { beforeAll, describe, expect, it } from 'vitest';
import { memoryAssetLoader } from '../assets/asset-loader';
import type { FontProvider } from '../fonts/font-spec';
import {
  canvasContext,
  createCanvas,
  nodeRenderOptions,
  nodeSurfaceFactory,
  registerBundledFonts,
} from '../node/index';
import type { Locale, Transition } from '../template/template.schema';
import { parseTemplate } from '../template/template.validate';
import { prepareComposition } from './prepare';
import { renderFrame } from './render-frame';

let fonts: FontProvider;
beforeAll(() => {
  fonts = registerBundledFonts();
});

/** Two solid scenes, red then blue, 2 s each, joined by `transition` (linear, 1 s). */
function twoScenes(type: Transition['type']) {
  const scene = (id: string, color: string) => ({
    id,
    duration: { default: 2, min: 1, max: 4 },
    layers: [{ type: 'solid', color }],
  });
  return parseTemplate({
    id: 'transitions',
    engine: 1,
    mode: 'fixed',
    fps: 10,
    title: 't',
    aspects: { '16:9': [160, 90] },
    fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
    palette: {
      background: '#000000',
      surface: '#000000',
      primary: '#000000',
      accent: '#000000',
      text: '#ffffff',
      muted: '#888888',
    },
    scenes: [scene('red', '#ff0000'), scene('blue', '#0000ff')],
    transition: { type, duration: 1, easing: 'linear' },
  });
}

async function pixelsAt(type: Transition['type'], seconds: number, locale: Locale, watermark = false) {
  const comp = await prepareComposition(twoScenes(type), {}, '16:9', {
    locale,
    fonts,
    createSurface: nodeSurfaceFactory,
    assets: memoryAssetLoader({}),
    watermark,
  });
  const canvas = createCanvas(160, 90);
  comp.drawAt(canvasContext(canvas), seconds);
  const data = canvas.getContext('2d').getImageData(0, 0, 160, 90).data;
  const at = (x: number, y: number) => Array.from(data.slice((y * 160 + x) * 4, (y * 160 + x) * 4 + 3));
  return { left: at(20, 45), right: at(140, 45), centre: at(80, 45), comp };
}

describe('transitions', () => {
  it('overlap the scenes by their duration', async () => {
    const { comp } = await pixelsAt('crossfade', 0, 'en');
    expect(comp.composition.scenes.map((s) => [s.start, s.end])).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(comp.composition.frameCount).toBe(30);
  });

  it('crossfade mixes both scenes halfway through', async () => {
    const { centre } = await pixelsAt('crossfade', 1.5, 'fa');
    expect(centre[0]).toBeGreaterThan(120);
    expect(centre[0]).toBeLessThan(135);
    expect(centre[2]).toBeGreaterThan(120);
    expect(centre[2]).toBeLessThan(135);
  });

  it('slides the next scene in from the reading direction', async () => {
    // English reads left to right: the new scene enters from the right.
    const en = await pixelsAt('slide', 1.5, 'en');
    expect([en.left, en.right]).toEqual([
      [255, 0, 0],
      [0, 0, 255],
    ]);
    // Persian reads right to left: it enters from the left.
    const fa = await pixelsAt('slide', 1.5, 'fa');
    expect([fa.left, fa.right]).toEqual([
      [0, 0, 255],
      [255, 0, 0],
    ]);
  });

  it('wipes in the reading direction', async () => {
    const en = await pixelsAt('wipe', 1.25, 'en');
    expect([en.left, en.right]).toEqual([
      [0, 0, 255],
      [255, 0, 0],
    ]);
    const fa = await pixelsAt('wipe', 1.25, 'fa');
    expect([fa.left, fa.right]).toEqual([
      [255, 0, 0],
      [0, 0, 255],
    ]);
  });

  it('zooms through, and "none" cuts', async () => {
    const zoom = await pixelsAt('zoom', 1.5, 'en');
    expect(zoom.centre[0]).toBeGreaterThan(0);
    expect(zoom.centre[2]).toBeGreaterThan(0);
    const cut = await pixelsAt('none', 1.5, 'en');
    expect(cut.comp.composition.scenes[1]!.start).toBe(2);
    expect(cut.centre).toEqual([255, 0, 0]);
    expect((await pixelsAt('none', 2.5, 'en')).centre).toEqual([0, 0, 255]);
  });

  it('draws a watermark only when asked', async () => {
    const plain = createCanvas(160, 90);
    const marked = createCanvas(160, 90);
    for (const [canvas, watermark] of [
      [plain, false],
      [marked, true],
    ] as const) {
      const comp = await prepareComposition(twoScenes('none'), {}, '16:9', {
        ...nodeRenderOptions('en'),
        watermark,
      });
      comp.drawAt(canvasContext(canvas), 0.5);
    }
    expect(Buffer.compare(plain.data(), marked.data())).not.toBe(0);
  });
});

describe('renderFrame', () => {
  it('draws the same pixels as prepareComposition + drawAt', async () => {
    const template = twoScenes('crossfade');
    const a = createCanvas(160, 90);
    const b = createCanvas(160, 90);
    await renderFrame(template, {}, '16:9', 1.3, canvasContext(a), nodeRenderOptions('fa'));
    (await prepareComposition(template, {}, '16:9', nodeRenderOptions('fa'))).drawAt(canvasContext(b), 1.3);
    expect(Buffer.compare(a.data(), b.data())).toBe(0);
  });

  it('checks the project when given fonts, and draws a preview without them', async () => {
    const doc = twoScenes('none');
    const template = parseTemplate({
      ...doc,
      scenes: [
        {
          id: 'text',
          duration: { default: 2, min: 1, max: 4 },
          layers: [{ type: 'text', text: '漢字', size: 0.2 }],
        },
      ],
    });
    const ctx = canvasContext(createCanvas(160, 90));
    await expect(renderFrame(template, {}, '16:9', 1, ctx, nodeRenderOptions('fa'))).rejects.toThrow(
      /cannot draw/,
    );
    await expect(
      renderFrame(template, {}, '16:9', 1, ctx, { locale: 'fa', createSurface: nodeSurfaceFactory }),
    ).resolves.toBeUndefined();
  });
});
