import { describe, expect, it } from 'vitest';
import { sampleTemplate } from '../../test/fixtures';
import { EngineValidationError } from '../template/engine-error';
import { parseTemplate } from '../template/template.validate';
import { resolveValues, validateValues } from './project';
import { applySceneEdits } from './scene-edits';

const template = parseTemplate(sampleTemplate());
const fixed = parseTemplate({ ...sampleTemplate(), mode: 'fixed', allowedBlocks: undefined });

describe('validateValues', () => {
  it('accepts no values (all defaults)', () => {
    expect(validateValues(template, {})).toEqual({ ok: true, errors: [] });
  });

  it('names the field and the problem', () => {
    const { errors } = validateValues(template, {
      fields: {
        brand: 'red',
        'intro.title': 'x'.repeat(41),
        'end.headline': 7,
        'stats.bars': [{ label: 'only one', value: 3 }],
        title: 'no such global field',
        'intro.subtitle': 'not a field of this scene',
      },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'bad_color',
          field: 'brand',
          message: expect.stringContaining('"red"'),
        }),
        expect.objectContaining({
          code: 'too_long',
          field: 'intro.title',
          message: '"intro.title" is 41 characters long; the limit is 40',
        }),
        expect.objectContaining({
          code: 'invalid_type',
          field: 'end.headline',
          message: '"end.headline" must be text, got number',
        }),
        expect.objectContaining({
          code: 'list_bounds',
          field: 'stats.bars',
          message: expect.stringContaining('needs 2 to 5'),
        }),
        expect.objectContaining({
          code: 'unknown_field',
          field: 'title',
          message: expect.stringContaining('did you mean "intro.title"'),
        }),
        expect.objectContaining({ code: 'unknown_field', field: 'intro.subtitle' }),
      ]),
    );
    expect(errors).toHaveLength(6);
  });

  it('checks list items and numbers against their bounds', () => {
    const { errors } = validateValues(template, {
      fields: {
        'stats.bars': [{ label: 'A', value: -1 }, { label: 'B', value: 2, extra: true }, { value: 3 }],
      },
    });
    expect(errors.map((e) => [e.code, e.path])).toEqual([
      ['out_of_range', 'stats.bars[0].value'],
      ['unknown_field', 'stats.bars[1].extra'],
      ['missing_value', 'stats.bars[2].label'],
    ]);
  });

  it('checks durations and the total length', () => {
    const { errors } = validateValues(template, { durations: { intro: 9, nope: 3 } });
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'duration_bounds',
        path: 'durations.intro',
        message: 'scene "intro" must last 2 to 6 seconds, got 9',
      }),
      expect.objectContaining({ code: 'unknown_scene', path: 'durations.nope' }),
    ]);
  });

  it('treats a non-object as invalid instead of crashing', () => {
    expect(validateValues(template, null as never).ok).toBe(false);
  });
});

describe('resolveValues', () => {
  it('applies defaults per language and binds the palette', () => {
    const fa = resolveValues(template, {}, { locale: 'fa' });
    const en = resolveValues(template, { fields: { brand: '#00aa55' } }, { locale: 'en' });
    expect(fa.fields.get('intro.title')).toBe('نوروز مبارک');
    expect(en.fields.get('intro.title')).toBe('Happy Nowruz');
    expect(fa.palette.primary).toBe('#e94560');
    expect(en.palette.primary).toBe('#00aa55');
    expect(fa.fonts.display).toEqual({ family: 'Vazirmatn', weight: 800, alias: 'Vazirmatn 800' });
    expect(fa.persianDigits()).toBe(true);
    expect(en.persianDigits()).toBe(false);
  });

  it('throws a typed error with every problem', () => {
    expect(() => resolveValues(template, { fields: { brand: 1 } }, { locale: 'fa' })).toThrow(
      EngineValidationError,
    );
  });
});

describe('applySceneEdits', () => {
  it('adds allowed blocks with their own scoped fields, moves and removes scenes', () => {
    const added = applySceneEdits(template, {}, [{ op: 'add', block: 'quote', at: 1 }]);
    expect(added.errors).toEqual([]);
    expect(added.values.scenes).toEqual([
      { id: 'intro' },
      { id: 'quote-2', block: 'quote' },
      { id: 'stats' },
      { id: 'end' },
    ]);
    const edited = applySceneEdits(
      template,
      { ...added.values, fields: { 'quote-2.quote': 'یک جمله', 'stats.bars': [] } },
      [
        { op: 'move', scene: 'end', to: 0 },
        { op: 'remove', scene: 'stats' },
        { op: 'duration', scene: 'quote-2', seconds: 6 },
      ],
    );
    expect(edited.errors).toEqual([]);
    expect(edited.values.scenes?.map((s) => s.id)).toEqual(['end', 'intro', 'quote-2']);
    // Values of a removed scene go with it; durations are stored only when they differ.
    expect(edited.values.fields).toEqual({ 'quote-2.quote': 'یک جمله' });
    expect(edited.values.durations).toEqual({ 'quote-2': 6 });
    const rv = resolveValues(template, edited.values, { locale: 'en' });
    expect(rv.scenes.map((s) => [s.scene.id, s.duration])).toEqual([
      ['end', 3],
      ['intro', 3],
      ['quote-2', 6],
    ]);
    // Two added quotes never share a field: each scene scopes its own.
    const twice = applySceneEdits(template, edited.values, [{ op: 'add', block: 'quote' }]);
    expect(twice.values.scenes?.at(-1)).toEqual({ id: 'quote-3', block: 'quote' });
    expect([...resolveValues(template, twice.values, { locale: 'fa' }).defs.keys()]).toEqual(
      expect.arrayContaining(['quote-2.quote', 'quote-3.quote']),
    );
  });

  it('refuses blocks outside allowedBlocks and durations outside the bounds', () => {
    const result = applySceneEdits(template, {}, [
      { op: 'add', block: 'bar-chart' },
      { op: 'duration', scene: 'intro', seconds: 1 },
      { op: 'remove', scene: 'ghost' },
    ]);
    expect(result.ok).toBe(false);
    expect(result.values).toEqual({});
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'scene_edit_forbidden',
        path: 'edits[0]',
        message: expect.stringContaining('title-card, quote, outro'),
      }),
      expect.objectContaining({ code: 'duration_bounds', path: 'edits[1]' }),
      expect.objectContaining({ code: 'unknown_scene', path: 'edits[2]' }),
    ]);
  });

  it('allows only duration edits on a fixed template', () => {
    const result = applySceneEdits(fixed, {}, [
      { op: 'move', scene: 'end', to: 0 },
      { op: 'duration', scene: 'end', seconds: 5 },
    ]);
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'scene_edit_forbidden', path: 'edits[0]' }),
    ]);
    expect(applySceneEdits(fixed, {}, [{ op: 'duration', scene: 'end', seconds: 5 }]).values).toEqual({
      durations: { end: 5 },
    });
    expect(validateValues(fixed, { scenes: [{ id: 'intro' }] }).errors).toEqual([
      expect.objectContaining({ code: 'scene_edit_forbidden', path: 'scenes' }),
    ]);
  });

  it('keeps the scene count within the template bounds', () => {
    const result = applySceneEdits(template, {}, [
      { op: 'remove', scene: 'intro' },
      { op: 'remove', scene: 'stats' },
      { op: 'remove', scene: 'end' },
    ]);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'list_bounds', path: 'scenes' })]);
  });
});

describe('optional fields', () => {
  it('null clears an optional field, leaving it out keeps the default', () => {
    const doc = sampleTemplate();
    (doc.fields as Record<string, Record<string, unknown>>).logo!.default = 'builtin:logos/mark.png';
    const t = parseTemplate(doc);
    expect(resolveValues(t, {}, { locale: 'fa' }).fields.get('logo')).toBe('builtin:logos/mark.png');
    expect(resolveValues(t, { fields: { logo: null } }, { locale: 'fa' }).fields.get('logo')).toBeUndefined();
    expect(validateValues(t, { fields: { 'intro.title': null } }).errors).toEqual([
      expect.objectContaining({ code: 'invalid_type', field: 'intro.title' }),
    ]);
  });
});
