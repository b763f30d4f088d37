import { describe, expect, it } from 'vitest';
import { parseTemplate, prepareComposition } from '../../src/index';
import { canvasContext, createCanvas, nodeRenderOptions } from '../../src/node/index';
import { compareWithGolden } from './golden';
import { renderAt } from './render-golden';

// Every layer type and paint in one data-defined scene: gradients, shapes (rect, rounded, ellipse,
// polygon, path), a bitmap, an SVG, text with a colour animation, keyframed transforms.
const template = parseTemplate({
  id: 'golden-layers',
  engine: 1,
  mode: 'fixed',
  fps: 30,
  title: 'layers',
  aspects: { '16:9': [1920, 1080], '9:16': [1080, 1920] },
  fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
  palette: {
    background: '#101426',
    surface: '#1c2038',
    primary: '#6c5ce7',
    accent: '#00d2a8',
    text: '#ffffff',
    muted: '#9aa3c0',
  },
  scenes: [
    {
      id: 'all',
      duration: { default: 4, min: 2, max: 8 },
      background: {
        gradient: 'linear',
        angle: 135,
        stops: [
          { offset: 0, color: '@background' },
          { offset: 1, color: '#2a1a3a' },
        ],
      },
      layers: [
        {
          type: 'gradient',
          gradient: 'radial',
          stops: [
            { offset: 0, color: '#6c5ce740' },
            { offset: 1, color: '#6c5ce700' },
          ],
        },
        {
          type: 'shape',
          shape: 'rect',
          width: 0.2,
          height: 0.2,
          x: 0.15,
          y: 0.3,
          fill: '@primary',
          rotation: {
            keyframes: [
              { t: 0, value: 0 },
              { t: 2, value: 45, easing: 'cubic-in-out' },
            ],
          },
        },
        {
          type: 'shape',
          shape: 'rounded',
          width: 0.25,
          height: 0.18,
          radius: 0.05,
          x: 0.38,
          y: 0.3,
          fill: {
            gradient: 'linear',
            angle: 0,
            stops: [
              { offset: 0, color: '@accent' },
              { offset: 1, color: '@primary' },
            ],
          },
        },
        {
          type: 'shape',
          shape: 'ellipse',
          width: 0.22,
          height: 0.14,
          x: 0.62,
          y: 0.3,
          stroke: { color: '@accent', width: 0.01 },
        },
        {
          type: 'shape',
          shape: 'polygon',
          sides: 6,
          width: 0.2,
          height: 0.2,
          x: 0.85,
          y: 0.3,
          fill: '#ffb547',
          scale: {
            keyframes: [
              { t: 0, value: 0, easing: 'elastic-out' },
              { t: 1.5, value: 1 },
            ],
          },
        },
        {
          type: 'shape',
          shape: 'path',
          path: 'M10 80 Q 50 -20 90 80 T 170 80',
          viewBox: [180, 100],
          width: 0.4,
          height: 0.22,
          x: 0.2,
          y: 0.65,
          stroke: { color: '#ffffff', width: 0.012 },
        },
        {
          type: 'image',
          asset: 'builtin:photos/sea.jpg',
          width: 0.42,
          height: 0.28,
          radius: 0.04,
          x: 0.55,
          y: 0.65,
        },
        {
          type: 'svg',
          asset: 'builtin:logos/mark.svg',
          width: 0.24,
          height: 0.24,
          x: 0.85,
          y: 0.65,
          opacity: {
            keyframes: [
              { t: 0.5, value: 0 },
              { t: 1, value: 1 },
            ],
          },
        },
        {
          type: 'text',
          text: { fa: 'لایه‌ها با داده تعریف می‌شوند', en: 'Layers are defined in data' },
          size: 0.07,
          width: 0.9,
          height: 0.12,
          y: 0.9,
          color: {
            keyframes: [
              { t: 0, value: '@accent' },
              { t: 3, value: '#ffffff' },
            ],
          },
        },
      ],
    },
  ],
});

describe('layer scene golden', () => {
  it.each(['16:9', '9:16'] as const)('draws every layer type at %s', async (aspect) => {
    const canvas = await renderAt(template, aspect, 1.6, 'fa');
    await compareWithGolden(`layers/all-${aspect.replace(':', 'x')}`, canvas);
  });

  it('draws the SVG layer (not an empty box)', async () => {
    const comp = await prepareComposition(template, {}, '16:9', nodeRenderOptions('fa'));
    const canvas = createCanvas(1920, 1080);
    comp.drawAt(canvasContext(canvas), 2);
    // The white play triangle of the mark: viewBox (330, 340) of 512, in a 259 px box centred at (1632, 702).
    const box = 1080 * 0.24;
    const x = Math.round(1632 - box / 2 + (330 / 512) * box);
    const y = Math.round(702 - box / 2 + (340 / 512) * box);
    const [r, g, b] = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
    expect([r, g, b]).toEqual([255, 255, 255]);
  });
});
