import { parseTemplate } from '@flatrender/engine';
import { describe, expect, it } from 'vitest';
import { studioTemplate, studioTemplateV2 } from '../../test/template-fixtures';
import { draftTemplate } from './project-values';
import { carryOver } from './upgrade';

const v2 = parseTemplate(studioTemplateV2());
const up = (values: Parameters<typeof carryOver>[3]) => carryOver(v2, draftTemplate(v2), 'fa', values);

describe('carrying values to a new template version', () => {
  it('keeps what still fits and reports each value dropped, with why', () => {
    const result = up({
      fields: { brand: '#112233', 'intro.title': 'یک عنوان بسیار طولانی', 'end.headline': 'خداحافظ' },
      durations: { intro: 5, end: 4 },
      scenes: null,
    });
    expect(result.remaining).toEqual([]);
    expect(result.values).toEqual({ fields: { brand: '#112233' }, durations: { intro: 5 }, scenes: null });
    expect(result.dropped).toEqual([
      expect.objectContaining({ path: 'durations.end', code: 'unknown_scene', value: 4 }),
      expect.objectContaining({ path: 'intro.title', code: 'too_long', value: 'یک عنوان بسیار طولانی' }),
      expect.objectContaining({ path: 'end.headline', code: 'unknown_field', value: 'خداحافظ' }),
    ]);
  });

  it('drops scene entries the new version refuses and the fields of those scenes', () => {
    const result = up({
      fields: { 'q.quote': 'سخن', 'extra.title': 'دوم' },
      durations: {},
      scenes: [
        { id: 'intro' },
        { id: 'q', block: 'quote' },
        { id: 'end' },
        { id: 'extra', block: 'title-card' },
      ],
    });
    expect(result.remaining).toEqual([]);
    expect(result.values.scenes).toEqual([{ id: 'intro' }, { id: 'extra', block: 'title-card' }]);
    expect(result.values.fields).toEqual({ 'extra.title': 'دوم' });
    expect(result.dropped.map((d) => [d.path, d.code])).toEqual([
      ['scenes[1]', 'scene_edit_forbidden'],
      ['scenes[2]', 'unknown_scene'],
      ['q.quote', 'unknown_field'],
    ]);
  });

  it('falls back to the template scene list when a fixed version allows no edits', () => {
    const doc = studioTemplate();
    doc.mode = 'fixed';
    delete doc.allowedBlocks;
    delete doc.maxScenes;
    const fixed = parseTemplate(doc);
    const result = carryOver(fixed, draftTemplate(fixed), 'en', {
      fields: {},
      durations: {},
      scenes: [{ id: 'end' }, { id: 'intro' }],
    });
    expect(result.values.scenes).toBeNull();
    expect(result.dropped).toEqual([
      expect.objectContaining({ path: 'scenes', code: 'scene_edit_forbidden' }),
    ]);
  });
});
