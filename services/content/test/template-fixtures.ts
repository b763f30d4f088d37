/**
 * A small valid template document the tests control (the demo templates may change with the engine).
 * Two scenes, a template-wide colour, scene-scoped texts that both say "title" (no collision), and the
 * bundled Vazirmatn faces. `overrides` replace top-level properties.
 */
export function sampleTemplate(
  slug: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: slug,
    engine: 1,
    mode: 'fixed',
    fps: 30,
    title: { fa: 'کارت تبریک یلدا', en: 'Yalda greeting card' },
    description: { fa: 'شب یلدا مبارک با انار و هندوانه', en: 'Happy Yalda night with pomegranates' },
    category: 'greeting',
    tags: ['yalda', 'winter'],
    aspects: { '16:9': [640, 360], '9:16': [360, 640] },
    fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
    palette: {
      background: '#1b1b2f',
      surface: '#162447',
      primary: { field: 'brand' },
      accent: '#e43f5a',
      text: '#ffffff',
      muted: '#a0a0b0',
    },
    fields: {
      brand: { type: 'color', default: '#e94560', label: { fa: 'رنگ برند', en: 'Brand colour' } },
    },
    scenes: [
      {
        id: 'intro',
        duration: { default: 2, min: 1, max: 4 },
        fields: {
          title: {
            type: 'text',
            maxLength: 40,
            default: { fa: 'یلدا مبارک', en: 'Happy Yalda' },
            label: { fa: 'عنوان', en: 'Title' },
          },
        },
        background: '@background',
        layers: [
          { type: 'text', text: { field: 'intro.title' }, font: 'display', size: 0.12, color: '@text' },
        ],
      },
      {
        id: 'card',
        block: 'title-card',
        duration: { default: 2, min: 2, max: 4 },
        fields: {
          title: { type: 'text', maxLength: 60, default: { fa: 'شبی بلند و گرم', en: 'A long warm night' } },
        },
        props: { title: { field: 'card.title' }, subtitle: '' },
      },
    ],
    transition: { type: 'crossfade', duration: 0.5 },
    ...overrides,
  };
}
