import { describe, it } from 'vitest';
import { parseTemplate } from '../../src/index';
import { compareWithGolden } from './golden';
import { renderAt } from './render-golden';

// Persian with an English run, digits, ZWNJ words and punctuation; English with a Persian run.
// Drawn whole (canvas bidi) and word by word (engine bidi) so both paths are pinned.
const template = parseTemplate({
  id: 'golden-bidi',
  engine: 1,
  mode: 'fixed',
  fps: 30,
  title: 'bidi',
  aspects: { '16:9': [1920, 1080], '9:16': [1080, 1920] },
  fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
  palette: {
    background: '#fbf7f0',
    surface: '#ffffff',
    primary: '#1f4e5f',
    accent: '#e94560',
    text: '#1b2a33',
    muted: '#6c7a80',
  },
  scenes: [
    {
      id: 'mixed',
      duration: { default: 4, min: 2, max: 8 },
      background: '@background',
      layers: [
        {
          type: 'shape',
          shape: 'rounded',
          width: 1.5,
          height: 0.005,
          y: 0.5,
          fill: '@muted',
          aspects: { '9:16': { width: 0.9 } },
        },
        {
          type: 'text',
          text: 'من با FlatRender ویدیو می‌سازم؛ نسخهٔ 2 در سال 1404!',
          size: 0.075,
          width: 0.9,
          height: 0.22,
          y: 0.2,
          maxLines: 3,
          color: '@text',
        },
        {
          type: 'text',
          text: 'قیمت: ۴۹۰٬۰۰۰ تومان (iPhone 15 Pro) — فقط امروز',
          font: 'body',
          size: 0.05,
          width: 0.9,
          height: 0.16,
          y: 0.38,
          maxLines: 2,
          color: '@primary',
          digits: 'latin',
        },
        {
          type: 'text',
          text: 'Made with فلت‌رندر in Tehran, 2025',
          font: 'Vazirmatn:700',
          size: 0.065,
          width: 0.9,
          height: 0.2,
          y: 0.64,
          maxLines: 2,
          color: '@text',
          digits: 'latin',
        },
        {
          type: 'text',
          text: 'کلمه‌ها یکی‌یکی با FlatRender می‌آیند',
          size: 0.07,
          width: 0.9,
          height: 0.2,
          y: 0.84,
          maxLines: 2,
          color: '@accent',
          reveal: { by: 'word', stagger: 0.15, duration: 0.5 },
        },
      ],
    },
  ],
});

describe('Persian and mixed-direction text golden', () => {
  it.each(['16:9', '9:16'] as const)('draws shaped, right-to-left and mixed runs at %s', async (aspect) => {
    // At 0.6 s the word-by-word line is half revealed: the first words (rightmost) are in.
    const canvas = await renderAt(template, aspect, 0.6, 'fa');
    await compareWithGolden(`bidi/mixed-${aspect.replace(':', 'x')}`, canvas);
  });
});
