import { beforeAll, describe, expect, it } from 'vitest';
import { checkProject, type FontProvider, localize } from '../src/index';
import { demoTemplates, nodeAssetLoader, nodeSurfaceFactory, registerBundledFonts } from '../src/node/index';

let fonts: FontProvider;
beforeAll(() => {
  fonts = registerBundledFonts();
});

const demos = demoTemplates();

describe('demo templates', () => {
  it('ships at least eight, with unique ids', () => {
    expect(demos.length).toBeGreaterThanOrEqual(8);
    expect(new Set(demos.map((d) => d.id)).size).toBe(demos.length);
  });

  it.each(demos.map((d) => [d.id, d] as const))(
    '%s is bilingual, multi-aspect and uses several blocks',
    (_id, { template }) => {
      expect(Object.keys(template.aspects).length).toBeGreaterThanOrEqual(2);
      expect(template.locales).toEqual(['fa', 'en']);
      expect(localize(template.title, 'fa')).not.toBe(localize(template.title, 'en'));
      const kinds = new Set(template.scenes.map((s) => ('block' in s ? s.block : 'layers')));
      expect(kinds.size).toBeGreaterThanOrEqual(3);
      // Every text default exists in both languages.
      for (const scene of template.scenes)
        for (const [name, def] of Object.entries(scene.fields))
          if (def.type === 'text' && def.default !== undefined && typeof def.default === 'object')
            expect([scene.id, name, Object.keys(def.default).sort()]).toEqual([scene.id, name, ['en', 'fa']]);
    },
  );

  it.each(demos.map((d) => [d.id, d] as const))(
    '%s passes every pre-render check in fa and en',
    async (_id, { template }) => {
      for (const locale of ['fa', 'en'] as const) {
        const result = await checkProject(
          template,
          {},
          { fonts, locale, createSurface: nodeSurfaceFactory, assets: nodeAssetLoader() },
        );
        expect(result.errors).toEqual([]);
      }
    },
  );
});
