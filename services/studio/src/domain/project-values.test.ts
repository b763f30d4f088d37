import { parseTemplate } from '@flatrender/engine';
import { describe, expect, it } from 'vitest';
import { studioTemplate } from '../../test/template-fixtures';
import {
  applyEdit,
  draftTemplate,
  EMPTY_VALUES,
  eventScenes,
  fileIds,
  type ProjectValues,
  saveProblems,
} from './project-values';

const template = parseTemplate(studioTemplate());
const draft = draftTemplate(template);
const edit = (current: ProjectValues, change: Parameters<typeof applyEdit>[4]) =>
  applyEdit(template, draft, 'fa', current, change);

describe('saving values', () => {
  it('saves an unfinished project (a required field not given yet) but refuses a wrong value', () => {
    expect(saveProblems(draft, EMPTY_VALUES)).toEqual([]);
    const wrong = edit(EMPTY_VALUES, { fields: { brand: 'blue', 'intro.title': 'x'.repeat(41) } });
    expect(wrong).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ code: 'bad_color', path: 'brand', field: 'brand' }),
        expect.objectContaining({ code: 'too_long', path: 'intro.title', field: 'intro.title' }),
      ],
    });
  });

  it('keeps only values that differ from the defaults; null puts a field back to its default', () => {
    const first = edit(EMPTY_VALUES, {
      fields: { brand: '#e94560', 'intro.title': 'نوروز مبارک', 'end.headline': 'به امید دیدار' },
    });
    expect(first).toEqual({
      ok: true,
      values: { fields: { 'end.headline': 'به امید دیدار' }, durations: {}, scenes: null },
    });
    if (!first.ok) return;
    const second = edit(first.values, { fields: { 'end.headline': null, 'intro.subtitle': '' } });
    expect(second).toEqual({
      ok: true,
      values: { fields: { 'intro.subtitle': '' }, durations: {}, scenes: null },
    });
  });

  it('refuses unknown fields and names the field meant', () => {
    const result = edit(EMPTY_VALUES, { fields: { title: 'x' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: 'unknown_field', path: 'title' });
    expect(result.errors[0]!.message).toContain('"intro.title"');
  });

  it('applies scene edits before field changes, so a new scene can be filled at once', () => {
    const result = edit(EMPTY_VALUES, {
      sceneEdits: [
        { op: 'add', block: 'quote', id: 'q1', at: 1 },
        { op: 'duration', scene: 'intro', seconds: 5 },
      ],
      fields: { 'q1.quote': 'هر روزتان نوروز' },
    });
    expect(result).toEqual({
      ok: true,
      values: {
        fields: { 'q1.quote': 'هر روزتان نوروز' },
        durations: { intro: 5 },
        scenes: [{ id: 'intro' }, { id: 'q1', block: 'quote' }, { id: 'end' }],
      },
    });
  });

  it('refuses a block the template does not allow, naming the edit', () => {
    const result = edit(EMPTY_VALUES, { sceneEdits: [{ op: 'add', block: 'bar-chart' }] });
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          code: 'scene_edit_forbidden',
          path: 'scene_edits[0]',
          message: expect.stringContaining('block "bar-chart" is not allowed'),
        }),
      ],
    });
  });

  it('refuses a duration outside the scene bounds', () => {
    const result = edit(EMPTY_VALUES, { sceneEdits: [{ op: 'duration', scene: 'end', seconds: 1 }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: 'duration_bounds', path: 'scene_edits[0]' });
  });
});

describe('what the saved event carries', () => {
  it('lists referenced files once, lists included, and only well-formed file references', () => {
    const a = '0b8e3c4e-1111-4c2e-9a53-2f0d5c1e7a01';
    const b = '0b8e3c4e-2222-4c2e-9a53-2f0d5c1e7a01';
    expect(
      fileIds({
        logo: `file:${a}`,
        slides: [{ image: `file:${b}` }, { image: `file:${a}` }],
        x: 'file:nope',
      }),
    ).toEqual([a, b]);
  });

  it('gives the scene list with lengths only when the project changed it', () => {
    expect(eventScenes(template, EMPTY_VALUES)).toBeNull();
    expect(eventScenes(template, { fields: {}, durations: { end: 4 }, scenes: null })).toEqual([
      { id: 'intro', block: 'title-card', duration_seconds: 3 },
      { id: 'end', block: 'outro', duration_seconds: 4 },
    ]);
    expect(
      eventScenes(template, {
        fields: {},
        durations: {},
        scenes: [{ id: 'q', block: 'quote' }, { id: 'end' }],
      }),
    ).toEqual([
      { id: 'q', block: 'quote', duration_seconds: expect.any(Number) },
      { id: 'end', block: 'outro', duration_seconds: 3 },
    ]);
  });
});
