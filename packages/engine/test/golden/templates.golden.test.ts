import { describe, it } from 'vitest';
import type { Aspect } from '../../src/index';
import { demoTemplates } from '../../src/node/index';
import { compareWithGolden } from './golden';
import { renderAt } from './render-golden';

describe('demo template goldens (middle frame)', () => {
  const cases = demoTemplates().flatMap(({ template }) => {
    const aspects = Object.keys(template.aspects) as Aspect[];
    return [
      ...aspects.slice(0, 2).map((aspect) => ({ template, aspect, locale: 'fa' as const })),
      { template, aspect: aspects[0]!, locale: 'en' as const },
    ];
  });
  it.each(cases.map((c) => [`${c.template.id} ${c.aspect} ${c.locale}`, c] as const))(
    '%s',
    async (_name, c) => {
      const canvas = await renderAt(c.template, c.aspect, 'middle', c.locale);
      await compareWithGolden(`templates/${c.template.id}-${c.aspect.replace(':', 'x')}-${c.locale}`, canvas);
    },
  );
});
