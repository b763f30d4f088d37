import { describe, expect, it } from 'vitest';
import { sampleTemplate } from '../../test/fixtures';
import { EngineValidationError } from '../template/engine-error';
import { parseTemplate } from '../template/template.validate';
import { resolveComposition } from './composition';

const template = parseTemplate(sampleTemplate());

describe('resolveComposition', () => {
  it('lays scenes on a timeline overlapping by the transition', () => {
    const comp = resolveComposition(template, { durations: { stats: 5 } }, '9:16', { locale: 'fa' });
    expect([comp.width, comp.height, comp.fps]).toEqual([1080, 1920, 30]);
    expect(comp.scenes.map((s) => [s.id, s.start, s.end])).toEqual([
      ['intro', 0, 3],
      ['stats', 2.5, 7.5],
      ['end', 7, 10],
    ]);
    expect(comp.scenes[0]!.transitionIn.type).toBe('none');
    expect(comp.scenes[1]!.transitionIn).toMatchObject({ type: 'crossfade', duration: 0.5 });
    expect(comp.durationSeconds).toBe(10);
    expect(comp.frameCount).toBe(300);
  });

  it('lists the fonts, images and audio a render needs', () => {
    const comp = resolveComposition(template, { fields: { logo: 'file:logo-1' } }, '16:9', { locale: 'en' });
    expect(comp.fonts.map((f) => f.alias)).toEqual(['Vazirmatn 800', 'Vazirmatn 400']);
    expect(comp.assets).toEqual(['file:logo-1', 'builtin:logos/mark.png']);
    expect(comp.audio).toEqual([
      { kind: 'music', ref: 'builtin:music/spring.m4a', volume: 0.6, start: 0, fadeIn: 0, fadeOut: 1.5 },
    ]);
  });

  it('names an aspect the template does not support', () => {
    const attempt = (aspect: string) => () =>
      resolveComposition(template, {}, aspect as never, { locale: 'fa' });
    expect(attempt('4:5')).toThrow(EngineValidationError);
    try {
      attempt('4:5')();
    } catch (e) {
      expect((e as EngineValidationError).errors[0]).toMatchObject({
        code: 'unknown_aspect',
        aspect: '4:5',
        message: 'template "sample" does not support 4:5 (it supports 16:9, 9:16, 1:1)',
      });
    }
    expect(attempt('3:2')).toThrow(/unknown aspect "3:2"/);
  });
});
