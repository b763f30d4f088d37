import type { TemplateInput } from '@flatrender/engine';

/**
 * A small flexible template for studio tests: a global colour and logo, a titled intro whose
 * title must fit at every aspect (large minimum size), a required subtitle without default (so a
 * new project is unfinished), an outro. Each call returns a fresh copy to change.
 */
export function studioTemplate(): TemplateInput {
  return {
    id: 'studio-sample',
    engine: 1,
    mode: 'flexible',
    fps: 30,
    title: { fa: 'نمونهٔ استودیو', en: 'Studio sample' },
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
      brand: { type: 'color', default: '#e94560' },
      logo: { type: 'image', optional: true, minWidth: 256 },
      music: { type: 'audio', optional: true, maxDuration: 60 },
    },
    scenes: [
      {
        id: 'intro',
        block: 'title-card',
        duration: { default: 3, min: 2, max: 6 },
        fields: {
          title: {
            type: 'text',
            maxLength: 40,
            minFontSize: 90,
            default: { fa: 'نوروز مبارک', en: 'Happy Nowruz' },
          },
          subtitle: { type: 'text', maxLength: 80 },
        },
        props: {
          title: { field: 'intro.title' },
          subtitle: { field: 'intro.subtitle' },
          logo: { field: 'logo' },
        },
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
    maxScenes: 5,
    transition: { type: 'crossfade', duration: 0.5 },
  };
}

/** A later version: the outro is gone, the title allows less, a quote is no longer allowed. */
export function studioTemplateV2(): TemplateInput {
  const doc = studioTemplate();
  doc.scenes = doc.scenes.filter((s) => s.id !== 'end');
  const intro = doc.scenes[0] as { fields: Record<string, { maxLength?: number }> };
  intro.fields.title!.maxLength = 12;
  doc.allowedBlocks = ['title-card', 'outro'];
  return doc;
}
