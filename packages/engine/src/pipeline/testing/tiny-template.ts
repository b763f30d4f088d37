import { DEMO_MUSIC_REF } from '../../audio/demo-music';
import type { Template } from '../../template/template.schema';
import { parseTemplate } from '../../template/template.validate';

/**
 * A small real template for pipeline and CLI tests: two short layer scenes (a solid colour patch, a
 * moving shape, a Persian title bound to a field) with the demo music bed. 1.6 s at 30 fps.
 */
export const TINY_TEMPLATE_DOCUMENT = {
  id: 'tiny-test',
  engine: 1,
  mode: 'fixed',
  fps: 30,
  title: { fa: 'آزمایش', en: 'Test' },
  aspects: { '16:9': [320, 180], '1:1': [240, 240] },
  fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
  palette: {
    background: '#101018',
    surface: '#1b1d33',
    primary: { field: 'brand' },
    accent: '#00d2a8',
    text: '#ffffff',
    muted: '#9aa0b5',
  },
  fields: {
    brand: { type: 'color', default: '#e94560' },
    title: { type: 'text', maxLength: 40, default: { fa: 'سلام دنیا', en: 'Hello world' } },
  },
  scenes: [
    {
      id: 'one',
      duration: { default: 0.8, min: 0.5, max: 4 },
      background: '#101018',
      layers: [
        // Left half in the brand colour (sizes are in units of the shorter side: 180 px at 16:9).
        {
          type: 'shape',
          shape: 'rect',
          fill: { field: 'brand' },
          x: 0.25,
          y: 0.5,
          width: 160 / 180,
          height: 1,
        },
        {
          type: 'shape',
          shape: 'ellipse',
          width: 0.2,
          height: 0.2,
          x: {
            keyframes: [
              { t: 0, value: 0.6 },
              { t: 0.8, value: 0.9 },
            ],
          },
          y: 0.5,
          fill: '@accent',
        },
      ],
    },
    {
      id: 'two',
      duration: { default: 0.8, min: 0.5, max: 4 },
      background: '@background',
      layers: [{ type: 'text', text: { field: 'title' }, size: 0.16, reveal: { by: 'word' } }],
    },
  ],
  transition: { type: 'none', duration: 0 },
  music: { asset: DEMO_MUSIC_REF, volume: 0.7, fadeIn: 0.2, fadeOut: 0.4 },
};

export function tinyTemplate(): Template {
  return parseTemplate(TINY_TEMPLATE_DOCUMENT);
}
