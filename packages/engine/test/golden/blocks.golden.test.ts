import { describe, expect, it } from 'vitest';
import { ASPECTS, type Aspect, DEFAULT_SIZES, listBlocks, parseTemplate } from '../../src/index';
import { compareWithGolden } from './golden';
import { renderAt } from './render-golden';

/** One block alone in a fixed template declaring every aspect, on the default dark palette. */
function single(block: string, duration: { default: number; min: number; max: number }) {
  return parseTemplate({
    id: `golden-${block}`,
    engine: 1,
    mode: 'fixed',
    fps: 30,
    title: block,
    aspects: DEFAULT_SIZES,
    fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
    palette: {
      background: '#0f1222',
      surface: '#1c2038',
      primary: '#e94560',
      accent: '#ffb547',
      text: '#ffffff',
      muted: '#9aa3c0',
    },
    scenes: [{ id: 'scene', block, duration, props: {} }],
  });
}

const blocks = listBlocks(1);

describe('block goldens', () => {
  it('covers at least ten blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  // Each block at every aspect in Persian, at 55 % of its default length (entrances finished).
  for (const block of blocks) {
    it.each([...ASPECTS] as Aspect[])(`${block.id} at %s (fa)`, async (aspect) => {
      const canvas = await renderAt(
        single(block.id, block.duration),
        aspect,
        block.duration.default * 0.55,
        'fa',
      );
      await compareWithGolden(`blocks/${block.id}-${aspect.replace(':', 'x')}-fa`, canvas);
    });
  }

  it.each(blocks.map((b) => b.id))('%s at 16:9 (en)', async (id) => {
    const block = blocks.find((b) => b.id === id)!;
    const canvas = await renderAt(single(id, block.duration), '16:9', block.duration.default * 0.55, 'en');
    await compareWithGolden(`blocks/${id}-16x9-en`, canvas);
  });
});
