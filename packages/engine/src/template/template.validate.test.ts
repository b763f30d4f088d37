import { describe, expect, it } from 'vitest';
import { sampleTemplate } from '../../test/fixtures';
import { EngineValidationError } from './engine-error';
import { parseTemplate, validateTemplate } from './template.validate';

const errorsOf = (doc: unknown) => validateTemplate(doc).errors;

describe('validateTemplate', () => {
  it('accepts the sample and fills defaults', () => {
    const result = validateTemplate(sampleTemplate());
    expect(result.errors).toEqual([]);
    expect(result.template?.digits).toBe('auto');
    expect(result.template?.transition).toEqual({ type: 'crossfade', duration: 0.5, easing: 'cubic-in-out' });
  });

  it('reports wrong types with their JSON path', () => {
    const doc = sampleTemplate();
    (doc as Record<string, unknown>).fps = 'thirty';
    const errors = errorsOf(doc);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'invalid_type', path: '$.fps' });
    expect(errors[0]!.message).toMatch(/expected number/);
  });

  it('reports unknown properties and aspects', () => {
    const doc = sampleTemplate() as Record<string, unknown>;
    doc.colour = 'red';
    (doc.aspects as Record<string, unknown>)['2:3'] = [1000, 1500];
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'unknown_key', path: '$.colour' }));
    expect(errors).toContainEqual(
      expect.objectContaining({
        code: 'unknown_aspect',
        path: '$.aspects["2:3"]',
        message: expect.stringContaining('16:9'),
      }),
    );
  });

  it('reports an aspect whose size is not that aspect', () => {
    const doc = sampleTemplate();
    (doc.aspects as Record<string, number[]>)['9:16'] = [1080, 1080];
    expect(errorsOf(doc)).toContainEqual(
      expect.objectContaining({ path: '$.aspects["9:16"]', aspect: '9:16' }),
    );
  });

  it('reports an unknown block and unknown props', () => {
    const doc = sampleTemplate();
    const scenes = doc.scenes as Record<string, unknown>[];
    scenes[1]!.block = 'pie-chart';
    scenes[2]!.props = { headline: { field: 'end.headline' }, colour: '#fff' };
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(
      expect.objectContaining({
        code: 'unknown_block',
        path: '$.scenes[1].block',
        message: 'unknown block "pie-chart"',
      }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'unknown_key', path: '$.scenes[2].props.colour' }),
    );
  });

  it('checks bindings: existing field, right type, own scene only', () => {
    const doc = sampleTemplate();
    const scenes = doc.scenes as { props: Record<string, unknown> }[];
    scenes[0]!.props.title = { field: 'intro.missing' };
    scenes[0]!.props.accent = { field: 'launch' };
    scenes[2]!.props.cta = { field: 'intro.title' };
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'unknown_field', path: '$.scenes[0].props.title' }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({
        code: 'field_type_mismatch',
        path: '$.scenes[0].props.accent',
        message: 'field "launch" is date; expected color',
      }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({
        code: 'unknown_field',
        path: '$.scenes[2].props.cta',
        message: expect.stringContaining('belongs to another scene'),
      }),
    );
  });

  it('checks literal props and field defaults', () => {
    const doc = sampleTemplate();
    const scenes = doc.scenes as {
      props: Record<string, unknown>;
      fields: Record<string, Record<string, unknown>>;
    }[];
    scenes[2]!.props.cta = 'x'.repeat(31);
    scenes[0]!.fields.title!.default = { fa: 'این عنوان بسیار بسیار بسیار بسیار بسیار طولانی است', en: 'ok' };
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'too_long', path: '$.scenes[2].props.cta' }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'too_long', path: '$.scenes[0].fields.title.default' }),
    );
  });

  it('reports duplicate scene ids, bad durations and easing', () => {
    const doc = sampleTemplate();
    const scenes = doc.scenes as Record<string, unknown>[];
    scenes[1]!.id = 'intro';
    scenes[2]!.duration = { default: 9, min: 2.5, max: 6 };
    doc.transition = { type: 'crossfade', duration: 0.5, easing: 'cubic-bezier(1.5,0,0.5,1)' };
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'invalid_value', path: '$.scenes[2].duration' }),
    );
    expect(errors).toContainEqual(expect.objectContaining({ path: '$.transition.easing' }));
    doc.transition = { type: 'crossfade', duration: 0.5 };
    scenes[2]!.duration = { default: 3, min: 2.5, max: 6 };
    expect(errorsOf(doc)).toContainEqual(
      expect.objectContaining({ code: 'duplicate_id', path: '$.scenes[1].id' }),
    );
  });

  it('refuses templates from a newer engine generation', () => {
    const doc = sampleTemplate();
    doc.engine = 2;
    expect(errorsOf(doc)).toContainEqual(
      expect.objectContaining({ code: 'unsupported_engine', path: '$.engine' }),
    );
  });

  it('validates layer scenes, their bindings and per-aspect overrides', () => {
    const doc = sampleTemplate();
    (doc.scenes as unknown[]).push({
      id: 'layers',
      duration: { default: 3, min: 2, max: 5 },
      fields: { note: { type: 'text', default: 'hi' } },
      layers: [
        { type: 'solid', color: '@background' },
        {
          type: 'text',
          text: { field: 'layers.note' },
          size: 0.1,
          aspects: { '4:5': { y: 0.3 }, '9:16': { size: 7 } },
        },
        { type: 'shape', shape: 'path', width: 0.2, height: 0.2 },
      ],
    });
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'unknown_aspect', path: '$.scenes[3].layers[1].aspects["4:5"]' }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({ path: '$.scenes[3].layers[1].aspects["9:16"].size' }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'missing_value', path: '$.scenes[3].layers[2]' }),
    );
  });

  it('never throws on garbage, and parseTemplate throws a typed error', () => {
    for (const junk of [null, 42, 'template', [], { id: 5 }, { scenes: [{}] }]) {
      const result = validateTemplate(junk);
      expect(result.ok).toBe(false);
      expect(result.errors.length).toBeGreaterThan(0);
    }
    expect(() => parseTemplate({})).toThrow(EngineValidationError);
  });
});
