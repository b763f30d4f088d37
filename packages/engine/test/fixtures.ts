import type { TemplateInput } from '../src/template/template.schema';

/** A small flexible template used across engine tests. Each call returns a fresh copy to mutate. */
export function sampleTemplate(): TemplateInput & Record<string, unknown> {
  return {
    id: 'sample',
    engine: 1,
    mode: 'flexible',
    fps: 30,
    title: { fa: 'نمونه', en: 'Sample' },
    aspects: { '16:9': [1920, 1080], '9:16': [1080, 1920], '1:1': [1080, 1080] },
    fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
    palette: {
      background: '#0f1222',
      surface: '#1c2038',
      primary: { field: 'brand' },
      accent: '#ffb547',
      text: '#ffffff',
      muted: '#9aa3c0',
    },
    fields: {
      brand: { type: 'color', default: '#e94560', label: { fa: 'رنگ برند', en: 'Brand colour' } },
      logo: { type: 'image', optional: true, minWidth: 256 },
      launch: { type: 'date', default: '2025-03-21' },
    },
    scenes: [
      {
        id: 'intro',
        block: 'title-card',
        duration: { default: 3, min: 2, max: 6 },
        fields: {
          title: { type: 'text', maxLength: 40, default: { fa: 'نوروز مبارک', en: 'Happy Nowruz' } },
        },
        props: { title: { field: 'intro.title' }, logo: { field: 'logo' }, eyebrow: { field: 'launch' } },
      },
      {
        id: 'stats',
        block: 'bar-chart',
        duration: { default: 4, min: 3, max: 8 },
        fields: {
          bars: {
            type: 'list',
            item: { label: { type: 'text', maxLength: 20 }, value: { type: 'number', min: 0 } },
            minItems: 2,
            maxItems: 5,
            default: [
              { label: 'A', value: 1 },
              { label: 'B', value: 2 },
            ],
          },
        },
        props: { bars: { field: 'stats.bars' }, title: 'نتایج' },
      },
      {
        id: 'end',
        block: 'outro',
        duration: { default: 3, min: 2.5, max: 6 },
        fields: { headline: { type: 'text', maxLength: 30, default: { fa: 'ممنون', en: 'Thanks' } } },
        props: { headline: { field: 'end.headline' } },
      },
    ],
    allowedBlocks: ['title-card', 'quote', 'outro'],
    transition: { type: 'crossfade', duration: 0.5 },
    music: { asset: 'builtin:music/spring.m4a', volume: 0.6, fadeOut: 1.5 },
  };
}
