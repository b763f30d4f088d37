import { validateValues } from '@flatrender/engine';
import { demoTemplates } from '@flatrender/engine/node';
import { describe, expect, it } from 'vitest';
import { assetRefOf, engineValues } from './work-values';

const hash = 'a'.repeat(64);
const demo = (id: string) => {
  const found = demoTemplates().find((t) => t.id === id);
  if (!found) throw new Error(`no demo template ${id}`);
  return found.template;
};

describe('engineValues', () => {
  it('turns image values (also inside list records) into asset references and makes every length explicit', () => {
    const template = demo('quote-of-the-day');
    const values = engineValues(template, {
      values: { brand: '#112233', logo: { asset: hash }, slides: [{ image: { asset: hash }, caption: 'x' }] },
      scenes: template.scenes.map((s) => ({
        id: s.id,
        block: 'block' in s ? s.block : 'layers',
        duration_seconds: 3,
      })),
    });
    expect(values.fields).toEqual({
      brand: '#112233',
      logo: assetRefOf(hash),
      slides: [{ image: `asset:${hash}`, caption: 'x' }],
    });
    expect(values.durations).toEqual({ today: 3, words: 3, follow: 3 });
    expect(values.scenes).toBeUndefined();
  });

  it('gives a flexible template its scene order, added scenes with their block, and the engine accepts it', () => {
    const found = demoTemplates().find(
      (t) => t.template.mode === 'flexible' && t.template.allowedBlocks?.length,
    );
    if (!found) throw new Error('no flexible demo template');
    const { template } = found;
    const block = template.allowedBlocks![0]!;
    const first = template.scenes[0]!;
    const values = engineValues(template, {
      values: {},
      scenes: [
        { id: 'added-1', block, duration_seconds: 3 },
        {
          id: first.id,
          block: 'block' in first ? first.block : 'layers',
          duration_seconds: first.duration.default,
        },
      ],
    });
    expect(values.scenes).toEqual([{ id: 'added-1', block }, { id: first.id }]);
    expect(validateValues(template, values).errors.filter((e) => e.path.startsWith('scenes'))).toEqual([]);
  });
});
