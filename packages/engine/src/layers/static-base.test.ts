import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleTemplate } from '../../test/fixtures';
import { memoryAssetLoader } from '../assets/asset-loader';
import type { FontProvider } from '../fonts/font-spec';
import { canvasContext, createCanvas, nodeSurfaceFactory, registerBundledFonts } from '../node/index';
import type { SurfaceFactory } from '../render/canvas.types';
import { prepareComposition } from '../render/prepare';
import type { Transition } from '../template/template.schema';
import { parseTemplate } from '../template/template.validate';

let fonts: FontProvider;
beforeAll(() => {
  fonts = registerBundledFonts();
});

/**
 * Two layer scenes on a static gradient bottom (a gradient, a translucent static tint) under moving
 * shapes. `timed` gives the gradient `start: 0`, which draws the same pixels but keeps the bottom
 * from being cached: the reference.
 */
function template(transition: Transition['type'], timed: boolean) {
  const scene = (id: string, stops: [string, string]) => ({
    id,
    duration: { default: 2, min: 1, max: 4 },
    layers: [
      {
        type: 'gradient',
        gradient: 'linear',
        angle: 35,
        stops: [
          { offset: 0, color: stops[0] },
          { offset: 1, color: stops[1] },
        ],
        ...(timed ? { start: 0 } : {}),
      },
      { type: 'solid', color: '#ffffff22' },
      {
        type: 'shape',
        shape: 'ellipse',
        width: 0.4,
        height: 0.4,
        fill: {
          gradient: 'radial',
          stops: [
            { offset: 0, color: '#00d2a8cc' },
            { offset: 1, color: '#00d2a800' },
          ],
        },
        x: {
          keyframes: [
            { t: 0, value: 0.2 },
            { t: 2, value: 0.8 },
          ],
        },
        y: 0.5,
      },
    ],
  });
  return parseTemplate({
    ...sampleTemplate(),
    id: 'static-base',
    fps: 10,
    aspects: { '16:9': [320, 180] },
    scenes: [scene('a', ['#1e1b4b', '#db2777']), scene('b', ['#0b1020', '#6d28d9'])],
    transition: { type: transition, duration: 1, easing: 'linear' },
  });
}

/** Frames of the template at `seconds`, each as a hash of its RGBA, and how many surfaces it made. */
async function frames(transition: Transition['type'], timed: boolean, seconds: number[], scale = 1) {
  let surfaces = 0;
  const counting: SurfaceFactory = (w, h) => {
    surfaces++;
    return nodeSurfaceFactory(w, h);
  };
  const comp = await prepareComposition(template(transition, timed), {}, '16:9', {
    locale: 'fa',
    fonts,
    createSurface: counting,
    assets: memoryAssetLoader({}),
  });
  const width = 320 * scale;
  const height = 180 * scale;
  const canvas = createCanvas(width, height);
  const skia = canvas.getContext('2d');
  const ctx = canvasContext(canvas);
  const hashes = seconds.map((t) => {
    skia.setTransform(1, 0, 0, 1, 0, 0);
    skia.clearRect(0, 0, width, height);
    skia.setTransform(scale, 0, 0, scale, 0, 0);
    comp.drawAt(ctx, t);
    return createHash('sha256').update(canvas.data()).digest('hex');
  });
  return { hashes, surfaces };
}

describe('layer scenes: the static bottom kept as one image', () => {
  const times = [0, 0.4, 1.2, 1.5, 1.75, 2.5, 3.9];

  it.each(['none', 'crossfade', 'slide', 'zoom', 'wipe'] as const)(
    'draws every frame pixel for pixel as drawing the layers does (transition %s)',
    async (transition) => {
      const cached = await frames(transition, false, times);
      const drawn = await frames(transition, true, times);
      expect(cached.hashes).toEqual(drawn.hashes);
      // The cached run made its base images (one per scene at this size); the reference made none.
      expect(cached.surfaces).toBeGreaterThan(drawn.surfaces);
      // Frames differ over time: the comparison is not of blank frames.
      expect(new Set(cached.hashes).size).toBeGreaterThan(4);
    },
  );

  it('is exact at another output scale too', async () => {
    const cached = await frames('crossfade', false, times, 0.5);
    const drawn = await frames('crossfade', true, times, 0.5);
    expect(cached.hashes).toEqual(drawn.hashes);
  });
});
